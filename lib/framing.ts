/**
 * Framing: reading and writing whole messages over a TCP byte stream.
 *
 * TCP delivers a stream of bytes, not messages: one `write` of 12 bytes may
 * arrive as several `read`s of 5 and 7 bytes, and two messages may arrive in
 * a single `read`. A protocol therefore needs *framing* — a rule for where
 * each message ends. This module implements the two common rules:
 *
 * - **delimited lines**: each message ends with `\n` (text protocols such as
 *   SMTP or HTTP headers), read with {@linkcode BufferedReader.readLine};
 * - **length-prefixed frames**: each message starts with its length as a
 *   big-endian integer, read with {@linkcode BufferedReader.readFrame} and
 *   written with {@linkcode writeFrame}.
 *
 * For peers that follow neither rule (the Python originals send a bare word
 * per `send()` and wait for the answer), {@linkcode BufferedReader.readLineOrPause}
 * also ends a message where the sender falls silent.
 *
 * It also provides the loops every stream program needs because a single
 * `read` or `write` may transfer fewer bytes than asked:
 * {@linkcode readExact} and {@linkcode writeAll}.
 *
 * Everything works with any object that has the right `read` / `write`
 * method ({@linkcode Reader}, {@linkcode Writer}), such as `Deno.Conn` or an
 * in-memory test double. Errors are subclasses of {@linkcode FramingError}.
 *
 * @example Echo length-prefixed frames back to a client
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, encodeFrame, writeAll, writeFrame } from "./framing.ts";
 * import { concat, utf8Decode, utf8Encode } from "./bytes.ts";
 *
 * async function echoFrames(conn: Deno.Conn): Promise<void> {
 *   const reader = new BufferedReader(conn);
 *   let frame: Uint8Array | null;
 *   while ((frame = await reader.readFrame()) !== null) {
 *     await writeFrame(conn, frame);
 *   }
 * }
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = listener.accept().then(async (conn) => {
 *   await echoFrames(conn);
 *   conn.close();
 * });
 * using client = await Deno.connect({ port: listener.addr.port });
 * // Two frames in one write: the frames, not the writes, are the messages.
 * await writeAll(client, concat(encodeFrame(utf8Encode("hi")), encodeFrame(utf8Encode("there"))));
 * await client.closeWrite();
 * const reader = new BufferedReader(client);
 * assert.equal(utf8Decode((await reader.readFrame())!), "hi");
 * assert.equal(utf8Decode((await reader.readFrame())!), "there");
 * assert.equal(await reader.readFrame(), null);
 * await serving;
 * ```
 *
 * @module
 */

import { utf8Decode } from "./bytes.ts";

/**
 * Anything bytes can be read from, such as `Deno.Conn`. `read` fills the
 * start of `p` and resolves to the number of bytes read (possibly fewer
 * than `p.length`), or to `null` at end of stream.
 *
 * @example An in-memory reader that returns one byte per call
 * ```ts
 * import assert from "node:assert/strict";
 * import { readExact, type Reader } from "./framing.ts";
 *
 * function dribble(data: Uint8Array): Reader {
 *   let offset = 0;
 *   return {
 *     read(p: Uint8Array): Promise<number | null> {
 *       if (offset === data.length) return Promise.resolve(null);
 *       p[0] = data[offset++];
 *       return Promise.resolve(1);
 *     },
 *   };
 * }
 *
 * const reader = dribble(new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await readExact(reader, 3), new Uint8Array([1, 2, 3])); // three reads
 * assert.equal(await reader.read(new Uint8Array(1)), null);
 * ```
 */
