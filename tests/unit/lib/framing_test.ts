import assert from "node:assert/strict";
import { concat, utf8Encode } from "../../../lib/bytes.ts";
import {
  BufferedReader,
  encodeFrame,
  type FramePrefix,
  FrameTooLargeError,
  FramingError,
  LineTooLongError,
  type Reader,
  readExact,
  UnexpectedEofError,
  writeAll,
  writeFrame,
  type Writer,
} from "../../../lib/framing.ts";
import { SeededRandom } from "../../../lib/random.ts";
import { ChunkedReader } from "../../harness/fuzz.ts";

// ---------------------------------------------------------------------------
// Test doubles

const oneByteAtATime = (data: Uint8Array) => new ChunkedReader(data, () => 1);
const wholeChunks = (data: Uint8Array) => new ChunkedReader(data, () => Infinity);
const randomChunks = (data: Uint8Array, seed: number, maxChunk = 10) => {
  const random = new SeededRandom(seed);
  return new ChunkedReader(data, () => random.integer(1, maxChunk));
};

/** The chunkings every stream test runs under. */
function chunkings(data: Uint8Array): [string, ChunkedReader][] {
  const cases: [string, ChunkedReader][] = [
    ["1 byte at a time", oneByteAtATime(data)],
    ["all at once", wholeChunks(data)],
  ];
  for (let seed = 1; seed <= 20; seed++) {
    cases.push([`random chunks, seed ${seed}`, randomChunks(data, seed)]);
  }
  return cases;
}

/** Returns the given chunks one per read, then fails the test if read again. */
function scriptedReader(...chunks: Uint8Array[]): Reader {
  return {
    read(p: Uint8Array): Promise<number | null> {
      const chunk = chunks.shift();
      if (chunk === undefined) throw new Error("read() called after the scripted chunks");
      assert.ok(chunk.length <= p.length, "test chunk larger than the read buffer");
      p.set(chunk);
      return Promise.resolve(chunk.length);
    },
  };
}

/** A reader that must never be read. */
const untouchableReader: Reader = {
  read(): Promise<number | null> {
    throw new Error("read() must not be called");
  },
};

/** Accepts at most `maxPerWrite` bytes per write and keeps everything written. */
class PartialWriter implements Writer {
  writes = 0;
  #chunks: Uint8Array[] = [];

  constructor(private maxPerWrite: number) {}

  write(p: Uint8Array): Promise<number> {
    this.writes++;
    const accepted = p.slice(0, this.maxPerWrite);
    this.#chunks.push(accepted);
    return Promise.resolve(accepted.length);
  }

