/**
 * Fuzz test of lib/framing.ts: a `BufferedReader` over random and damaged streams, split
 * into random reads, answers random sequences of `readLine`, `readFrame`, `readExact`,
 * `readExactOrEof` and `read` with data or a `FramingError` only; encoded frames and
 * lines read back unchanged however the stream is split; time per byte stays flat for
 * long lines, large frames and many small records.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat, utf8Encode } from "../../../lib/bytes.ts";
import {
  BufferedReader,
  encodeFrame,
  type FramePrefix,
  FramingError,
} from "../../../lib/framing.ts";
import { SeededRandom } from "../../../lib/random.ts";
import {
  ChunkedReader,
  fuzzTest,
  hostileBytes,
  randomLength,
  repeatBytes,
} from "../../harness/fuzz.ts";

type Read = "line" | "frame" | "exact" | "exactOrEof" | "read";

interface StreamInput {
  bytes: Uint8Array;
  /** Seeds the sizes of the reads the stream is split into. */
  chunkSeed: number;
  /** The largest read the source returns. */
  maxChunk: number;
  bufferSize: number;
  reads: { kind: Read; prefix: FramePrefix; limit: number }[];
  /** Whether to repeat the reads until the stream ends (never with a read that can return 0 bytes). */
  cycle?: boolean;
}

const PREFIXES: FramePrefix[] = ["u8", "u16", "u32"];
const READS: Read[] = ["line", "frame", "exact", "exactOrEof", "read"];

function reader(input: StreamInput): BufferedReader {
  const sizes = new SeededRandom(input.chunkSeed);
  const source = new ChunkedReader(input.bytes, () => sizes.integer(1, input.maxChunk));
  return new BufferedReader(source, { bufferSize: input.bufferSize });
}

/** Runs the input's reads in turn (over and over if it cycles) until the stream ends. */
async function decode(input: StreamInput): Promise<void> {
  const buffered = reader(input);
  for (let i = 0; input.cycle || i < input.reads.length; i++) {
    const { kind, prefix, limit } = input.reads[i % input.reads.length];
    let result: unknown;
    switch (kind) {
      case "line":
        result = await buffered.readLine({ maxLength: limit });
        break;
      case "frame":
        result = await buffered.readFrame({ prefix, maxSize: limit });
        break;
      case "exact":
        result = await buffered.readExact(limit);
        break;
      case "exactOrEof":
        result = await buffered.readExactOrEof(limit);
        break;
      case "read":
        result = await buffered.read(new Uint8Array(limit));
    }
    if (result === null) return;
  }
}

/** A valid stream: frames of one prefix, or lines ending in `\n` or `\r\n`. */
function validStream(random: SeededRandom): Uint8Array {
  const prefix = random.pick(PREFIXES);
  const parts: Uint8Array[] = [];
  for (let n = random.integer(0, 4); n > 0; n--) {
    parts.push(
      random.chance(0.5)
        ? encodeFrame(random.bytes(randomLength(random, 40)), { prefix })
        : utf8Encode(`line ${random.integer(0, 99)}${random.pick(["\n", "\r\n", "\r\r\n"])}`),
    );
  }
  return concat(...parts);
}

fuzzTest<StreamInput>({
  name: "BufferedReader",
  throws: [FramingError],
  decode,
  input(random) {
    return {
      bytes: hostileBytes(random, () => validStream(random)),
      chunkSeed: random.integer(0, 2 ** 31),
      maxChunk: random.pick([1, 3, 16, 1500]),
      bufferSize: random.pick([1, 2, 7, 64, 16384]),
      reads: Array.from({ length: random.integer(1, 8) }, () => ({
        kind: random.pick(READS),
        prefix: random.pick(PREFIXES),
        limit: random.pick([0, 1, 2, 5, 16, 100, 65536]),
      })),
    };
  },
  async roundTrip(random) {
    const prefix = random.pick(PREFIXES);
    type Item = { frame: Uint8Array } | { line: string };
    const items = Array.from({ length: random.integer(0, 5) }, (): Item => {
      const longest = prefix === "u8" ? 255 : 1000;
      if (random.chance(0.5)) return { frame: random.bytes(randomLength(random, longest)) };
      // A line has no LF, and no CR at its end (that would be taken for part of a CRLF).
      const text = new TextDecoder().decode(random.bytes(randomLength(random, 40)))
        .replace(/[\n\r]/g, " ");
      return { line: text };
    });
    const stream = concat(
      ...items.map((item) =>
        "frame" in item
          ? encodeFrame(item.frame, { prefix })
          : utf8Encode(item.line + random.pick(["\n", "\r\n"]))
      ),
    );
    const buffered = reader({
      bytes: stream,
      chunkSeed: random.integer(0, 2 ** 31),
      maxChunk: random.pick([1, 5, 100]),
      bufferSize: random.pick([1, 16, 16384]),
      reads: [],
    });
    for (const item of items) {
      if ("frame" in item) assert.deepEqual(await buffered.readFrame({ prefix }), item.frame);
      else assert.equal(await buffered.readLine(), item.line);
    }
    assert.equal(await buffered.readLine(), null);
  },
  shapes: {
    "one long line": (n) => stream(repeatBytes([0x61], n), "line"),
    "a long line of CRs": (n) => stream(repeatBytes([0x0d], n), "line"),
    "lines": (n) => stream(repeatBytes(utf8Encode(`${"a line ".repeat(12)}\r\n`), n), "line"),
    "one large frame": (n) => stream(encodeFrame(new Uint8Array(n - 4)), "frame"),
    "frames": (n) => stream(repeatBytes(encodeFrame(new Uint8Array(96)), n), "frame"),
  },
  show: (input) => JSON.stringify({ ...input, bytes: Array.from(input.bytes.subarray(0, 64)) }),
});

/** Reads of one kind (limit 2 MiB) to the end of `bytes`, which arrive 1500 bytes at a time. */
function stream(bytes: Uint8Array, kind: Read): StreamInput {
  const reads = [{ kind, prefix: "u32" as const, limit: 2 ** 21 }];
  return { bytes, chunkSeed: 1, maxChunk: 1500, bufferSize: 16384, reads, cycle: true };
}
