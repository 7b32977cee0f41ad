#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — concurrent conversational server: answers every line a client sends with
 * `accepted`, until the client says `close` (or `bye`, or `end`); then it answers
 * `closed` and hangs up. Any number of clients talk to it at the same time.
 *
 * STARTER: the command line, the listening socket, the `listening on` line and the
 * accept loop are in place; each TODO is a step of the task, and the handout explains
 * it: /lab1/task-1-5#task-1-5.
 *
 * Run:   ./mywork/lab1/conversation_server.ts    (then several conversation_client.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.5)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary:
    "Conversational TCP server (Task 1.5): answers each message until the client says close.",
  options: {
    ...listenOptions("TCP", "8000"),
    lines: { type: "boolean", description: "only a line end ends a message, never a pause" },
    ...idleTimeoutOption(300_000),
  },
});

/** Words that end a conversation, in any case. */
const FAREWELLS = new Set(["close", "bye", "end"]);

/** Answers one client's messages until it says goodbye or goes away. */
async function converse(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  console.log(`Accepted connection from ${peer}`);
  // TODO(1.5): TCP carries bytes, not messages. A message ends at a line end; the
  // handout's Python clients send each message alone, with none, so for them it ends
  // where the client falls silent (200 ms). A `BufferedReader` (../../lib/framing.ts)
  // finds both: `readLineOrPause({ pauseMs, maxLength })` gives `{ line, ended }`, or
  // null once the client has gone (a `maxLength` keeps one endless message from eating
  // the memory). With --lines, only a line end ends a message (pauseMs: Infinity).
  // TODO(1.5): answer each message with `accepted`, and a farewell (FAREWELLS, trimmed,
  // any case) with `closed`, then hang up; end an answer with a line end only when its
  // message had one. Print each message received, and when and why a conversation ended.
  await todo("/lab1/task-1-5#task-1-5", `answer ${peer}'s messages (farewells: ${[...FAREWELLS]})`);
}

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, converse); // not awaited: the loop goes back to accept() at once
  }
});