export interface Reader {
  /** Reads up to `p.length` bytes into `p`; resolves to the count, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
}

/**
 * A {@linkcode Reader} over bytes in memory, to try framing code without a socket:
 * each read returns (as much as fits of) the next chunk, so the chunks play the
 * pieces TCP may split a stream into; then the stream ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readerOf } from "./framing.ts";
 *
 * const reader = readerOf(new Uint8Array([1, 2, 3]), new Uint8Array([4]));
 * const p = new Uint8Array(10);
 * assert.equal(await reader.read(p), 3);
 * assert.equal(await reader.read(p), 1);
 * assert.equal(await reader.read(p), null);
 * ```
 */
export function readerOf(...chunks: Uint8Array[]): Reader {
  const pending = chunks.filter((chunk) => chunk.length > 0);
  return {
    read(p: Uint8Array): Promise<number | null> {
      const chunk = pending[0];
      if (chunk === undefined) return Promise.resolve(null);
      const count = Math.min(p.length, chunk.length);
      p.set(chunk.subarray(0, count));
      if (count === chunk.length) pending.shift();
      else pending[0] = chunk.subarray(count);
      return Promise.resolve(count);
    },
  };
}

/**
 * Anything bytes can be written to, such as `Deno.Conn`. `write` may write
 * only part of `p` and resolves to the number of bytes written.
 *
 * @example An in-memory writer that collects what is written
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFrame, type Writer } from "./framing.ts";
 *
 * const chunks: Uint8Array[] = [];
 * const collector: Writer = {
 *   write(p: Uint8Array): Promise<number> {
 *     chunks.push(p.slice());
 *     return Promise.resolve(p.length);
 *   },
 * };
 * await writeFrame(collector, new Uint8Array([7]), { prefix: "u8" });
 * assert.deepEqual(chunks, [new Uint8Array([1, 7])]);
 * ```
 */
export interface Writer {
  /** Writes some prefix of `p`; resolves to the number of bytes written. */
  write(p: Uint8Array): Promise<number>;
}

/**
 * Base class of the errors thrown when a stream does not contain the
 * expected framing. Catch this to handle any of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, FramingError, readerOf } from "./framing.ts";
 * import { utf8Encode } from "./bytes.ts";
 *
 * async function readRequest(reader: BufferedReader): Promise<string | null> {
 *   try {
 *     return await reader.readLine({ maxLength: 1024 });
 *   } catch (error) {
 *     if (error instanceof FramingError) return null; // malformed input: give up
 *     throw error;
 *   }
 * }
 *
 * const tooLong = new BufferedReader(readerOf(utf8Encode("x".repeat(2000) + "\n")));
 * assert.equal(await readRequest(tooLong), null);
 * ```
 */
export class FramingError extends Error {
  /**
   * Creates the error; `name` is set to the concrete class name.
   *
   * @param message What went wrong.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The stream ended in the middle of a read that needed more bytes, e.g.
 * the peer closed the connection halfway through a record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnexpectedEofError } from "./framing.ts";
 *
 * const error = new UnexpectedEofError(5, 12);
 * assert.equal(error.message, "connection closed after 5 of 12 bytes");
 * ```
 */
export class UnexpectedEofError extends FramingError {
  /** How many bytes arrived before the end of the stream. */
  readonly received: number;
  /** How many bytes were needed. */
  readonly expected: number;

  /**
   * Creates the error.
   *
   * @param received How many bytes arrived before the end of the stream.
   * @param expected How many bytes were needed.
   */
  constructor(received: number, expected: number) {
    super(`connection closed after ${received} of ${expected} bytes`);
    this.received = received;
    this.expected = expected;
  }
}

/**
 * A line was longer than the allowed maximum (see
 * {@linkcode BufferedReader.readLine}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineTooLongError } from "./framing.ts";
 *
 * assert.equal(new LineTooLongError(1024).message, "line longer than 1024 bytes");
 * ```
 */
export class LineTooLongError extends FramingError {
  /** The maximum line length in bytes that was exceeded. */
  readonly maxLength: number;

  /**
   * Creates the error.
   *
   * @param maxLength The maximum line length in bytes that was exceeded.
   */
  constructor(maxLength: number) {
    super(`line longer than ${maxLength} bytes`);
    this.maxLength = maxLength;
  }
}

/**
 * A frame's length was larger than the allowed maximum, when reading (the
 * declared length in the prefix) or writing (the payload).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FrameTooLargeError } from "./framing.ts";
 *
 * assert.equal(
 *   new FrameTooLargeError(5_000_000, 65536).message,
 *   "frame of 5000000 bytes exceeds the 65536-byte maximum",
 * );
 * ```
 */
export class FrameTooLargeError extends FramingError {
  /** The frame's payload length in bytes. */
  readonly size: number;
  /** The largest allowed payload length in bytes. */
  readonly maxSize: number;

  /**
   * Creates the error.
   *
   * @param size The frame's payload length in bytes.
   * @param maxSize The largest allowed payload length in bytes.
   */
  constructor(size: number, maxSize: number) {
    super(`frame of ${size} bytes exceeds the ${maxSize}-byte maximum`);
    this.size = size;
    this.maxSize = maxSize;
  }
}

/**
 * A read of a {@linkcode BufferedReader} made with `timeoutMs` did not finish in time:
 * the peer went silent, or sent what was asked for too slowly (a line a byte at a time).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadTimeoutError } from "./framing.ts";
 *
 * assert.equal(new ReadTimeoutError(500).message, "what was asked for did not arrive within 500 ms");
 * ```
 */
export class ReadTimeoutError extends FramingError {
  /** The time allowed, in milliseconds. */
  readonly timeoutMs: number;

