#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — interactive client: sends each line you type to the conversational server
 * and prints its answer. `close` (or `bye`, or `end`) ends the conversation; so does the
 * end of the input (Ctrl-D, or the last line of a file piped in).
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab1/task-1-5#task-1-5.
 *
 * Run:   ./mywork/lab1/conversation_client.ts                  (type lines; close to end)
 *        printf 'hello\nclose\n' | ./mywork/lab1/conversation_client.ts
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.5)
 */
import {
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Interactive TCP client (Task 1.5): sends each line typed and prints the answer.",
  options: {
    ...peerOptions("conversational server", "TCP", "8000"),
    lines: { type: "boolean", description: "end each message with a line end; answers are lines" },
    timeout: { default: "5000", valueName: "MS", description: "how long to wait for an answer" },
  },
});

await runMain(async () => {
  const port = parsePort(values.port);
  const timeoutMs = parseMilliseconds(values.timeout, "--timeout");
  // TODO(1.5): connect as in Task 1.1 (`connectTcp`), then take turns: read a line from
  // the keyboard (a `BufferedReader` over Deno.stdin; null at the end of the input) and
  // send it alone, as the Python original does (with --lines, followed by a line end).
  // TODO(1.5): the answer is whatever arrives before the server falls silent for 200 ms,
  // or up to a line end (`readLineOrPause` of a `BufferedReader` over the connection);
  // wait for it at most `timeoutMs` (`readWithin` from ../../lib/net.ts). Print
  // `Received: <answer>`; stop after `closed`, or after your farewell (close, bye, end)
  // whatever the answer. Show an `Enter message: ` prompt only when
  // Deno.stdin.isTerminal(): in a pipe it would clutter the output.
  await todo(
    "/lab1/task-1-5#task-1-5",
    `talk to port ${port} in turns (answers within ${timeoutMs} ms)`,
  );
});
