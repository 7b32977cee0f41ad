#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.2 — UDP receiver: prints the sender and text of every datagram.
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place
 * (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab1/task-1-2#task-1-2.
 *
 * Run:   ./mywork/lab1/udp_receiver.ts      (then ./mywork/lab1/udp_sender.ts "Hi")
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.2)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "UDP receiver (Task 1.2): prints who sent each datagram and its text.",
  options: listenOptions("UDP", "5005"),
});

await runMain(async () => {
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // No listen() or accept(): every datagram sent to this port lands in this one socket.
  for await (const _datagram of socket) {
    // TODO(1.2): each datagram is [bytes, the sender's address]: print one line per
    // datagram, `IP: <ip> Port: <port> Message: <text>`. The address is a Deno.NetAddr
    // (hostname, port); `utf8Decode` from ../../lib/bytes.ts turns bytes into text.
    todo("/lab1/task-1-2#task-1-2", "print the sender and the text of each datagram");
  }
});
