/**
 * A small fuzz harness for the course's decoders. A {@linkcode Fuzzer} says how to make
 * hostile inputs for one decoder (random bytes, truncations, bit flips and huge lengths
 * in valid encodings: see {@linkcode mutate}), which errors its documentation names, how
 * a valid value round-trips, and which inputs are its worst case for time per byte.
 * {@linkcode fuzzTest} turns it into a `Deno.test` that asserts:
 *
 * - every input either decodes or throws one of the documented error types;
 * - every random valid value comes back equal from encode → decode;
 * - decoding 1 MiB takes about 1024 times as long as decoding 1 KiB, not more: the
 *   ratio time(1 MiB) / (1024 · time(1 KiB)), measured in the same test, stays under
 *   {@linkcode MAX_TIME_PER_BYTE_RATIO} (a check of complexity, not of speed; a
 *   quadratic parser gives about 1000).
 *
 * Everything is drawn from one seeded generator (`lib/random.ts`), so a failure names the
 * seed and input number that reproduce it. The number of inputs (and of round trips) per
 * decoder is 10,000, or what `--inputs N` after the test files' `--` (or `FUZZ_INPUTS`)
 * says; `--seed N` (or `FUZZ_SEED`) changes the seed. Given a number of inputs, each test
 * prints what it found: the inputs tried, the distinct error messages and the time for
 * 1 MiB of each shape (then also the median of {@linkcode MEDIAN_RUNS} runs), and appends
 * it as a line of JSON to the file named by `FUZZ_REPORT` if set. `deno task fuzz`
 * (`tools/reports/fuzz_report.ts`) runs these tests with `--inputs 1000000` and prints
 * those lines as a table.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SeededRandom } from "../../lib/random.ts";
import type { Reader } from "../../lib/framing.ts";
import type { FuzzReport, ShapeTiming } from "../../tools/reports/fuzz_table.ts";

/** A setting from `--name N` among the test's arguments, else from the environment. */
function setting(flag: string, variable: string): number | undefined {
  const at = Deno.args.lastIndexOf(flag);
  const text = at >= 0 ? Deno.args[at + 1] : Deno.env.get(variable);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${flag} (${variable}) must be a whole number, got "${text}"`);
  }
  return value;
}

/** Inputs (and round trips) per decoder: `--inputs N` or `FUZZ_INPUTS`, else 10,000. */
function fuzzInputs(): number {
  return setting("--inputs", "FUZZ_INPUTS") ?? 10_000;
}

/** The seed of every fuzzer's generator: `--seed N` or `FUZZ_SEED`, else 2025. */
function fuzzSeed(): number {
  return setting("--seed", "FUZZ_SEED") ?? 2025;
}

/**
 * The bound on time(1 MiB) / (1024 · time(1 KiB)). Generous: a quadratic decoder gives
 * hundreds, but a linear one does not stay at 1. A 1 KiB input is decoded from the
 * processor's caches, 1 MiB is not; output of 1 MiB lives in fresh pages that the system
 * must map (measured here: 20 ns per 8 bytes of a new array, against 1 ns in the young
 * generation); and on a shared machine the caches are shared too. Linear decoders were
 * measured up to about 40 under a load of 20 to 30 on 2 cores (JSON.parse of many nested
 * arrays), and mostly under 10.
 */
const MAX_TIME_PER_BYTE_RATIO = 64;

/**
 * The bound at 32 KiB, where a decoder quadratic already at 1 KiB gives about 32: the
 * 1 MiB input is not tried then (it could take minutes). Linear decoders were measured up
 * to 19 here under heavy load.
 */
const MAX_MEDIUM_RATIO = 24;

/** Measurements of a size at most, when the first is over the bound (see `timeShape`). */
const MEASUREMENTS = 3;

/** Runs of the 1 MiB input whose median `deno task fuzz` reports. */
const MEDIAN_RUNS = 5;

/** The sizes the time-per-byte check compares. */
const SMALL = 1024;
const MEDIUM = 32 * 1024;
const LARGE = 1024 * 1024;

/** An error class a decoder's documentation names. */
// deno-lint-ignore no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

/** How to fuzz one decoder. */
export interface Fuzzer<Input> {
  /** The decoder's name, as the report prints it (`parseSyslog`). */
  name: string;
  /** The error types its documentation names (`@throws`); any other is a failure. */
  throws: readonly ErrorClass[];
  /** Decodes one input; may return a promise (stream decoders). */
  decode(input: Input): unknown;
  /** A hostile input: random, or a mutation of a valid encoding. */
  input(random: SeededRandom): Input;
  /**
   * Encodes a random valid value, decodes it and asserts that the result equals it;
   * may return a promise.
   */
  roundTrip(random: SeededRandom): unknown;
  /**
   * Inputs of about `size` bytes that are the decoder's worst cases for time per byte
   * (long runs of what a backtracking regex or a repeated slice would choke on).
   */
  shapes: Record<string, (size: number) => Input>;
  /** Shows an input in a failure message (default: its first bytes in hex, or as text). */
  show?(input: Input): string;
}

/** Shows an input in an assertion message: bytes as hex, text as JSON, both cut short. */
function showInput(input: unknown): string {
  if (input instanceof Uint8Array) {
    const hex = Array.from(input.subarray(0, 48), (b) => b.toString(16).padStart(2, "0"));
    return `${input.length} bytes: ${hex.join("")}${input.length > 48 ? "…" : ""}`;
  }
  const text = typeof input === "string" ? input : JSON.stringify(input, replacer);
  return `${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return showInput(value);
  return value;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/**
 * Runs `fuzzer` on `count` hostile inputs and `count` round trips, then measures its
 * time per byte (and, `withMedian`, the median time of 1 MiB); throws an
 * `AssertionError` naming the seed and input at the first undocumented error.
 */
async function runFuzzer<Input>(
  fuzzer: Fuzzer<Input>,
  withMedian: boolean,
  count = fuzzInputs(),
  seed = fuzzSeed(),
): Promise<FuzzReport> {
  const random = new SeededRandom(seed);
  const started = performance.now();
  const messages = new Set<string>();
  const show = fuzzer.show ?? showInput;
  for (let i = 0; i < count; i++) {
    const input = fuzzer.input(random);
    try {
      const result = fuzzer.decode(input);
      if (isPromise(result)) await result;
    } catch (error) {
      if (!fuzzer.throws.some((type) => error instanceof type)) {
        const expected = fuzzer.throws.map((type) => type.name).join(" or ") || "nothing";
        assert.fail(
          `${fuzzer.name} threw ${describe(error)} (its documentation says: ${expected}) on ` +
            `input ${i} of seed ${seed}: ${show(input)}`,
        );
      }
      messages.add(messageKind(String((error as Error).message)));
    }
  }
  for (let i = 0; i < count; i++) {
    try {
      const result = fuzzer.roundTrip(random);
      if (isPromise(result)) await result;
    } catch (error) {
      assert.fail(`${fuzzer.name}: round trip ${i} of seed ${seed} failed: ${describe(error)}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const shapes: ShapeTiming[] = [];
  for (const [name, shape] of Object.entries(fuzzer.shapes)) {
    const timing: ShapeTiming = { name, ...await timeShape(fuzzer, shape) };
    if (withMedian && timing.size === LARGE) {
      timing.medianMs = await medianMs(fuzzer, shape(LARGE), MEDIAN_RUNS);
    }
    const { smallMs, size, ms, ratio } = timing;
    assert.ok(
      ratio < (size === MEDIUM ? MAX_MEDIUM_RATIO : MAX_TIME_PER_BYTE_RATIO),
      `${fuzzer.name}: time per byte grows with the input ("${name}": 1 KiB in ` +
        `${smallMs.toFixed(4)} ms, ${size / SMALL} KiB in ${ms.toFixed(1)} ms, ` +
        `${ratio.toFixed(1)} times as much per byte)`,
    );
    shapes.push(timing);
  }
  const { name } = fuzzer;
  return { name, inputs: count, roundTrips: count, distinctErrors: messages.size, seconds, shapes };
}

/** A message with its numbers and quoted input masked: `no <PRI> at the start of "…"`. */
function messageKind(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'[^']*'/g, "'…'")
    .replace(/\b0x[\da-f]+|\b[\da-f]*\d[\da-f]*\b/gi, "#").replace(/\d+/g, "#");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Decodes once, swallowing the documented errors (a shape's input may well be invalid). */
async function decodeOnce<Input>(fuzzer: Fuzzer<Input>, input: Input): Promise<void> {
  try {
    const result = fuzzer.decode(input);
    if (isPromise(result)) await result;
  } catch (error) {
    if (!fuzzer.throws.some((type) => error instanceof type)) throw error;
  }
}

/**
 * Milliseconds per decode of `input`: the smallest of `batches` batches, each repeating the
 * decode for at least 3 ms, so that a pause of the shared machine counts as little as
 * possible.
 */
async function msPerDecode<Input>(
  fuzzer: Fuzzer<Input>,
  input: Input,
  batches: number,
): Promise<number> {
  let best = Infinity;
  for (let batch = 0; batch < batches; batch++) {
    let runs = 0;
    const start = performance.now();
    do {
      await decodeOnce(fuzzer, input);
      runs++;
    } while (performance.now() - start < 3);
    best = Math.min(best, (performance.now() - start) / runs);
    if (best > 1000) break; // slow already: more batches would only wait longer
  }
  return best;
}

/** The median time of `runs` decodes of `input`, in ms. */
async function medianMs<Input>(fuzzer: Fuzzer<Input>, input: Input, runs: number) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await decodeOnce(fuzzer, input);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * Time per byte of one shape at 32 KiB and 1 MiB against 1 KiB. A decoder that is already
 * slow per byte at 32 KiB stops there: at 1 MiB a quadratic one would take minutes.
 */
async function timeShape<Input>(
  fuzzer: Fuzzer<Input>,
  shape: (size: number) => Input,
): Promise<{ smallMs: number; size: number; ms: number; ratio: number }> {
  const small = shape(SMALL);
  await decodeOnce(fuzzer, small); // compiles the decoder's code
  let smallMs = await msPerDecode(fuzzer, small, 3);
  let result = { smallMs, size: SMALL, ms: smallMs, ratio: 1 };
  for (const size of [MEDIUM, LARGE]) {
    const [input, bound] = [
      shape(size),
      size === MEDIUM ? MAX_MEDIUM_RATIO : MAX_TIME_PER_BYTE_RATIO,
    ];
    let ms = Infinity;
    // A pause of the shared machine can fall on the few runs of the larger input: over the
    // bound, both sizes are measured again, twice at most. A decoder that is not linear
    // stays over it; it is only the fastest runs that count.
    for (let attempt = 1; attempt <= MEASUREMENTS; attempt++) {
      ms = Math.min(ms, await msPerDecode(fuzzer, input, 2));
      // 1 KiB once more, right after: both sizes then see much the same load of the machine.
      smallMs = Math.min(smallMs, await msPerDecode(fuzzer, small, 1));
      result = { smallMs, size, ms, ratio: ms / (smallMs * (size / SMALL)) };
      if (result.ratio < bound) break;
    }
    if (size === MEDIUM && result.ratio >= MAX_MEDIUM_RATIO) break;
  }
  return result;
}

/** The lines `deno task fuzz` prints for one decoder. */
function formatReport(name: string, report: FuzzReport): string {
  const lines = [
    `${name}: ${report.inputs} inputs and ${report.roundTrips} round trips in ` +
    `${report.seconds.toFixed(1)} s, ${report.distinctErrors} distinct error messages`,
  ];
  for (const { name, size, ms, medianMs, ratio } of report.shapes) {
    const at = size === LARGE ? "1 MiB" : `${size / SMALL} KiB`;
    const time = medianMs === undefined
      ? `${ms.toFixed(2)} ms`
      : `${medianMs.toFixed(2)} ms (median of ${MEDIAN_RUNS} runs)`;
    lines.push(`  ${at} of ${name}: ${time}, time per byte ×${ratio.toFixed(2)} of 1 KiB's`);
  }
  return lines.join("\n");
}

/**
 * Registers `fuzzer` as a test; given a number of inputs (as `deno task fuzz` does), the
 * test also prints what it found.
 */
export function fuzzTest<Input>(fuzzer: Fuzzer<Input>): void {
  Deno.test(`fuzz ${fuzzer.name}: documented errors only, round trips, linear time`, async () => {
    const given = setting("--inputs", "FUZZ_INPUTS") !== undefined;
    const report = await runFuzzer(fuzzer, given);
    if (given) console.log(formatReport(fuzzer.name, report));
    const file = Deno.env.get("FUZZ_REPORT"); // a file to append the report to, as JSON
    if (file) await Deno.writeTextFile(file, JSON.stringify(report) + "\n", { append: true });
  });
}

// ---------------------------------------------------------------------------
// Inputs.

/** A length that is usually small, sometimes 0, now and then up to `max`. */
export function randomLength(random: SeededRandom, max: number): number {
  const roll = random.next();
  if (roll < 0.05) return 0;
  if (roll < 0.8) return random.integer(1, Math.min(max, 16));
  return random.integer(0, max);
}

/** Random bytes of a random (mostly small) length. */
export function randomBytes(random: SeededRandom, max = 64): Uint8Array {
  return random.bytes(randomLength(random, max));
}

/** Random text drawn from `alphabet` (one character at a time, code points kept whole). */
export function randomText(random: SeededRandom, alphabet: readonly string[], max = 64): string {
  let text = "";
  for (let n = randomLength(random, max); n > 0; n--) text += random.pick(alphabet);
  return text;
}

/** Values that break length fields: the largest of each width, and one past common limits. */
const HUGE = [0xff, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0x100001];

/**
 * A damaged copy of a valid encoding: bits flipped, cut short, grown with random
 * bytes, a byte set at random, a slice repeated or removed, or a field of 1, 2 or 4
 * bytes overwritten with a length (either byte order): a huge one, or one no longer than
 * the bytes, which a decoder may believe.
 */
export function mutate(random: SeededRandom, valid: Uint8Array): Uint8Array {
  const bytes = valid.slice();
  const at = () => random.integer(0, Math.max(0, bytes.length - 1));
  switch (random.integer(0, 7)) {
    case 0: { // flip 1 to 3 bits
      for (let n = random.integer(1, 3); n > 0 && bytes.length > 0; n--) {
        bytes[at()] ^= 1 << random.integer(0, 7);
      }
      return bytes;
    }
    case 1: // truncate
      return bytes.subarray(0, random.integer(0, bytes.length));
    case 2: { // grow
      const extra = randomBytes(random, 32);
      const grown = new Uint8Array(bytes.length + extra.length);
      grown.set(bytes);
      grown.set(extra, bytes.length);
      return grown;
    }
    case 3: { // set random bytes
      for (let n = random.integer(1, 3); n > 0 && bytes.length > 0; n--) {
        bytes[at()] = random.integer(0, 255);
      }
      return bytes;
    }
    case 4: { // repeat or remove a slice
      const start = at();
      const end = random.integer(start, bytes.length);
      // Repeated: bytes[..end) then bytes[start..); removed: bytes[..start) then bytes[end..).
      const [head, tail] = random.chance(0.5) ? [end, start] : [start, end];
      const out = new Uint8Array(head + bytes.length - tail);
      out.set(bytes.subarray(0, head));
      out.set(bytes.subarray(tail), head);
      return out;
    }
    default: { // a huge length, or one shorter than the bytes, in a field of 1, 2 or 4 bytes
      const width = random.pick([1, 2, 4]);
      if (bytes.length < width) return bytes;
      const offset = random.integer(0, bytes.length - width);
      const small = random.chance(0.5) ? random.integer(0, bytes.length) : random.pick(HUGE);
      const value = small % 2 ** (8 * width);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const little = random.chance(0.5);
      if (width === 1) view.setUint8(offset, value);
      else if (width === 2) view.setUint16(offset, value, little);
      else view.setUint32(offset, value, little);
      return bytes;
    }
  }
}

/** Either fresh random bytes (one time in `freshOneIn`) or a mutation of `valid()`. */
export function hostileBytes(
  random: SeededRandom,
  valid: () => Uint8Array,
  freshOneIn = 4,
): Uint8Array {
  if (random.integer(1, freshOneIn) === 1) return randomBytes(random);
  let bytes = mutate(random, valid());
  if (random.chance(0.25)) bytes = mutate(random, bytes);
  return bytes;
}

/**
 * A generator that gives the first 200 values of `make`, then one of them at random: for
 * valid encodings that are slow to build (DEFLATE, checksums), whose mutations give
 * variety enough.
 */
export function pooled<T>(make: (random: SeededRandom) => T): (random: SeededRandom) => T {
  const pool: T[] = [];
  return (random) => {
    if (pool.length < 200) pool.push(make(random));
    return random.pick(pool);
  };
}

/** `text` repeated to `size` characters (a shape's building block). */
export function repeatTo(text: string, size: number): string {
  return text.repeat(Math.ceil(size / text.length)).slice(0, size);
}

/** `pattern` repeated to `size` bytes. */
export function repeatBytes(pattern: ArrayLike<number>, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = pattern[i % pattern.length];
  return bytes;
}

/**
 * A {@linkcode Reader} over `data` that returns chunks whose sizes come from
 * `nextChunkSize` (never more than asked for), then end of stream; it counts its calls.
 */
export class ChunkedReader implements Reader {
  /** Bytes served so far. */
  offset = 0;
  /** Calls of `read`. */
  reads = 0;
  /** Calls of `read` after the end of the stream was reported. */
  readsAfterEof = 0;

  constructor(private data: Uint8Array, private nextChunkSize: () => number) {}

  read(p: Uint8Array): Promise<number | null> {
    this.reads++;
    if (this.offset === this.data.length) {
      this.readsAfterEof++;
      return Promise.resolve(null);
    }
    const size = Math.min(p.length, this.nextChunkSize(), this.data.length - this.offset);
    p.set(this.data.subarray(this.offset, this.offset + size));
    this.offset += size;
    return Promise.resolve(size);
  }
}
