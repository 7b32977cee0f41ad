#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.2 — a client that dribbles: it frames its messages (--framing fixed, line or
 * prefix; see boundaries.ts), then sends the whole stream --chunk bytes at a time with a
 * pause of --delay ms between writes, so that the server's reads cut messages in pieces.
 *
 * STARTER: the command line and the framing of the messages are in place; each TODO is
 * a step of the task, and the handout explains it: /lab2/task-2-2#task-2-2. The framings
 * themselves are yours too, in boundaries.ts.
 *
 * Run:   ./mywork/lab2/dribble_client.ts --framing line            (with boundaries_server.ts)
 *        ./mywork/lab2/dribble_client.ts --framing prefix --chunk 1000 -- "one" "two" "three"
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.2)
 */
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { concat, hexlify, utf8Encode } from "../../lib/bytes.ts";
import { todo } from "../../lib/todo.ts";
import { encodeMessage, FRAMING_FLAGS, parseFraming } from "./boundaries.ts";

const { values, positionals } = parseCommandLine({
  summary: "Dribbling client (Task 2.2): sends framed messages a few bytes at a time.",
  options: {
    ...peerOptions("boundaries server", "TCP", "65432"),
    ...FRAMING_FLAGS,
    chunk: { default: "3", valueName: "BYTES", description: "bytes per write" },
    delay: { default: "50", valueName: "MS", description: "pause between two writes" },
  },
  arguments: "[-- MESSAGE...]",
});
const words = positionals.length > 0 ? positionals : ["Hello", "ñandú", "end of the stream"];

await runMain(async () => {
  const choice = parseFraming(values);
  const chunk = parseCount(values.chunk, "--chunk");
  const delay = parseMilliseconds(values.delay, "--delay");
  const port = parsePort(values.port);
  const framed = words.map((word) => encodeMessage(utf8Encode(word), choice));
  for (const [i, bytes] of framed.entries()) {
    console.log(`message ${i + 1} framed as ${bytes.length} bytes: ${hexlify(bytes, " ")}`);
  }
  const stream = concat(...framed);
  // TODO(2.2): connect, turn off Nagle's algorithm (`conn.setNoDelay(true)`: it would
  // hold back a small write while an earlier one is unacknowledged), then write
  // `stream` `chunk` bytes at a time with a pause of `delay` ms between two writes,
  // printing `wrote bytes <first>..<last> of <total>` for each; close at the end.
  await todo(
    "/lab2/task-2-2#task-2-2",
    `dribble ${stream.length} bytes to port ${port}, ${chunk} at a time every ${delay} ms`,
  );
});
