#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.2 — UDP sender: sends the message given on the command line as one datagram.
 *
 * The socket is bound to port 0, so the system picks a free source port (the
 * receiver prints it). `sendto()` becomes `send(data, address)`; nothing confirms
 * that the datagram arrived: that is UDP.
 *
 * Run: ./labs/lab1/udp_sender.ts "This is a test"
 */
import { bindOption, parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { formatAddress, listenUdp, sendDatagram } from "../../lib/net.ts";

const { values, positionals } = parseCommandLine({
  summary: "UDP sender (Task 1.2): sends the message given on the command line.",
  options: {
    ...peerOptions("receiver", "UDP", "5005"),
    bind: bindOption,
  },
  arguments: "[MESSAGE...]",
});
const message = positionals.length > 0 ? positionals.join(" ") : "Hello, world!";

await runMain(async () => {
  const socket = listenUdp(values.bind, 0); // port 0: the system picks a free source port
  const receiver: Deno.NetAddr = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  };
  const data = utf8Encode(message);
  // #region send
  await sendDatagram(socket, data, receiver);
  // #endregion send
  console.log(
    `Sent ${data.length} bytes to ${formatAddress(receiver)} from ${formatAddress(socket.addr)}`,
  );
  socket.close();
});