  get written(): Uint8Array {
    return concat(...this.#chunks);
  }
}

const text = (value: string) => utf8Encode(value);
const bytesOf = (length: number) => Uint8Array.from({ length }, (_, i) => i % 251);

// ---------------------------------------------------------------------------
// Errors

Deno.test("error classes form a hierarchy with readable names and messages", () => {
  const eof = new UnexpectedEofError(5, 12);
  assert.ok(eof instanceof FramingError && eof instanceof Error);
  assert.equal(eof.name, "UnexpectedEofError");
  assert.equal(eof.message, "connection closed after 5 of 12 bytes");
  assert.equal(eof.received, 5);
  assert.equal(eof.expected, 12);

  const line = new LineTooLongError(1024);
  assert.ok(line instanceof FramingError);
  assert.equal(line.name, "LineTooLongError");
  assert.equal(line.message, "line longer than 1024 bytes");
  assert.equal(line.maxLength, 1024);

  const frame = new FrameTooLargeError(5_000_000, 65536);
  assert.ok(frame instanceof FramingError);
  assert.equal(frame.name, "FrameTooLargeError");
  assert.equal(frame.message, "frame of 5000000 bytes exceeds the 65536-byte maximum");
  assert.equal(frame.size, 5_000_000);
  assert.equal(frame.maxSize, 65536);

  const base = new FramingError("bad", { cause: eof });
  assert.equal(base.name, "FramingError");
  assert.equal(base.cause, eof);
});

// ---------------------------------------------------------------------------
// writeAll

Deno.test("writeAll keeps writing after partial writes", async () => {
  const data = bytesOf(100);
  const writer = new PartialWriter(7);
  await writeAll(writer, data);
  assert.deepEqual(writer.written, data);
  assert.equal(writer.writes, 15);
});

Deno.test("writeAll of nothing does not write", async () => {
  const writer = new PartialWriter(7);
  await writeAll(writer, new Uint8Array());
  assert.equal(writer.writes, 0);
});

Deno.test("writeAll passes on write errors", async () => {
  const failing: Writer = { write: () => Promise.reject(new Error("broken pipe")) };
  await assert.rejects(writeAll(failing, text("x")), { message: "broken pipe" });
});

// ---------------------------------------------------------------------------
// readExact (unbuffered)

Deno.test("readExact collects exactly n bytes over partial reads, and no more", async () => {
  const data = bytesOf(50);
  for (const [name, reader] of chunkings(data)) {
    assert.deepEqual(await readExact(reader, 20), data.subarray(0, 20), name);
    assert.equal(reader.offset, 20, `${name}: must not read past n`);
    assert.deepEqual(await readExact(reader, 30), data.subarray(20), name);
  }
});

Deno.test("readExact reports early EOF at every position", async () => {
  const data = bytesOf(12);
  for (let available = 0; available < data.length; available++) {
    const reader = randomChunks(data.subarray(0, available), available, 4);
    await assert.rejects(readExact(reader, 12), (error) => {
      assert.ok(error instanceof UnexpectedEofError);
      assert.equal(error.received, available);
      assert.equal(error.expected, 12);
      assert.equal(error.message, `connection closed after ${available} of 12 bytes`);
      return true;
    });
  }
});

Deno.test("readExact of 0 bytes does not read", async () => {
  assert.deepEqual(await readExact(untouchableReader, 0), new Uint8Array());
});

Deno.test("readExact rejects a bad byte count", async () => {
  for (const n of [-1, 1.5, NaN]) {
    await assert.rejects(readExact(untouchableReader, n), {
      name: "RangeError",
      message: `byte count must be a non-negative integer, got ${n}`,
    });
  }
});

// ---------------------------------------------------------------------------
// BufferedReader basics

Deno.test("BufferedReader rejects a bad bufferSize", () => {
  for (const bufferSize of [0, -1, 1.5, NaN]) {
    assert.throws(() => new BufferedReader(untouchableReader, { bufferSize }), {
      name: "RangeError",
      message: `bufferSize must be a positive integer, got ${bufferSize}`,
    });
  }
});

Deno.test("BufferedReader.read returns buffered bytes first, then reads the source", async () => {
  const source = wholeChunks(text("hello\nworld"));
  const reader = new BufferedReader(source);
  assert.equal(await reader.readLine(), "hello");
  assert.equal(reader.buffered, 5);
  const p = new Uint8Array(3);
  assert.equal(await reader.read(p), 3);
  assert.deepEqual(p, text("wor"));
  assert.equal(reader.buffered, 2);
  assert.equal(await reader.read(new Uint8Array()), 0);
  assert.equal(await reader.read(p), 2);
  assert.equal(await reader.read(p), null);
  assert.equal(reader.buffered, 0);
});

Deno.test("BufferedReader does not read its source again after EOF", async () => {
  const source = oneByteAtATime(text("ab"));
  const reader = new BufferedReader(source);
  assert.equal(await reader.readLine(), "ab");
  assert.equal(await reader.readLine(), null);
  assert.equal(await reader.readExactOrEof(4), null);
  assert.equal(await reader.readFrame(), null);
  assert.equal(await reader.read(new Uint8Array(1)), null);
  assert.equal(source.readsAfterEof, 1);
});

Deno.test("BufferedReader reads large requests straight into the result", async () => {
  const data = bytesOf(10_000);
  const source = wholeChunks(data);
  const reader = new BufferedReader(source, { bufferSize: 16 });
  assert.deepEqual(await reader.readExact(10_000), data);
  assert.equal(source.reads, 1, "one read, not one per 16-byte buffer fill");
});

// ---------------------------------------------------------------------------
// BufferedReader.readExact / readExactOrEof

Deno.test("readExact and readExactOrEof work under any chunking and buffer size", async () => {
  const data = bytesOf(300);
  for (const bufferSize of [1, 3, 16, 1024]) {
    for (const [name, source] of chunkings(data)) {
      const reader = new BufferedReader(source, { bufferSize });
      const label = `${name}, bufferSize ${bufferSize}`;
      assert.deepEqual(await reader.readExact(1), data.subarray(0, 1), label);
      assert.deepEqual(await reader.readExact(0), new Uint8Array(), label);
      assert.deepEqual(await reader.readExact(99), data.subarray(1, 100), label);
      assert.deepEqual(await reader.readExactOrEof(200), data.subarray(100), label);
      assert.equal(await reader.readExactOrEof(5), null, label);
    }
  }
});

Deno.test("readExactOrEof returns null at a clean end between records", async () => {
  const reader = new BufferedReader(oneByteAtATime(bytesOf(8)));
  assert.equal((await reader.readExactOrEof(4))?.length, 4);
  assert.equal((await reader.readExactOrEof(4))?.length, 4);
  assert.equal(await reader.readExactOrEof(4), null);
  assert.deepEqual(await reader.readExactOrEof(0), new Uint8Array());
});

Deno.test("readExactOrEof throws on EOF mid-record, at every position", async () => {
  for (let extra = 1; extra < 12; extra++) {
    const data = bytesOf(12 + extra);
    for (const [name, source] of chunkings(data)) {
      const reader = new BufferedReader(source, { bufferSize: 5 });
      assert.equal((await reader.readExactOrEof(12))?.length, 12, name);
      await assert.rejects(reader.readExactOrEof(12), (error) => {
        assert.ok(error instanceof UnexpectedEofError, name);
        assert.equal(error.received, extra, name);
        assert.equal(error.expected, 12, name);
        return true;
      });
    }
  }
});

Deno.test("BufferedReader.readExact throws even on EOF before the first byte", async () => {
  const reader = new BufferedReader(wholeChunks(new Uint8Array()));
  await assert.rejects(reader.readExact(3), {
    name: "UnexpectedEofError",
    message: "connection closed after 0 of 3 bytes",
  });
});

Deno.test("BufferedReader.readExact throws on early EOF at every position", async () => {
  const data = bytesOf(12);
  for (let available = 0; available < data.length; available++) {
    const reader = new BufferedReader(oneByteAtATime(data.subarray(0, available)));
    await assert.rejects(reader.readExact(12), (error) => {
      assert.ok(error instanceof UnexpectedEofError);
      assert.equal(error.received, available);
      return true;
    });
  }
});

Deno.test("BufferedReader rejects a bad byte count", async () => {
  const reader = new BufferedReader(untouchableReader);
  await assert.rejects(reader.readExact(-1), RangeError);
  await assert.rejects(reader.readExactOrEof(0.5), RangeError);
});

// ---------------------------------------------------------------------------
// BufferedReader.readLine

Deno.test("readLine splits LF and CRLF lines under any chunking", async () => {
  const data = text("first\r\nsecond\n\nfourth\r\n\r\nlast line without newline");
  const expected = ["first", "second", "", "fourth", "", "last line without newline"];
  for (const bufferSize of [1, 4, 16384]) {
    for (const [name, source] of chunkings(data)) {
      const reader = new BufferedReader(source, { bufferSize });
      const lines: string[] = [];
      let line: string | null;
      while ((line = await reader.readLine()) !== null) lines.push(line);
      assert.deepEqual(lines, expected, `${name}, bufferSize ${bufferSize}`);
    }
  }
});

Deno.test("readLine returns null after a final newline, not an empty line", async () => {
  const reader = new BufferedReader(wholeChunks(text("a\nb\n")));
  assert.equal(await reader.readLine(), "a");
  assert.equal(await reader.readLine(), "b");
  assert.equal(await reader.readLine(), null);
  assert.equal(await reader.readLine(), null);
});

Deno.test("readLine returns null on an empty stream", async () => {
  assert.equal(await new BufferedReader(wholeChunks(new Uint8Array())).readLine(), null);
});

Deno.test("readLine only strips a CR right before the LF", async () => {
  const reader = new BufferedReader(oneByteAtATime(text("a\rb\n\r\r\nc\r")));
  assert.equal(await reader.readLine(), "a\rb");
  assert.equal(await reader.readLine(), "\r");
  assert.equal(await reader.readLine(), "c\r", "unterminated final line is returned as is");
});

Deno.test("readLine decodes UTF-8 split across reads", async () => {
  const reader = new BufferedReader(oneByteAtATime(text("héllo € 😀\n")));
  assert.equal(await reader.readLine(), "héllo € 😀");
});

Deno.test("readLine replaces invalid UTF-8 with U+FFFD", async () => {
  const reader = new BufferedReader(wholeChunks(new Uint8Array([0x61, 0xff, 0x0a])));
  assert.equal(await reader.readLine(), "a\uFFFD");
});

Deno.test("readLineBytes returns raw bytes", async () => {
  const reader = new BufferedReader(wholeChunks(new Uint8Array([0xff, 0x00, 0x0d, 0x0a, 0x01])));
  assert.deepEqual(await reader.readLineBytes(), new Uint8Array([0xff, 0x00]));
  assert.deepEqual(await reader.readLineBytes(), new Uint8Array([0x01]));
  assert.equal(await reader.readLineBytes(), null);
});

Deno.test("readLineBytes returns a copy that later reads do not overwrite", async () => {
  const reader = new BufferedReader(oneByteAtATime(text("abc\ndef\n")), { bufferSize: 4 });
  const first = await reader.readLineBytes();
  await reader.readLineBytes();
  assert.deepEqual(first, text("abc"));
});

Deno.test("readLine accepts lines of exactly maxLength bytes, with LF or CRLF", async () => {
  const line = "x".repeat(10);
  for (const ending of ["\n", "\r\n"]) {
    for (const [name, source] of chunkings(text(line + ending + line))) {
      const reader = new BufferedReader(source, { bufferSize: 4 });
      assert.equal(await reader.readLine({ maxLength: 10 }), line, name);
      assert.equal(await reader.readLine({ maxLength: 10 }), line, `${name}: final line`);
    }
  }
});

Deno.test("readLine throws LineTooLongError for maxLength + 1 bytes", async () => {
  for (const data of ["12345678901\n", "12345678901\r\n", "12345678901", "1234567890\r"]) {
    for (const [name, source] of chunkings(text(data))) {
      const reader = new BufferedReader(source);
      await assert.rejects(reader.readLine({ maxLength: 10 }), {
        name: "LineTooLongError",
        message: "line longer than 10 bytes",
      }, `${JSON.stringify(data)}, ${name}`);
    }
  }
});

Deno.test("readLine gives up on an endless line without buffering it all", async () => {
  let served = 0;
  const endless: Reader = {
    read(p: Uint8Array): Promise<number> {
      const size = Math.min(p.length, 100);
      p.fill(0x61, 0, size);
      served += size;
      return Promise.resolve(size);
    },
  };
  const reader = new BufferedReader(endless, { bufferSize: 64 });
  await assert.rejects(reader.readLine({ maxLength: 1000 }), LineTooLongError);
  assert.ok(served > 1000 && served <= 1100, `read ${served} bytes`);
  assert.ok(reader.buffered <= 2 * 1002, `buffered ${reader.buffered} bytes`);
});

Deno.test("readLine uses a 64 KiB default maxLength", async () => {
  const long = "y".repeat(65536);
  const ok = new BufferedReader(randomChunks(text(long + "\n"), 7, 5000));
  assert.equal(await ok.readLine(), long);
  const tooLong = new BufferedReader(randomChunks(text(long + "y\n"), 7, 5000));
  await assert.rejects(tooLong.readLine(), { message: "line longer than 65536 bytes" });
});

Deno.test("readLine supports another single-character delimiter, without CR stripping", async () => {
  for (const [name, source] of chunkings(text("one\0two\r\0three"))) {
    const reader = new BufferedReader(source);
    assert.equal(await reader.readLine({ delimiter: "\0" }), "one", name);
    assert.equal(await reader.readLine({ delimiter: "\0" }), "two\r", name);
    assert.equal(await reader.readLine({ delimiter: "\0" }), "three", name);
    assert.equal(await reader.readLine({ delimiter: "\0" }), null, name);
  }
});

Deno.test("readLine rejects bad options", async () => {
  const reader = new BufferedReader(untouchableReader);
  for (const delimiter of ["", "ab", "é", "\r\n"]) {
    await assert.rejects(reader.readLine({ delimiter }), {
      name: "RangeError",
      message: `delimiter must be a single ASCII character, got ${JSON.stringify(delimiter)}`,
    });
  }
  for (const maxLength of [-1, 2.5, NaN]) {
    await assert.rejects(reader.readLine({ maxLength }), {
      name: "RangeError",
      message: `maxLength must be a non-negative integer, got ${maxLength}`,
    });
  }
});

// ---------------------------------------------------------------------------
// Frames

Deno.test("encodeFrame writes a big-endian length prefix of the chosen size", () => {
  const payload = new Uint8Array([0xaa, 0xbb, 0xcc]);
  assert.deepEqual(encodeFrame(payload), new Uint8Array([0, 0, 0, 3, 0xaa, 0xbb, 0xcc]));
  assert.deepEqual(encodeFrame(payload, { prefix: "u32" }), encodeFrame(payload));
  assert.deepEqual(
    encodeFrame(payload, { prefix: "u16" }),
    new Uint8Array([0, 3, 0xaa, 0xbb, 0xcc]),
  );
  assert.deepEqual(encodeFrame(payload, { prefix: "u8" }), new Uint8Array([3, 0xaa, 0xbb, 0xcc]));
  assert.deepEqual(encodeFrame(new Uint8Array()), new Uint8Array(4));
  assert.deepEqual(
    encodeFrame(bytesOf(0x0102), { prefix: "u16" }).subarray(0, 2),
    new Uint8Array([1, 2]),
  );
  assert.deepEqual(
    encodeFrame(bytesOf(0x010203), { maxSize: 2 ** 24 }).subarray(0, 4),
    new Uint8Array([0, 1, 2, 3]),
  );
});

Deno.test("encodeFrame accepts the largest payload each prefix can express", () => {
  const u8 = encodeFrame(bytesOf(255), { prefix: "u8" });
  assert.deepEqual(u8.subarray(0, 1), new Uint8Array([255]));
  assert.deepEqual(u8.subarray(1), bytesOf(255));
  const u16 = encodeFrame(bytesOf(65535), { prefix: "u16" });
  assert.deepEqual(u16.subarray(0, 2), new Uint8Array([255, 255]));
  assert.deepEqual(u16.subarray(2), bytesOf(65535));
});

Deno.test("encodeFrame rejects payloads over maxSize or the prefix's range", () => {
  assert.throws(() => encodeFrame(bytesOf(256), { prefix: "u8" }), {
    name: "FrameTooLargeError",
    message: "frame of 256 bytes exceeds the 255-byte maximum",
  });
  assert.throws(() => encodeFrame(bytesOf(65536), { prefix: "u16", maxSize: 100_000 }), {
    message: "frame of 65536 bytes exceeds the 65535-byte maximum",
  });
  assert.throws(() => encodeFrame(bytesOf(11), { maxSize: 10 }), {
    message: "frame of 11 bytes exceeds the 10-byte maximum",
  });
  assert.throws(() => encodeFrame(bytesOf(1024 * 1024 + 1)), {
    message: "frame of 1048577 bytes exceeds the 1048576-byte maximum",
  });
  assert.equal(encodeFrame(bytesOf(10), { maxSize: 10 }).length, 14);
});

Deno.test("frame functions reject bad options", async () => {
  const reader = new BufferedReader(untouchableReader);
  const badPrefixes = ["u64", "toString", ""] as unknown as FramePrefix[];
  for (const prefix of badPrefixes) {
    const expected = {
      name: "RangeError",
      message: `prefix must be "u8", "u16" or "u32", got ${JSON.stringify(prefix)}`,
    };
    assert.throws(() => encodeFrame(new Uint8Array(), { prefix }), expected);
    await assert.rejects(reader.readFrame({ prefix }), expected);
  }
  for (const maxSize of [-1, 0.5, NaN]) {
    const expected = {
      name: "RangeError",
      message: `maxSize must be a non-negative integer, got ${maxSize}`,
    };
    assert.throws(() => encodeFrame(new Uint8Array(), { maxSize }), expected);
    await assert.rejects(reader.readFrame({ maxSize }), expected);
  }
});

Deno.test("writeFrame writes prefix and payload through partial writes", async () => {
  const payload = bytesOf(20);
  const writer = new PartialWriter(3);
  await writeFrame(writer, payload, { prefix: "u16" });
  assert.deepEqual(writer.written, encodeFrame(payload, { prefix: "u16" }));
});

Deno.test("writeFrame writes nothing when the payload is too large", async () => {
  const writer = new PartialWriter(100);
  await assert.rejects(writeFrame(writer, bytesOf(300), { prefix: "u8" }), FrameTooLargeError);
  assert.equal(writer.writes, 0);
});

Deno.test("readFrame reads frames of every prefix type under any chunking", async () => {
  const frames: [FramePrefix, Uint8Array][] = [
    ["u32", text("hello")],
    ["u32", new Uint8Array()],
    ["u16", bytesOf(300)],
    ["u8", bytesOf(255)],
    ["u8", new Uint8Array()],
    ["u32", bytesOf(70_000)],
  ];
  const stream = concat(...frames.map(([prefix, payload]) => encodeFrame(payload, { prefix })));
  for (const bufferSize of [1, 7, 16384]) {
    for (const [name, source] of chunkings(stream)) {
      const reader = new BufferedReader(source, { bufferSize });
      for (const [prefix, payload] of frames) {
        assert.deepEqual(await reader.readFrame({ prefix }), payload, `${name} ${bufferSize}`);
      }
      assert.equal(await reader.readFrame(), null, name);
    }
  }
});

Deno.test("readFrame throws on EOF inside the prefix or the payload, at every position", async () => {
  const frame = encodeFrame(bytesOf(8));
  for (let available = 1; available < frame.length; available++) {
    const reader = new BufferedReader(oneByteAtATime(frame.subarray(0, available)));
    const inPrefix = available < 4;
    await assert.rejects(reader.readFrame(), (error) => {
      assert.ok(error instanceof UnexpectedEofError);
      assert.equal(error.expected, inPrefix ? 4 : 8, `available ${available}`);
      assert.equal(error.received, inPrefix ? available : available - 4);
      return true;
    });
  }
});

Deno.test("readFrame rejects a 4 GiB declared length before reading any payload", async () => {
  const reader = new BufferedReader(scriptedReader(new Uint8Array([0xff, 0xff, 0xff, 0xff])));
  await assert.rejects(reader.readFrame(), (error) => {
    assert.ok(error instanceof FrameTooLargeError);
    assert.equal(error.message, "frame of 4294967295 bytes exceeds the 1048576-byte maximum");
    assert.equal(error.size, 2 ** 32 - 1);
    assert.equal(error.maxSize, 1024 * 1024);
    return true;
  });
});

Deno.test("readFrame enforces maxSize but accepts a frame of exactly maxSize", async () => {
  const tooLarge = new BufferedReader(scriptedReader(new Uint8Array([0, 0x4c, 0x4b, 0x40])));
  await assert.rejects(tooLarge.readFrame({ maxSize: 65536 }), {
    name: "FrameTooLargeError",
    message: "frame of 5000000 bytes exceeds the 65536-byte maximum",
  });
  const exact = new BufferedReader(wholeChunks(encodeFrame(bytesOf(10), { prefix: "u8" })));
  assert.deepEqual(await exact.readFrame({ prefix: "u8", maxSize: 10 }), bytesOf(10));
  const over = new BufferedReader(wholeChunks(encodeFrame(bytesOf(11), { prefix: "u8" })));
  await assert.rejects(over.readFrame({ prefix: "u8", maxSize: 10 }), FrameTooLargeError);
});

Deno.test("lines, frames and exact reads can be mixed on one stream", async () => {
  const stream = concat(
    text("HELLO 2\r\n"),
    encodeFrame(text("first")),
    encodeFrame(text("second"), { prefix: "u16" }),
    new Uint8Array([1, 2, 3]),
    text("BYE\n"),
  );
  for (const [name, source] of chunkings(stream)) {
    const reader = new BufferedReader(source, { bufferSize: 8 });
    assert.equal(await reader.readLine(), "HELLO 2", name);
    assert.deepEqual(await reader.readFrame(), text("first"), name);
    assert.deepEqual(await reader.readFrame({ prefix: "u16" }), text("second"), name);
    assert.deepEqual(await reader.readExact(3), new Uint8Array([1, 2, 3]), name);
    assert.equal(await reader.readLine(), "BYE", name);
    assert.equal(await reader.readLine(), null, name);
  }
});

// ---------------------------------------------------------------------------
// Lines or pauses

/**
 * Serves each chunk in turn; a number instead of a chunk is a silence of that many
 * milliseconds (the read that falls on it waits, then returns the next chunk).
 */
function timedReader(...steps: (string | number)[]): Reader {
  return {
    async read(p: Uint8Array): Promise<number | null> {
      let step = steps.shift();
      while (typeof step === "number") {
        await new Promise((resolve) => setTimeout(resolve, step as number));
        step = steps.shift();
      }
      if (step === undefined) return null;
      const bytes = text(step);
      p.set(bytes);
      return bytes.length;
    },
  };
}

Deno.test("readLineOrPause ends a bare message at a pause and a line at its newline", async () => {
  const reader = new BufferedReader(timedReader("hello", 200, "one\r\ntwo\n", 200, "close"));
  const read = () => reader.readLineOrPause({ pauseMs: 50 });
  assert.deepEqual(await read(), { line: "hello", ended: "pause" });
  assert.deepEqual(await read(), { line: "one", ended: "newline" });
  assert.deepEqual(await read(), { line: "two", ended: "newline" });
  assert.deepEqual(await read(), { line: "close", ended: "end" });
  assert.equal(await read(), null);
});

Deno.test("readLineOrPause joins the pieces of a message that arrive within the pause", async () => {
  const reader = new BufferedReader(timedReader("hel", 10, "lo", 10, " world", 300, "next"));
  assert.deepEqual(await reader.readLineOrPause({ pauseMs: 150 }), {
    line: "hello world",
    ended: "pause",
  });
  // The read that was still waiting when the pause ended brings the next message.
  assert.deepEqual(await reader.readLineOrPause({ pauseMs: 150 }), { line: "next", ended: "end" });
});

Deno.test("readLineOrPause with an infinite pause waits for the newline", async () => {
  const reader = new BufferedReader(timedReader("tw", 100, "o\nrest"));
  assert.deepEqual(await reader.readLineOrPause({ pauseMs: Infinity }), {
    line: "two",
    ended: "newline",
  });
  assert.deepEqual(await reader.readLineOrPause({ pauseMs: Infinity }), {
    line: "rest",
    ended: "end",
  });
});

Deno.test("readLineOrPause bounds the message length and rejects a bad pause", async () => {
  const long = new BufferedReader(timedReader("x".repeat(11)));
  await assert.rejects(long.readLineOrPause({ pauseMs: 50, maxLength: 10 }), LineTooLongError);
  const exact = new BufferedReader(timedReader("x".repeat(10) + "\r\n"));
  assert.deepEqual(await exact.readLineOrPause({ pauseMs: 50, maxLength: 10 }), {
    line: "x".repeat(10),
    ended: "newline",
  });
  for (const pauseMs of [0, -1, NaN]) {
    await assert.rejects(
      new BufferedReader(untouchableReader).readLineOrPause({ pauseMs }),
      RangeError,
    );
  }
});

Deno.test("readLineOrPause, then other reads, over loopback TCP after a pause", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const server = await listener.accept();
    try {
      const reader = new BufferedReader(server, { bufferSize: 16 });
      await writeAll(client, text("bare"));
      assert.deepEqual(await reader.readLineOrPause({ pauseMs: 50 }), {
        line: "bare",
        ended: "pause",
      });
      // A read is still waiting on the socket: the bytes it brings must not be lost.
      await writeAll(client, bytesOf(100));
      assert.deepEqual(await reader.readExact(100), bytesOf(100));
      client.close();
      assert.equal(await reader.readLineOrPause({ pauseMs: 50 }), null);
    } finally {
      server.close();
    }
  } finally {
    listener.close();
  }
});

