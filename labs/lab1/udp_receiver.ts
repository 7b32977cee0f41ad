#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.2 — UDP receiver: prints the sender and text of every datagram.
 *
 * UDP has no connections: there is no `listen`/`accept`, just a socket bound to a
 * port (`socket(AF_INET, SOCK_DGRAM)` + `bind()` → `Deno.listenDatagram`). Each
 * `recvfrom()` returns one whole datagram and the address it came from. Anybody can send
 * one, so its text is printed with control characters escaped and cut after 200
 * characters: a datagram must not be able to forge a line of our output or drive the
 * terminal.
 *
 * Run: ./labs/lab1/udp_receiver.ts      (then ./labs/lab1/udp_sender.ts "Hi")
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { previewText } from "../../lib/bytes.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "UDP receiver (Task 1.2): prints who sent each datagram and its text.",
  options: listenOptions("UDP", "5005"),
});

await runMain(async () => {
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // #region receive
  for await (const [data, sender] of socket) {
    const { hostname, port } = sender as Deno.NetAddr;
    console.log(`IP: ${hostname} Port: ${port} Message: ${previewText(data)}`);
  }
  // #endregion receive
});
