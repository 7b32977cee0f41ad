#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.3 — UDP echo server: sends every datagram back to whoever sent it.
 *
 * Compare with the TCP echo server: no accept loop and no per-client socket. One
 * socket serves everybody, and the sender's address that comes with each datagram
 * is where the reply goes.
 *
 * Run: ./labs/lab1/udp_echo_server.ts     (then ./labs/lab1/udp_echo_client.ts)
 */
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { previewBytes } from "../../lib/bytes.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "UDP echo server (Task 1.3): sends every datagram back to its sender.",
  options: listenOptions("UDP", "65432"),
});

await runMain(async () => {
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // #region echo
  for await (const [data, sender] of socket) {
    console.log(
      `Received ${data.length} bytes from ${formatAddress(sender)}: ${previewBytes(data)}`,
    );
    // A failed reply concerns one sender only: report it and keep serving.
    await socket.send(data, sender).catch((error) =>
      console.error(`${formatAddress(sender)}: ${describeError(error)}`)
    );
  }
  // #endregion echo
});
