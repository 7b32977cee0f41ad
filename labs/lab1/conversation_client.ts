#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.5 — interactive client: sends each line you type to the conversational server
 * and prints its answer. `close` (or `bye`, or `end`) ends the conversation; so does the
 * end of the input (Ctrl-D, or the last line of a file piped in).
 *
 * It sends one line, then waits for the answer before reading the next: a conversation
 * in turns, as in the Python original. Lines can be typed, or piped in:
 *
 * Run: ./labs/lab1/conversation_client.ts                  (type lines; close to end)
 *      printf 'hello\nclose\n' | ./labs/lab1/conversation_client.ts
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress, NetworkError } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Interactive TCP client (Task 1.5): sends each line typed and prints the answer.",
  usage: "conversation_client.ts [--host HOST] [--port PORT]",
  options: peerOptions("conversational server", "TCP", "8000"),
});

await runMain(async () => {
  const conn = await connectTcp(values.host, parsePort(values.port));
  console.log(
    `Connected to ${formatAddress(conn.remoteAddr)} from ${formatAddress(conn.localAddr)}`,
  );
  const typed = new BufferedReader(Deno.stdin);
  const answers = new BufferedReader(conn);
  // A prompt helps a person typing; in a pipe it would only clutter the output.
  const prompt = Deno.stdin.isTerminal() ? utf8Encode("Enter message: ") : null;

  // #region turns
  while (true) {
    if (prompt) await writeAll(Deno.stdout, prompt);
    const message = await typed.readLine();
    if (message === null) break; // end of input: leave without a word
    await writeAll(conn, utf8Encode(`${message}\n`));
    const answer = await answers.readLine();
    if (answer === null) throw new NetworkError("the server closed the connection mid-turn");
    if (answer === "closed") break;
    console.log(`Received: ${previewText(answer)}`); // escaped: the server's text, not ours
  }
  // #endregion turns
  conn.close();
  console.log("Connection to server closed");
});
