#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.5 over UDP — conversational server: answers every datagram with `accepted`,
 * or `closed` when it says `close` (or `bye`, or `end`).
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place
 * (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab1/task-1-5#task-1-5.
 *
 * Run:   ./mywork/lab1/udp_conversation_server.ts   (then udp_conversation_client.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.5)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Conversational UDP server (Task 1.5): answers each datagram until close.",
  options: {
    ...listenOptions("UDP", "8000"),
    idle: { default: "60000", valueName: "MS", description: "forget a client silent this long" },
  },
});

/** Words that end a conversation, in any case. */
const FAREWELLS = new Set(["close", "bye", "end"]);

await runMain(async () => {
  const idleMs = parseMilliseconds(values.idle, "--idle");
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // TODO(1.5): without connections, the server keeps its own table of who it is talking
  // to, keyed by the sender's address (a Map from `formatAddress(sender)` to when it was
  // last heard), and forgets a client silent for `idleMs`.
  for await (const _datagram of socket) {
    // TODO(1.5): each datagram is [bytes, sender]: answer `accepted`, or `closed` for a
    // word in FAREWELLS (trimmed, any case), to the sender's own address; print each
    // message and each new or ended conversation.
    todo(
      "/lab1/task-1-5#task-1-5",
      `answer each datagram (farewells: ${[...FAREWELLS]}; idle ${idleMs} ms)`,
    );
  }
});
