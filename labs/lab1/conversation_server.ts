#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — concurrent conversational server: answers every line a client sends with
 * `accepted`, until the client says `close` (or `bye`, or `end`); then it answers
 * `closed` and hangs up. Any number of clients talk to it at the same time.
 *
 * The Python original starts one thread per client, each blocked in `recv()`. Deno runs
 * our code on one thread with an event loop: each client is an `async` function that is
 * put aside at every `await` while it waits for its next line, so an idle client costs
 * a little memory, not a thread.
 *
 * TCP carries a stream of bytes, not messages: a line ending (`\n`) marks where each
 * message ends, however the bytes were split on the way. A line must arrive within
 * --idle-timeout (5 minutes: people type them), so a client that went away without a
 * word, or sends a byte now and then, does not keep its connection forever. What it
 * sent is logged with its control characters escaped: a line of its own must not be
 * able to forge a log line or drive our terminal.
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
  summary: "Conversational TCP server (Task 1.5): answers each line until the client says close.",
  usage: "conversation_server.ts [--host HOST] [--port PORT] [--idle-timeout MS]",
  options: { ...listenOptions("TCP", "8000"), ...idleTimeoutOption(300_000) },
});

/** Words that end a conversation, in any case. */
const FAREWELLS = new Set(["close", "bye", "end"]);
const MAX_LINE_BYTES = 4096;
let clients = 0;

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  // #region conversation
  /** Answers one client's lines until it says goodbye or goes away. */
  async function converse(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    console.log(`Accepted connection from ${peer} (${++clients} connected)`);
    const lines = new BufferedReader(conn, { bufferSize: 1024, timeoutMs: idleTimeoutMs });
    let ending = "the connection failed";
    try {
      for (let line; (line = await lines.readLine({ maxLength: MAX_LINE_BYTES })) !== null;) {
        const word = line.trim().toLowerCase();
        if (FAREWELLS.has(word)) {
          await writeAll(conn, utf8Encode("closed\n"));
          ending = `it said ${word}`;
          return;
        }
        console.log(`Received from ${peer}: ${previewText(line)}`);
        await writeAll(conn, utf8Encode("accepted\n"));
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