  /**
   * Creates the error.
   *
   * @param timeoutMs The time allowed, in milliseconds.
   */
  constructor(timeoutMs: number) {
    super(`what was asked for did not arrive within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

function checkByteCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Writes all of `data`, calling `writer.write` again after each partial
 * write until everything has been written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAll, type Writer } from "./framing.ts";
 * import { utf8Decode, utf8Encode } from "./bytes.ts";
 *
 * // A writer that takes at most 2 bytes per write, as a busy socket may.
 * const received: number[] = [];
 * const slow: Writer = {
 *   write(p) {
 *     received.push(...p.subarray(0, 2));
 *     return Promise.resolve(Math.min(p.length, 2));
 *   },
 * };
 * await writeAll(slow, utf8Encode("HELLO\r\n"));
 * assert.equal(utf8Decode(new Uint8Array(received)), "HELLO\r\n");
 * ```
 */
export async function writeAll(writer: Writer, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) {
    written += await writer.write(data.subarray(written));
  }
}

/** Reads until `target` is full or the stream ends; resolves to the number of bytes read. */
async function readFully(reader: Reader, target: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < target.length) {
    const count = await reader.read(target.subarray(filled));
    if (count === null) break;
    filled += count;
  }
  return filled;
}

/**
 * Reads exactly `n` bytes, or `null` if the stream ends before the first
 * byte; ending after some but not all bytes is an error.
 */
async function readExactOrEofFrom(reader: Reader, n: number): Promise<Uint8Array | null> {
  checkByteCount(n, "byte count");
  const result = new Uint8Array(n);
  const received = await readFully(reader, result);
  if (received === 0 && n > 0) return null;
  if (received < n) throw new UnexpectedEofError(received, n);
  return result;
}

/**
 * Reads exactly `n` bytes, calling `reader.read` again after each partial
 * read. It never reads past the `n` bytes, so it can be mixed with other
 * reads on the same connection — but each call may take many `read`s;
 * prefer a {@linkcode BufferedReader} for many small reads.
 *
 * @example Read a fixed-size 4-byte header that arrives in two reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { readerOf, readExact, UnexpectedEofError } from "./framing.ts";
 *
 * const conn = readerOf(new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]));
 * assert.deepEqual(await readExact(conn, 4), new Uint8Array([1, 2, 3, 4]));
 * await assert.rejects(readExact(conn, 4), UnexpectedEofError); // only 1 byte was left
 * ```
 *
 * @throws {UnexpectedEofError} If the stream ends before `n` bytes arrive.
 * @throws {RangeError} If `n` is not a non-negative integer.
 */
export async function readExact(reader: Reader, n: number): Promise<Uint8Array> {
  const result = await readExactOrEofFrom(reader, n);
  if (result === null) throw new UnexpectedEofError(0, n);
  return result;
}

/** Options for {@linkcode BufferedReader}. */
export interface BufferedReaderOptions {
  /** Initial size of the internal buffer in bytes (default 16 KiB). */
  bufferSize?: number;
  /**
   * How long each read may take, in milliseconds, from the call to the last byte it
   * needs: a whole line, record or frame, or for {@linkcode BufferedReader.read} any
   * bytes. Past it, the read throws {@linkcode ReadTimeoutError}, so that a peer that
   * goes silent or trickles a message in a byte at a time cannot hold a server's
   * connection forever. After that error the reader is unusable: close the connection
   * (which also ends the read still pending on it). Default: no limit (0 too).
   */
  timeoutMs?: number;
}

/** Options for {@linkcode BufferedReader.readLine}. */
export interface ReadLineOptions {
  /**
   * The longest line accepted, in bytes, not counting the delimiter (nor
   * the `\r` of a `\r\n`). Default 64 KiB.
   */
  maxLength?: number;
  /**
   * The single ASCII character that ends a line. Default `"\n"`, in which
   * case a `\r` just before it is removed as well, so both `\n` and `\r\n`
   * line endings work.
   */
  delimiter?: string;
}

/** Options for {@linkcode BufferedReader.readLineOrPause}. */
export interface ReadLineOrPauseOptions {
  /**
   * How long the sender must stay silent, in milliseconds, after bytes
   * without a newline, for those bytes to count as a whole message.
   * `Infinity` waits for the newline (or the end of the stream) as
   * {@linkcode BufferedReader.readLine} does.
   */
  pauseMs: number;
  /** The longest message accepted, in bytes, not counting its line end. Default 64 KiB. */
  maxLength?: number;
}

/** A message read by {@linkcode BufferedReader.readLineOrPause}, and what ended it. */
export interface PausedLine {
  /** The message, decoded as UTF-8, without its line end. */
  line: string;
  /**
   * `"newline"`: a `\n` (or `\r\n`) ended it; `"pause"`: the sender fell
   * silent for `pauseMs`; `"end"`: the stream ended after it.
   */
  ended: "newline" | "pause" | "end";
}

/** Length-prefix types: an unsigned big-endian integer of 1, 2 or 4 bytes. */
export type FramePrefix = "u8" | "u16" | "u32";

/** Options for {@linkcode BufferedReader.readFrame}, {@linkcode writeFrame} and {@linkcode encodeFrame}. */
export interface FrameOptions {
  /** The type of the big-endian length prefix. Default `"u32"`. */
  prefix?: FramePrefix;
  /** The largest payload accepted, in bytes. Default 1 MiB. */
  maxSize?: number;
}

const DEFAULT_BUFFER_SIZE = 16 * 1024;
const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
const DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;

const PREFIX_SIZES: Readonly<Record<FramePrefix, number>> = { u8: 1, u16: 2, u32: 4 };

/**
 * Resolves frame options to the prefix size in bytes and the effective
 * maximum payload: `maxSize`, but never more than the prefix can express.
 */
function frameLimits(options: FrameOptions): { prefixSize: number; maxSize: number } {
  const { prefix = "u32", maxSize = DEFAULT_MAX_FRAME_SIZE } = options;
  if (!Object.hasOwn(PREFIX_SIZES, prefix)) {
    throw new RangeError(`prefix must be "u8", "u16" or "u32", got ${JSON.stringify(prefix)}`);
  }
  checkByteCount(maxSize, "maxSize");
  const prefixSize = PREFIX_SIZES[prefix];
  return { prefixSize, maxSize: Math.min(maxSize, 2 ** (8 * prefixSize) - 1) };
}

function parseDelimiter(delimiter: string): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code > 0x7f) {
    throw new RangeError(
      `delimiter must be a single ASCII character, got ${JSON.stringify(delimiter)}`,
    );
  }
  return code;
}

/**
 * Adds buffering to a {@linkcode Reader} (such as a `Deno.Conn`), so that
 * records can be read without caring how the bytes were split into
 * `read`s: exact byte counts, lines, and length-prefixed frames. The methods
 * can be mixed freely on one stream. Read only through the
 * `BufferedReader` once created: it may already hold bytes read ahead from
 * the source.
 *
 * It is itself a {@linkcode Reader}, so it can be passed to anything that
 * takes one.
 *
 * @example Lines, however the reads split them
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, readerOf } from "./framing.ts";
 * import { utf8Encode } from "./bytes.ts";
 *
 * const reader = new BufferedReader(readerOf(utf8Encode("hel"), utf8Encode("lo\nbye\n")));
 * const lines: string[] = [];
 * for (let line; (line = await reader.readLine({ maxLength: 1024 })) !== null;) lines.push(line);
 * assert.deepEqual(lines, ["hello", "bye"]);
 * ```
 */
export class BufferedReader implements Reader {
  #source: Reader;
  #buffer: Uint8Array;
  /** Buffered, not yet consumed bytes are `#buffer[#start..#end)`. */
  #start = 0;
  #end = 0;
  /** Set once the source has reported end of stream, so it is not read again. */
  #eof = false;
  /** A read of the source still in progress (one that a pause stopped waiting for). */
  #filling: Promise<boolean> | null = null;
  readonly #timeoutMs: number;
  /** When the read in progress must be done (`performance.now()`); reads inside it share it. */
  #deadline: number | undefined;
  /** The error that ended this reader (a timeout), thrown by every later read. */
  #failure: ReadTimeoutError | undefined;