// ---------------------------------------------------------------------------
// Real TCP

/** Passes at most `maxPerWrite` bytes to each write, pausing now and then so reads split too. */
function smallWrites(conn: Deno.Conn, maxPerWrite: number): Writer {
  let writes = 0;
  return {
    async write(p: Uint8Array): Promise<number> {
      if (++writes % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      return await conn.write(p.subarray(0, maxPerWrite));
    },
  };
}

Deno.test("frames and lines survive a loopback TCP connection written in small pieces", async () => {
  const payloads = [text("hello"), new Uint8Array(), bytesOf(5000), text("ünïcode"), bytesOf(1)];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const sent = (async () => {
      const conn = await listener.accept();
      try {
        conn.setNoDelay(true);
        const writer = smallWrites(conn, 3);
        for (const payload of payloads) await writeFrame(writer, payload);
        await writeAll(writer, text("line one\r\nline two\n"));
      } finally {
        conn.close();
      }
    })();

    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    try {
      const reader = new BufferedReader(client, { bufferSize: 64 });
      for (const payload of payloads) assert.deepEqual(await reader.readFrame(), payload);
      assert.equal(await reader.readLine(), "line one");
      assert.equal(await reader.readLine(), "line two");
      assert.equal(await reader.readLine(), null);
      assert.equal(await reader.readFrame(), null);
    } finally {
      client.close();
    }
    await sent;
  } finally {
    listener.close();
  }
});
