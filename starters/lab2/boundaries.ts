/**
 * Task 2.2 — three ways to mark where each message ends in a TCP stream, shared by
 * `boundaries_server.ts` and `dribble_client.ts`:
 *
 * - `fixed`: every message is exactly --size bytes. Shorter ones are padded with zero
 *   bytes, as struct's `s` code does (`16s`); longer ones cannot be sent.
 * - `line`: every message ends with a line feed, which it may not contain itself.
 * - `prefix`: every message starts with its length as 2 bytes, big-endian: any bytes
 *   may follow, up to 65,535 of them.
 *
 * STARTER: the flags and their checks are in place; the two functions that encode and
 * read a message are yours (TODO). The handout explains each framing: /lab2/task-2-2#task-2-2.
 *
 * @module
 */
import { type OptionSpec, parseCount, UsageError } from "../../lib/cli.ts";
import type { BufferedReader } from "../../lib/framing.ts";
import { TodoError } from "../../lib/todo.ts";

/** The three framings. */
export type Framing = "fixed" | "line" | "prefix";
const FRAMINGS: readonly string[] = ["fixed", "line", "prefix"];

/** The flags that choose a framing, the same on both sides. */
export const FRAMING_FLAGS = {
  framing: { default: "line", description: "fixed, line or prefix" },
  size: { default: "20", valueName: "BYTES", description: "message size with --framing fixed" },
} satisfies Record<string, OptionSpec>;

/** A framing and, for `fixed`, the size of every message. */
export interface FramingChoice {
  framing: Framing;
  size: number;
}

/** Reads --framing and --size; a UsageError for anything else. */
export function parseFraming(values: { framing: string; size: string }): FramingChoice {
  if (!FRAMINGS.includes(values.framing)) {
    throw new UsageError(`--framing must be fixed, line or prefix (got "${values.framing}")`);
  }
  return { framing: values.framing as Framing, size: parseCount(values.size, "--size") };
}

/** The bytes that carry `message` in the chosen framing. */
export function encodeMessage(message: Uint8Array, { framing, size }: FramingChoice): Uint8Array {
  // TODO(2.2): fixed: pad to `size` with zero bytes (`pack(`${size}s`, message)` from
  // ../../lib/struct.ts); line: add a line feed (0x0a); prefix: 2 bytes of length,
  // big-endian, then the message (`encodeFrame(message, { prefix: "u16" })` from
  // ../../lib/framing.ts). A message the framing cannot carry (longer than `size`, a
  // line feed inside a line, over 65,535 bytes) is the user's mistake: a UsageError.
  const as = framing === "fixed" ? `a message of ${size} bytes` : `a ${framing} message`;
  throw new TodoError("/lab2/task-2-2#task-2-2", `frame ${message.length} bytes as ${as}`);
}

/** The next message, or null when the stream ends cleanly between messages. */
export function readMessage(
  _reader: BufferedReader, // the underscore keeps the linter quiet until you use it
  { framing, size }: FramingChoice,
): Promise<Uint8Array | null> {
  // TODO(2.2): make this function async, then read with the reader, which keeps what one
  // read brought beyond the message for the next: line: `reader.readLineBytes()`; prefix:
  // `reader.readFrame({ prefix: "u16" })`; fixed: `reader.readExactOrEof(size)`, then
  // drop the zero bytes that padded the message.
  const what = framing === "fixed" ? `a message of ${size} bytes` : `a ${framing} message`;
  throw new TodoError("/lab2/task-2-2#task-2-2", `read ${what}`);
}
