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
 * The reader's side needs no guessing in any of them: it knows how many bytes to wait
 * for, or which byte to wait for, however the stream was cut into reads.
 *
 * @module
 */
import { type OptionSpec, parseCount, UsageError } from "../../lib/cli.ts";
import { type BufferedReader, encodeFrame, FrameTooLargeError } from "../../lib/framing.ts";
import { pack } from "../../lib/struct.ts";

/** The three framings. */
export type Framing = "fixed" | "line" | "prefix";
const FRAMINGS: readonly string[] = ["fixed", "line", "prefix"];
const LF = 0x0a;

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

// #region encode
/** The bytes that carry `message` in the chosen framing. */
export function encodeMessage(message: Uint8Array, { framing, size }: FramingChoice): Uint8Array {
  if (framing === "fixed") {
    if (message.length > size) {
      throw new UsageError(`a message of ${message.length} bytes does not fit --size ${size}`);
    }
    return pack(`${size}s`, message); // zero bytes fill the rest
  }
  if (framing === "line") {
    if (message.includes(LF)) throw new UsageError("a message may not hold a line feed");
    return Uint8Array.of(...message, LF);
  }
  try {
    return encodeFrame(message, { prefix: "u16" });
  } catch (error) {
    if (error instanceof FrameTooLargeError) throw new UsageError(error.message);
    throw error;
  }
}
// #endregion encode

// #region read
/** The next message, or null when the stream ends cleanly between messages. */
export async function readMessage(
  reader: BufferedReader,
  { framing, size }: FramingChoice,
): Promise<Uint8Array | null> {
  if (framing === "line") return await reader.readLineBytes();
  if (framing === "prefix") return await reader.readFrame({ prefix: "u16" });
  const record = await reader.readExactOrEof(size);
  if (record === null) return null;
  let end = record.length;
  while (end > 0 && record[end - 1] === 0) end--; // the padding is not part of the message
  return record.subarray(0, end);
}
// #endregion read
