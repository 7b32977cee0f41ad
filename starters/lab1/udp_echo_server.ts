#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.3 — UDP echo server: sends every datagram back to whoever sent it.
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place
 * (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab1/task-1-3#task-1-3.
 *
 * Run:   ./mywork/lab1/udp_echo_server.ts     (then ./mywork/lab1/udp_echo_client.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.3)
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
  summary: "UDP echo server (Task 1.3): sends every datagram back to its sender.",
  options: listenOptions("UDP", "65432"),
});

await runMain(async () => {
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const _datagram of socket) {
    // TODO(1.3): each datagram is [bytes, the sender's address]: print what arrived and
    // from whom, then send the bytes back to the sender (`socket.send(data, sender)`). A
    // failed reply concerns one sender only: catch it, print one line, keep serving.
    todo("/lab1/task-1-3#task-1-3", "send each datagram back to its sender");
  }
});
