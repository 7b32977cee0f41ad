#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.3 — UDP echo client: sends one datagram and waits for the echo.
 *
 * UDP gives no error when nobody is listening and no guarantee that a reply comes,
 * so the client decides how long to wait (`settimeout()` in Python).
 *
 * Run: ./labs/lab1/udp_echo_client.ts "Hello, UDP"   (with the UDP echo server running)
 */
import {
  bindOption,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { equals, previewBytes, utf8Encode } from "../../lib/bytes.ts";
import { formatAddress, listenUdp, NetworkError, sendDatagram } from "../../lib/net.ts";

const { values, positionals } = parseCommandLine({
  summary: "UDP echo client (Task 1.3): sends a datagram and prints the echo.",
  options: {
    ...peerOptions("UDP echo server", "UDP", "65432"),
    bind: bindOption,
    timeout: { default: "2000", valueName: "MS", description: "how long to wait for the echo" },
  },
  arguments: "[MESSAGE...]",
});
const message = utf8Encode(positionals.length > 0 ? positionals.join(" ") : "Hello, world");

await runMain(async () => {
  const server: Deno.NetAddr = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  };
  const timeout = parseMilliseconds(values.timeout, "--timeout");
  const socket = listenUdp(values.bind, 0);
  await sendDatagram(socket, message, server);
  console.log(`Sent ${message.length} bytes to ${formatAddress(server)}`);

  // #region wait
  let timedOut = false;
  const timer = setTimeout(() => { // closing the socket is what ends a waiting receive()
    timedOut = true;
    socket.close();
  }, timeout);
  const reply = await socket.receive().catch((error) => {
    if (timedOut) return null;
    throw error;
  });
  clearTimeout(timer);
  // #endregion wait
  if (reply === null) {
    throw new NetworkError(
      `no reply from ${
        formatAddress(server)
      } within ${timeout} ms: is the UDP echo server running?`,
    );
  }
  const [data, from] = reply;
  console.log(`Received ${previewBytes(data)} from ${formatAddress(from)}`);
  socket.close();
  if (!equals(data, message)) throw new Error("the echo differs from what we sent");
});
