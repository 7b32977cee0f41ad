#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — concurrent conversational server: answers every message a client sends with
 * `accepted`, until the client says `close` (or `bye`, or `end`); then it answers
 * `closed` and hangs up. Any number of clients talk to it at the same time.
 *
 * The Python original starts one thread per client, each blocked in `recv()`. Deno runs
 * our code on one thread with an event loop: each client is an `async` function that is
 * put aside at every `await` while it waits for its next message, so an idle client costs
 * a little memory, not a thread.
 *
 * TCP carries a stream of bytes, not messages, so where does a message end? At a line
 * end (`\n`), however the bytes were split on the way. But the Python originals send each
 * message alone, with no line end, and wait for the answer: for them a message ends where
 * the client falls silent. Both work here, and each answer uses the framing of the message
 * it answers; with `--lines`, only a line end ends a message.
 *
 * A message must arrive within --idle-timeout (5 minutes: people type them), so a client
 * that went away without a word, or sends a byte now and then, does not keep its
 * connection forever. What a client sent is logged with its control characters escaped:
 * its text must not be able to forge a line of our log or drive our terminal.
 *
 * Run:   ./labs/lab1/conversation_server.ts    (then several conversation_client.ts)
 * Watch: ss -tn 'sport = :8000'
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
import { previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";

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
const MAX_MESSAGE_BYTES = 4096;
/** Silence after bytes without a line end that makes them a whole message. */
const PAUSE_MS = 200;
let clients = 0;

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  // #region conversation
  /** Answers one client's messages until it says goodbye or goes away. */
  async function converse(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    console.log(`Accepted connection from ${peer} (${++clients} connected)`);
    const messages = new BufferedReader(conn, { bufferSize: 1024, timeoutMs: idleTimeoutMs });
    // A client that has ended a message with a line end is taken at its word from then
    // on: a pause in the middle of its next line is not the end of that line.
    let pauseMs = values.lines ? Infinity : PAUSE_MS;
    let ending = "the connection failed";
    try {
      for (
        let m;
        (m = await messages.readLineOrPause({ pauseMs, maxLength: MAX_MESSAGE_BYTES }));
      ) {
        if (m.ended === "newline") pauseMs = Infinity;
        const lineEnd = m.ended === "newline" ? "\n" : ""; // answer in the client's framing
        const word = m.line.trim().toLowerCase();
        if (FAREWELLS.has(word)) {
          ending = `it said ${word}`;
          await writeAll(conn, utf8Encode(`closed${lineEnd}`));
          return;
        }
        console.log(`Received from ${peer}: ${previewText(m.line)}`);
        await writeAll(conn, utf8Encode(`accepted${lineEnd}`));
      }
      ending = "it left without saying close";
    } finally {
      console.log(`Connection to ${peer} closed: ${ending} (${--clients} connected)`);
    }
  }
  // #endregion conversation

  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  // #region accept
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, converse); // not awaited: the loop goes back to accept() at once
  }
  // #endregion accept
});