  /**
   * Wraps `source`.
   *
   * @param source Where the bytes come from, e.g. a `Deno.Conn`.
   * @param options `bufferSize`: the initial buffer size in bytes (default 16 KiB).
   * @throws {RangeError} If `bufferSize` is not a positive integer.
   */
  constructor(source: Reader, options: BufferedReaderOptions = {}) {
    const { bufferSize = DEFAULT_BUFFER_SIZE, timeoutMs = 0 } = options;
    if (!Number.isSafeInteger(bufferSize) || bufferSize < 1) {
      throw new RangeError(`bufferSize must be a positive integer, got ${bufferSize}`);
    }
    if (!(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be 0 or more, got ${timeoutMs}`);
    this.#source = source;
    this.#buffer = new Uint8Array(bufferSize);
    this.#timeoutMs = timeoutMs;
  }

  /** Runs one read of the public API against its deadline (set by the outermost one). */
  async #timed<T>(read: () => Promise<T>): Promise<T> {
    if (this.#failure) throw this.#failure;
    if (this.#timeoutMs === 0 || this.#deadline !== undefined) return await read();
    this.#deadline = performance.now() + this.#timeoutMs;
    try {
      return await read();
    } finally {
      this.#deadline = undefined;
    }
  }

  /**
   * The number of bytes already read from the source and waiting in the
   * buffer; reading that many bytes now will not wait for the network.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   * import { utf8Encode } from "./bytes.ts";
   *
   * const reader = new BufferedReader(readerOf(utf8Encode("HELO\nQUIT\n")));
   * await reader.readLine();
   * assert.equal(reader.buffered, 5); // "QUIT\n" arrived with the first line
   * ```
   */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Reads up to `p.length` bytes: buffered bytes if there are any,
   * otherwise the result of one read from the source. Resolves to `null` at
   * end of stream. This makes a `BufferedReader` a {@linkcode Reader}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   *
   * const reader = new BufferedReader(readerOf(new Uint8Array([1, 2, 3])));
   * const some = new Uint8Array(100);
   * assert.equal(await reader.read(some), 3); // 1..100 bytes
   * assert.equal(await reader.read(some), null); // the end of the stream
   * ```
   */
  read(p: Uint8Array): Promise<number | null> {
    return this.#timed(() => this.#read(p));
  }

  async #read(p: Uint8Array): Promise<number | null> {
    if (p.length === 0) return 0;
    if (this.buffered === 0) {
      // A read at least as large as the buffer would gain nothing from it: skip a copy.
      if (p.length >= this.#buffer.length && !this.#filling) return await this.#readSource(p);
      if (!(await this.#fill())) return null;
    }
    return this.#take(p);
  }

  /**
   * Reads exactly `n` bytes.
   *
   * @example Read a 4-byte header, then the rest
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   *
   * const reader = new BufferedReader(readerOf(new Uint8Array([0, 0, 0, 2, 0xaa, 0xbb])));
   * const header = await reader.readExact(4);
   * const body = await reader.readExact(header[3]);
   * assert.deepEqual(body, new Uint8Array([0xaa, 0xbb]));
   * ```
   *
   * @throws {UnexpectedEofError} If the stream ends before `n` bytes arrive;
   * `received` says how many did.
   * @throws {RangeError} If `n` is not a non-negative integer.
   */
  readExact(n: number): Promise<Uint8Array> {
    return this.#timed(() => readExact(this, n));
  }

  /**
   * Reads exactly `n` bytes, or resolves to `null` if the stream ends
   * before the first of them — a clean end between fixed-size records.
   *
   * @example Read 16-byte records until the peer closes the connection
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   *
   * const reader = new BufferedReader(readerOf(new Uint8Array(32))); // two records, then the end
   * let records = 0;
   * for (let record; (record = await reader.readExactOrEof(16)) !== null;) records++;
   * assert.equal(records, 2);
   * ```
   *
   * @throws {UnexpectedEofError} If the stream ends after some but not all
   * of the `n` bytes.
   * @throws {RangeError} If `n` is not a non-negative integer.
   */
  readExactOrEof(n: number): Promise<Uint8Array | null> {
    return this.#timed(() => readExactOrEofFrom(this, n));
  }

  /**
   * Reads one line and decodes it as UTF-8 (invalid bytes become U+FFFD).
   * See {@linkcode BufferedReader.readLineBytes} for the rules; this is
   * that method plus decoding.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   * import { utf8Encode } from "./bytes.ts";
   *
   * const reader = new BufferedReader(readerOf(utf8Encode("HELO example.org\r\n")));
   * assert.equal(await reader.readLine({ maxLength: 512 }), "HELO example.org");
   * assert.equal(await reader.readLine(), null); // the stream ended
   * ```
   *
   * @throws {LineTooLongError} If the line exceeds `maxLength` bytes.
   * @throws {RangeError} If an option is invalid.
   */
  async readLine(options: ReadLineOptions = {}): Promise<string | null> {
    const line = await this.readLineBytes(options);
    return line === null ? null : utf8Decode(line);
  }

  /**
   * Reads one line as raw bytes: everything up to the delimiter (`\n` by
   * default), which is consumed but not returned; with the default
   * delimiter a `\r` just before it is removed too. At end of stream, a
   * final line without a delimiter is returned as it is, and after that
   * (or if nothing was left) the result is `null`.
   *
   * A line longer than `maxLength` bytes (default 64 KiB) throws
   * {@linkcode LineTooLongError} as soon as too many bytes have arrived, so
   * memory use stays bounded (the buffer grows to at most about twice
   * `maxLength`). After that error the reader is positioned in the middle
   * of the long line; the usual response is to close the connection.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   *
   * const reader = new BufferedReader(readerOf(new Uint8Array([0x68, 0xff, 0, 0x69, 0])));
   * const record = await reader.readLineBytes({ delimiter: "\0" }); // NUL-terminated
   * assert.deepEqual(record, new Uint8Array([0x68, 0xff])); // bytes, not necessarily text
   * ```
   *
   * @throws {LineTooLongError} If the line exceeds `maxLength` bytes.
   * @throws {RangeError} If `maxLength` is not a non-negative integer or
   * `delimiter` is not a single ASCII character.
   */
  readLineBytes(options: ReadLineOptions = {}): Promise<Uint8Array | null> {
    return this.#timed(() => this.#readLineBytes(options));
  }

  async #readLineBytes(options: ReadLineOptions): Promise<Uint8Array | null> {
    const { maxLength = DEFAULT_MAX_LINE_LENGTH, delimiter = "\n" } = options;
    checkByteCount(maxLength, "maxLength");
    const delimiterByte = parseDelimiter(delimiter);
    const stripCr = delimiterByte === LF;
    // Bytes before this offset (from #start) are known not to be the delimiter.
    let scanned = 0;
    while (true) {
      const pending = this.#buffer.subarray(this.#start, this.#end);
      const delimiterIndex = pending.indexOf(delimiterByte, scanned);
      const complete = delimiterIndex >= 0;
      const line = withoutTrailingCr(
        complete ? pending.subarray(0, delimiterIndex) : pending,
        stripCr,
      );
      // Checked before the line is complete too, so an endless line fails early.
      if (line.length > maxLength) throw new LineTooLongError(maxLength);
      if (complete) {
        this.#start += delimiterIndex + 1;
        return line.slice();
      }
      scanned = pending.length;
      if (!(await this.#fill())) break;
    }
    if (this.buffered === 0) return null;
    // End of stream: the remaining bytes are a final line with no delimiter.
    const lastLine = this.#buffer.slice(this.#start, this.#end);
    this.#start = this.#end;
    if (lastLine.length > maxLength) throw new LineTooLongError(maxLength);
    return lastLine;
  }

  /**
   * Reads one message that ends at a newline, as {@linkcode BufferedReader.readLine}
   * does, or where the sender pauses: bytes without a newline after which
   * nothing more arrives for `pauseMs` milliseconds are a message too. It
   * suits conversations in turns, where a sender waits for the answer
   * before sending again, with peers that send each message alone and no
   * line end (as the Python originals do, one `send()` per message). The
   * result says what ended the message, so an answer can use the same
   * framing. Resolves to `null` at the end of the stream.
   *
   * A pause is a guess: a message split in two by the network (a lost
   * segment is resent hundreds of milliseconds later) is read as two.
   *
   * @example Answer each message in the framing it came in
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, type Reader } from "./framing.ts";
   * import { utf8Encode } from "./bytes.ts";
   *
   * // "hello" alone, then (once it was answered) two lines at once.
   * const chunks = [utf8Encode("hello"), null, utf8Encode("one\ntwo\n")];
   * const source: Reader = {
   *   async read(p) {
   *     const chunk = chunks.shift();
   *     if (chunk === undefined) return null;
   *     if (chunk === null) return await new Promise((resolve) => setTimeout(resolve, 50, 0));
   *     p.set(chunk);
   *     return chunk.length;
   *   },
   * };
   * const reader = new BufferedReader(source);
   * assert.deepEqual(await reader.readLineOrPause({ pauseMs: 20 }), { line: "hello", ended: "pause" });
   * assert.deepEqual(await reader.readLineOrPause({ pauseMs: 20 }), { line: "one", ended: "newline" });
   * assert.deepEqual(await reader.readLineOrPause({ pauseMs: 20 }), { line: "two", ended: "newline" });
   * assert.equal(await reader.readLineOrPause({ pauseMs: 20 }), null);
   * ```
   *
   * @throws {LineTooLongError} If the message exceeds `maxLength` bytes.
   * @throws {RangeError} If `pauseMs` is not a positive number or `maxLength` is invalid.
   */
  readLineOrPause(options: ReadLineOrPauseOptions): Promise<PausedLine | null> {
    return this.#timed(() => this.#readLineOrPause(options));
  }

  async #readLineOrPause(options: ReadLineOrPauseOptions): Promise<PausedLine | null> {
    const { pauseMs, maxLength = DEFAULT_MAX_LINE_LENGTH } = options;
    if (!(pauseMs > 0)) throw new RangeError(`pauseMs must be positive, got ${pauseMs}`);
    checkByteCount(maxLength, "maxLength");
    let scanned = 0;
    while (true) {
      const pending = this.#buffer.subarray(this.#start, this.#end);
      const newline = pending.indexOf(LF, scanned);
      if (newline >= 0) {
        const line = withoutTrailingCr(pending.subarray(0, newline), true);
        if (line.length > maxLength) throw new LineTooLongError(maxLength);
        this.#start += newline + 1;
        return { line: utf8Decode(line), ended: "newline" };
      }
      if (withoutTrailingCr(pending, true).length > maxLength) {
        throw new LineTooLongError(maxLength);
      }
      scanned = pending.length;
      // Nothing pending: wait as long as it takes. Something: wait at most pauseMs for more.
      const more = pending.length === 0 || pauseMs === Infinity
        ? await this.#fill()
        : await this.#fillWithin(pauseMs);
      if (more === "pause") return { line: this.#takeAllText(), ended: "pause" };
      if (!more) break;
    }
    if (this.buffered === 0) return null;
    return { line: this.#takeAllText(), ended: "end" };
  }

  /**
   * Reads one length-prefixed frame: a big-endian unsigned length of 1, 2
   * or 4 bytes (`prefix` `"u8"`, `"u16"` or the default `"u32"`) followed by
   * that many payload bytes; resolves to the payload. Resolves to `null` if
   * the stream ends cleanly before the prefix. A declared length over
   * `maxSize` (default 1 MiB) is rejected before any payload is read or
   * memory allocated for it, so a hostile or buggy peer cannot make the
   * program allocate gigabytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedReader, readerOf } from "./framing.ts";
   * import { utf8Decode } from "./bytes.ts";
   *
   * const reader = new BufferedReader(readerOf(new Uint8Array([0, 2, 0x68, 0x69])));
   * const payload = await reader.readFrame({ prefix: "u16", maxSize: 4096 });
   * assert.equal(utf8Decode(payload!), "hi");
   * ```
   *
   * @throws {FrameTooLargeError} If the declared length exceeds `maxSize`.
   * @throws {UnexpectedEofError} If the stream ends inside the prefix or the
   * payload (`received`/`expected` count bytes of that part).
   * @throws {RangeError} If an option is invalid.
   */
  readFrame(options: FrameOptions = {}): Promise<Uint8Array | null> {
    return this.#timed(() => this.#readFrame(options));
  }

  async #readFrame(options: FrameOptions): Promise<Uint8Array | null> {
    const { prefixSize, maxSize } = frameLimits(options);
    const prefix = await this.readExactOrEof(prefixSize);
    if (prefix === null) return null;
    const length = decodeLength(prefix);
    if (length > maxSize) throw new FrameTooLargeError(length, maxSize);
    return await this.readExact(length);
  }

  /** Reads once from the source, remembering end of stream. */
  async #readSource(p: Uint8Array): Promise<number | null> {
    if (this.#eof) return null;
    const count = await this.#beforeDeadline(this.#source.read(p));
    if (count === null) this.#eof = true;
    return count;
  }

  /** Waits for `pending` until the deadline of the read in progress, if it has one. */
  async #beforeDeadline(pending: Promise<number | null>): Promise<number | null> {
    if (this.#deadline === undefined) return await pending;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), Math.max(0, this.#deadline! - performance.now()));
    });
    try {
      const outcome = await Promise.race([pending, late]);
      if (outcome !== "late") return outcome;
    } finally {
      clearTimeout(timer);
    }
    pending.catch(() => {}); // it fails when the connection is closed: expected by then
    this.#failure = new ReadTimeoutError(this.#timeoutMs);
    throw this.#failure;
  }

  /**
   * Reads once from the source into the buffer after the pending bytes; false at end of
   * stream. A read that a pause stopped waiting for is still going on: it is the one
   * awaited, since its bytes will land in the buffer.
   */
  #fill(): Promise<boolean> {
    if (this.#filling) return this.#filling;
    this.#makeRoom();
    const filling = (async () => {
      try {
        const count = await this.#readSource(this.#buffer.subarray(this.#end));
        if (count === null) return false;
        this.#end += count;
        return true;
      } finally {
        this.#filling = null;
      }
    })();
    // Nobody may be waiting for it (after a pause): its failure then surfaces at the next read.
    filling.catch(() => {});
    this.#filling = filling;
    return filling;
  }

  /** As {@linkcode #fill}, but resolves to `"pause"` if nothing arrives within `pauseMs`. */
  async #fillWithin(pauseMs: number): Promise<boolean | "pause"> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pause = new Promise<"pause">((resolve) => {
      timer = setTimeout(resolve, pauseMs, "pause");
    });
    try {
      return await Promise.race([this.#fill(), pause]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Consumes every buffered byte and decodes it as UTF-8. */
  #takeAllText(): string {
    const text = utf8Decode(this.#buffer.subarray(this.#start, this.#end));
    this.#start = this.#end;
    return text;
  }

  /**
   * Ensures there is free space after the pending bytes: moves them to the
   * front, or, if they fill the whole buffer (an unfinished line; readLine
   * bounds its length), doubles the buffer.
   */
  #makeRoom(): void {
    if (this.#end < this.#buffer.length) return;
    const pending = this.#buffer.subarray(this.#start, this.#end);
    const target = this.#start > 0 ? this.#buffer : new Uint8Array(2 * this.#buffer.length);
    target.set(pending);
    this.#buffer = target;
    this.#end -= this.#start;
    this.#start = 0;
  }

  /** Moves up to `p.length` buffered bytes into `p`; returns how many. */
  #take(p: Uint8Array): number {
    const count = Math.min(p.length, this.buffered);
    p.set(this.#buffer.subarray(this.#start, this.#start + count));
    this.#start += count;
    return count;
  }
}

/**
 * Removes a final `\r` if `stripCr`. For a line still being received, that
 * `\r` may be the start of its `\r\n`, so it does not count towards the limit.
 */
function withoutTrailingCr(line: Uint8Array, stripCr: boolean): Uint8Array {
  return stripCr && line.at(-1) === CR ? line.subarray(0, -1) : line;
}

function decodeLength(prefix: Uint8Array): number {
  return prefix.reduce((length, byte) => length * 256 + byte, 0);
}

/**
 * Builds a complete length-prefixed frame: the payload's length as a
 * big-endian unsigned integer of 1, 2 or 4 bytes (`prefix`, default
 * `"u32"`), followed by the payload. Useful to send a frame in one UDP
 * datagram or to build test input; {@linkcode writeFrame} uses it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame } from "./framing.ts";
 *
 * assert.deepEqual(
 *   encodeFrame(new Uint8Array([0xaa, 0xbb]), { prefix: "u16" }),
 *   new Uint8Array([0x00, 0x02, 0xaa, 0xbb]),
 * );
 * ```
 *
 * @throws {FrameTooLargeError} If the payload is longer than `maxSize`
 * (default 1 MiB) or than the prefix can express (255 bytes for `"u8"`,
 * 65535 for `"u16"`).
 * @throws {RangeError} If an option is invalid.
 */
export function encodeFrame(payload: Uint8Array, options: FrameOptions = {}): Uint8Array {
  const { prefixSize, maxSize } = frameLimits(options);
  if (payload.length > maxSize) throw new FrameTooLargeError(payload.length, maxSize);
  const frame = new Uint8Array(prefixSize + payload.length);
  let length = payload.length;
  for (let i = prefixSize - 1; i >= 0; i--) {
    frame[i] = length % 256;
    length = Math.floor(length / 256);
  }
  frame.set(payload, prefixSize);
  return frame;
}

/**
 * Writes `payload` as one length-prefixed frame (see
 * {@linkcode encodeFrame}), handling partial writes. Prefix and payload go
 * out in a single buffer, so small frames are not split into two packets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, writeFrame } from "./framing.ts";
 * import { utf8Decode, utf8Encode } from "./bytes.ts";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ port: listener.addr.port });
 * using server = await listener.accept();
 * await writeFrame(client, utf8Encode("hello"), { prefix: "u16" });
 * const frame = await new BufferedReader(server).readFrame({ prefix: "u16" });
 * assert.equal(utf8Decode(frame!), "hello");
 * ```
 *
 * @throws {FrameTooLargeError} If the payload is longer than `maxSize` or
 * than the prefix can express; nothing is written then.
 * @throws {RangeError} If an option is invalid.
 */
export async function writeFrame(
  writer: Writer,
  payload: Uint8Array,
  options: FrameOptions = {},
): Promise<void> {
  await writeAll(writer, encodeFrame(payload, options));
}
