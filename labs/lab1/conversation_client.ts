#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — interactive client: sends each line you type to the conversational server
 * and prints its answer. `close` (or `bye`, or `end`) ends the conversation; so does the
 * end of the input (Ctrl-D, or the last line of a file piped in).
 *
 * It sends one message, then waits for the answer before reading the next: a conversation
 * in turns, as in the Python original. Lines can be typed, or piped in.
 *
 * On the wire it speaks as the Python originals do, so it talks to their servers too: each
 * message is sent alone, with no line end, and an answer is whatever arrives before the
 * server falls silent (or a line end). With `--lines`, each message ends with a line end
 * and each answer is one line: a framing that does not depend on timing.
 *
 * Run: ./labs/lab1/conversation_client.ts                  (type lines; close to end)
 *      printf 'hello\nclose\n' | ./labs/lab1/conversation_client.ts
 */
import {
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import {
  closeQuietly,
  connectTcp,
  formatAddress,
  NetworkError,
  readWithin,
  TIMED_OUT,
} from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Interactive TCP client (Task 1.5): sends each line typed and prints the answer.",
  options: {
    ...peerOptions("conversational server", "TCP", "8000"),
    lines: { type: "boolean", description: "end each message with a line end; answers are lines" },
    timeout: { default: "5000", valueName: "MS", description: "how long to wait for an answer" },
  },
});

/** Words that end a conversation, in any case. */
const FAREWELLS = new Set(["close", "bye", "end"]);
/** Silence after bytes without a line end that makes them a whole answer. */
const PAUSE_MS = 200;

await runMain(async () => {
  const timeoutMs = parseMilliseconds(values.timeout, "--timeout");
  const conn = await connectTcp(values.host, parsePort(values.port));
  const server = formatAddress(conn.remoteAddr);
  console.log(`Connected to ${server} from ${formatAddress(conn.localAddr)}`);
  const typed = new BufferedReader(Deno.stdin);
  const answers = new BufferedReader(conn);
  // A prompt helps a person typing; in a pipe it would only clutter the output.
  const prompt = Deno.stdin.isTerminal() ? utf8Encode("Enter message: ") : null;
  const lineEnd = values.lines ? "\n" : "";
  const pauseMs = values.lines ? Infinity : PAUSE_MS;

  // #region turns
  while (true) {
    if (prompt) await writeAll(Deno.stdout, prompt);
    const message = await typed.readLine();
    if (message === null) break; // end of input: leave without a word
    await writeAll(conn, utf8Encode(`${message}${lineEnd}`));
    const farewell = FAREWELLS.has(message.trim().toLowerCase());
    const answer = await readWithin(conn, answers.readLineOrPause({ pauseMs }), timeoutMs);
    // Some servers hang up on a farewell without a word (or say nothing at all): fine.
    if (farewell && (answer === TIMED_OUT || answer === null)) break;
    if (answer === TIMED_OUT) throw new NetworkError(`no answer from ${server} in ${timeoutMs} ms`);
    if (answer === null) throw new NetworkError("the server closed the connection mid-turn");
    if (answer.line === "closed") break;
    console.log(`Received: ${previewText(answer.line)}`); // escaped: the server's text, not ours
    if (farewell) break; // whatever it answered (an echo, say), the conversation is over
  }
  // #endregion turns
  closeQuietly(conn); // already closed if the answer to a farewell never came
  console.log("Connection to server closed");
});
