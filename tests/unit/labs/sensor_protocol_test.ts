/**
 * Unit tests of `labs/lab1/sensor_protocol.ts` (not graded checks): every field of a
 * reading and a response, the worked example of the specification, every malformed
 * message and the TCP framing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { hexlify, unhexlify } from "../../../lib/bytes.ts";
import { BufferedReader, type Reader } from "../../../lib/framing.ts";
import { Struct } from "../../../lib/struct.ts";
import {
  Command,
  decodeHeader,
  decodeReading,
  decodeResponse,
  describeReading,
  describeResponse,
  encodeReading,
  encodeResponse,
  errorResponse,
  Flag,
  flagNames,
  HEADER,
  MAX_MESSAGE_SIZE,
  MessageType,
  nameOf,
  PowerSource,
  ProtocolError,
  READING,
  type Reading,
  readMessage,
  RESPONSE,
  type Response,
  Status,
  type StatusCode,
} from "../../../labs/lab1/sensor_protocol.ts";

const SPEC = new URL("../../../labs/lab1/sensor_protocol.md", import.meta.url);
/** The Spanish translation of the specification, on the site. */
const SPEC_ES = new URL("../../../site/es/sensor-protocol.md", import.meta.url);

/** The reading of the specification's worked example. */
const EXAMPLE: Reading = {
  seq: 1,
  device: 7,
  timestamp: 1735689600000,
  temperature: 21.5,
  humidity: 45.25,
  rssi: -67,
  battery: 88,
  power: PowerSource.BATTERY,
  flags: Flag.MOTION,
  note: "café",
};
const EXAMPLE_RESPONSE: Response = {
  status: Status.OK,
  ack: 1,
  serverTime: 1735689600042,
  command: Command.SET_INTERVAL,
  argument: 2000,
};

/** The hex dumps in the ```text blocks of the specification, in order. */
async function specHexBlocks(spec = SPEC): Promise<string[]> {
  const text = await Deno.readTextFile(spec);
  return [...text.matchAll(/```text\n([\s\S]*?)```/g)].map(([, block]) =>
    block.replace(/\s+/g, "")
  );
}

/** Asserts that `action` throws a ProtocolError with `status` (and `ack`, if given). */
function assertRejects(action: () => unknown, status: StatusCode, ack?: number): ProtocolError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    assert.equal(nameOf(Status, error.status), nameOf(Status, status), error.message);
    if (ack !== undefined) assert.equal(error.ack, ack, "ack of the error");
    return error;
  }
  assert.fail(`expected ${nameOf(Status, status)}, but nothing was thrown`);
}

/** `bytes` with the byte at `offset` replaced. */
function patched(bytes: Uint8Array, offset: number, ...values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, offset);
  return copy;
}

Deno.test("sensor protocol: struct sizes match the specification", () => {
  assert.equal(HEADER.size, 6);
  assert.equal(READING.size, 31);
  assert.equal(RESPONSE.size, 24);
  assert.equal(encodeReading({ ...EXAMPLE, note: null }).length, 31);
  assert.equal(encodeResponse(EXAMPLE_RESPONSE).length, 24);
});

Deno.test("sensor protocol: the specification's worked example is what the code sends", async () => {
  const [reading, response, badMagic] = await specHexBlocks();
  assert.equal(hexlify(encodeReading(EXAMPLE)), reading);
  assert.deepEqual(decodeReading(unhexlify(reading)), EXAMPLE);
  assert.equal(hexlify(encodeResponse(EXAMPLE_RESPONSE)), response);
  assert.deepEqual(decodeResponse(unhexlify(response)), EXAMPLE_RESPONSE);
  const error = assertRejects(() => decodeReading(patched(unhexlify(reading), 0, 0x58, 0x59)), 2);
  assert.equal(hexlify(errorResponse(error, 1735689600042)), badMagic);
});

Deno.test("sensor protocol: the Spanish specification shows the same bytes", async () => {
  assert.deepEqual(await specHexBlocks(SPEC_ES), await specHexBlocks());
});

Deno.test("sensor protocol: each reading field sits at the offset of the specification", () => {
  const bytes = encodeReading(EXAMPLE);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  assert.deepEqual([...bytes.subarray(0, 2)], [0x53, 0x54]);
  assert.equal(view.getUint8(2), 1, "version");
  assert.equal(view.getUint8(3), MessageType.READING, "type");
  assert.equal(view.getUint16(4), 36, "length");
  assert.equal(view.getUint32(6), 1, "seq");
  assert.equal(view.getUint16(10), 7, "device");
  assert.equal(view.getBigUint64(12), 1735689600000n, "timestamp");
  assert.equal(view.getFloat32(20), 21.5, "temperature");
  assert.equal(view.getUint16(24), 4525, "humidity");
  assert.equal(view.getInt8(26), -67, "rssi");
  assert.equal(view.getUint8(27), 88, "battery");
  assert.equal(view.getUint8(28), PowerSource.BATTERY, "power");
  assert.equal(view.getUint8(29), 0x04, "flags");
  assert.equal(view.getUint8(30), 5, "note length");
  assert.equal(new TextDecoder().decode(bytes.subarray(31)), "café");
});

Deno.test("sensor protocol: each response field sits at the offset of the specification", () => {
  const bytes = encodeResponse({
    ...EXAMPLE_RESPONSE,
    status: Status.INVALID_TEXT,
    ack: 0xdeadbeef,
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(view.getUint8(3), MessageType.RESPONSE, "type");
  assert.equal(view.getUint16(4), 24, "length");
  assert.equal(view.getUint8(6), Status.INVALID_TEXT, "status");
  assert.equal(view.getUint32(7), 0xdeadbeef, "ack");
  assert.equal(view.getBigUint64(11), 1735689600042n, "server time");
  assert.equal(view.getUint8(19), Command.SET_INTERVAL, "command");
  assert.equal(view.getUint32(20), 2000, "argument");
});

Deno.test("sensor protocol: every reading field round-trips at the ends of its range", () => {
  const cases: Partial<Reading>[] = [
    { seq: 0 },
    { seq: 2 ** 32 - 1 },
    { device: 0 },
    { device: 65535 },
    { timestamp: 0 },
    { timestamp: Number.MAX_SAFE_INTEGER },
    { temperature: -40.25 },
    { temperature: 0 },
    { temperature: Math.fround(3.4e38) },
    { humidity: 0 },
    { humidity: 100 },
    { humidity: 0.01 },
    { rssi: -128 },
    { rssi: 127 },
    { battery: 0 },
    { battery: 100 },
    ...Object.values(PowerSource).map((power) => ({ power })),
    ...Object.values(Flag).map((flags) => ({ flags })),
    { flags: 0x0f },
    { flags: 0 },
    { note: null },
    { note: "x" },
    { note: "温度 OK 🌡️" },
    { note: "é".repeat(127) + "a" }, // 255 bytes, the maximum
  ];
  for (const change of cases) {
    const reading = { ...EXAMPLE, ...change };
    const decoded = decodeReading(encodeReading(reading));
    assert.deepEqual(decoded, reading, JSON.stringify(change));
  }
});

Deno.test("sensor protocol: scaled and narrowed fields decode to what the wire can hold", () => {
  const decoded = decodeReading(
    encodeReading({ ...EXAMPLE, temperature: 21.43, humidity: 45.678 }),
  );
  assert.equal(decoded.temperature, Math.fround(21.43), "float32 keeps about 7 digits");
  assert.equal(decoded.humidity, 45.68, "humidity travels in hundredths of a percent");
  assert.equal(decodeReading(encodeReading({ ...EXAMPLE, note: "" })).note, null, "empty = none");
});

Deno.test("sensor protocol: the encoder refuses values the wire cannot carry", () => {
  const bad: [Partial<Reading>, RegExp][] = [
    [{ humidity: 100.01 }, /humidity/],
    [{ humidity: -1 }, /humidity/],
    [{ battery: 101 }, /battery/],
    [{ power: 3 }, /power/],
    [{ flags: 0x10 }, /reserved/],
    [{ temperature: NaN }, /temperature/],
    [{ temperature: Infinity }, /temperature/],
    [{ timestamp: -1 }, /timestamp/],
    [{ note: "a".repeat(256) }, /256 UTF-8 bytes/],
    [{ temperature: 1e39 }, /temperature/],
    [{ battery: 50.5 }, /battery/],
    [{ seq: 2 ** 32 }, /seq 4294967296 is not a whole number from 0 to 4294967295/],
    [{ seq: -1 }, /seq/],
    [{ device: 65536 }, /device/],
    [{ rssi: -129 }, /rssi/],
    [{ rssi: 1.5 }, /rssi/],
    [{ flags: 0x100 }, /flags/],
  ];
  for (const [change, message] of bad) {
    assert.throws(
      () => encodeReading({ ...EXAMPLE, ...change }),
      (error: Error) => error instanceof RangeError && message.test(error.message),
      JSON.stringify(change),
    );
  }
  const response = (change: Partial<Response>) => () =>
    encodeResponse({ ...EXAMPLE_RESPONSE, ...change });
  assert.throws(response({ status: 256 }), RangeError);
  assert.throws(response({ ack: -1 }), RangeError);
  assert.throws(response({ serverTime: 1.5 }), RangeError);
  assert.throws(response({ argument: 2 ** 32 }), RangeError);
});

Deno.test("sensor protocol: a broken header is refused with the status of the specification", () => {
  const good = encodeReading(EXAMPLE);
  assertRejects(() => decodeReading(new Uint8Array()), Status.MALFORMED);
  assertRejects(() => decodeReading(good.subarray(0, 5)), Status.MALFORMED);
  assertRejects(() => decodeReading(patched(good, 0, 0x58)), Status.BAD_MAGIC);
  assertRejects(() => decodeReading(patched(good, 1, 0x00)), Status.BAD_MAGIC);
  assertRejects(() => decodeReading(patched(good, 2, 0)), Status.UNSUPPORTED_VERSION);
  assertRejects(() => decodeReading(patched(good, 2, 2)), Status.UNSUPPORTED_VERSION);
  assertRejects(() => decodeHeader(unhexlify("5354010102 01")), Status.TOO_LARGE); // 513
  assertRejects(() => decodeHeader(unhexlify("535401 01ffff")), Status.TOO_LARGE);
  assert.equal(decodeHeader(unhexlify("535401010200")).length, MAX_MESSAGE_SIZE);
  assertRejects(() => decodeHeader(unhexlify("535401010005")), Status.MALFORMED);
  // The magic is checked first, then the version, then the length.
  assertRejects(() => decodeHeader(unhexlify("585902 01ffff")), Status.BAD_MAGIC);
  assertRejects(() => decodeHeader(unhexlify("535402 01ffff")), Status.UNSUPPORTED_VERSION);
});

Deno.test("sensor protocol: a whole message with a bad body is refused, with its seq", () => {
  const good = encodeReading(EXAMPLE); // 36 bytes, note "café"
  const plain = encodeReading({ ...EXAMPLE, seq: 9, note: null }); // 31 bytes
  // The datagram and its declared length disagree.
  assertRejects(() => decodeReading(good.subarray(0, 35)), Status.MALFORMED, 0);
  assertRejects(() => decodeReading(new Uint8Array([...plain, 0])), Status.MALFORMED, 0);
  // Types: a response sent to a server, and a type nobody knows.
  assertRejects(() => decodeReading(encodeResponse(EXAMPLE_RESPONSE)), Status.UNKNOWN_TYPE);
  assertRejects(() => decodeReading(patched(plain, 3, 9)), Status.UNKNOWN_TYPE);
  // A reading shorter than its fixed part.
  assertRejects(() => decodeReading(unhexlify("53540101000a00000001")), Status.MALFORMED, 0);
  // note_length disagrees with length.
  assertRejects(() => decodeReading(patched(plain, 30, 1)), Status.MALFORMED, 9);
  assertRejects(() => decodeReading(patched(good, 30, 4)), Status.MALFORMED, 1);
  // Field values out of range.
  assertRejects(() => decodeReading(patched(plain, 24, 0x27, 0x11)), Status.INVALID_FIELD, 9);
  assertRejects(() => decodeReading(patched(plain, 27, 101)), Status.INVALID_FIELD, 9);
  assertRejects(() => decodeReading(patched(plain, 28, 3)), Status.INVALID_FIELD, 9);
  assertRejects(() => decodeReading(patched(plain, 29, 0x80)), Status.INVALID_FIELD, 9);
  assertRejects(() => decodeReading(patched(plain, 20, 0x7f, 0xc0, 0, 0)), Status.INVALID_FIELD, 9);
  assertRejects(() => decodeReading(patched(plain, 20, 0xff, 0x80, 0, 0)), Status.INVALID_FIELD, 9);
});

Deno.test("sensor protocol: a note that is not UTF-8 is refused with INVALID_TEXT", () => {
  const withNote = (bytes: number[]) =>
    patched(encodeReading({ ...EXAMPLE, seq: 4, note: "x".repeat(bytes.length) }), 31, ...bytes);
  for (
    const bytes of [
      [0xff], // never valid
      [0xc3], // a two-byte sequence cut short
      [0xc0, 0x80], // overlong encoding of NUL
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate
      [0x61, 0x80, 0x62], // a lone continuation byte
    ]
  ) {
    assertRejects(() => decodeReading(withNote(bytes)), Status.INVALID_TEXT, 4);
  }
});

Deno.test("sensor protocol: responses are checked too", () => {
  const good = encodeResponse(EXAMPLE_RESPONSE);
  assertRejects(() => decodeResponse(encodeReading(EXAMPLE)), Status.UNKNOWN_TYPE);
  assertRejects(() => decodeResponse(patched(good, 6, 9)), Status.INVALID_FIELD, 1);
  assertRejects(() => decodeResponse(patched(good, 19, 2)), Status.INVALID_FIELD, 1);
  assertRejects(() => decodeResponse(patched(good, 20, 0, 0, 0, 0)), Status.INVALID_FIELD, 1);
  const long = new Struct(">2sBBHBIQBIB").pack(
    new Uint8Array([0x53, 0x54]),
    1,
    2,
    25,
    0,
    1,
    0n,
    0,
    0,
    0,
  );
  assertRejects(() => decodeResponse(long), Status.MALFORMED);
  assertRejects(() => decodeResponse(good.subarray(0, 23)), Status.MALFORMED);
  for (const status of Object.values(Status)) {
    const response = { ...EXAMPLE_RESPONSE, status, command: Command.NONE, argument: 0 };
    assert.deepEqual(decodeResponse(encodeResponse(response)), response);
  }
});

Deno.test("sensor protocol: an error response carries the status, the ack and no command", () => {
  const error = new ProtocolError(Status.INVALID_FIELD, "battery 101 % is outside 0..100", 12);
  const response = decodeResponse(errorResponse(error, 5));
  assert.deepEqual(response, {
    status: Status.INVALID_FIELD,
    ack: 12,
    serverTime: 5,
    command: Command.NONE,
    argument: 0,
  });
});

Deno.test("sensor protocol: names and one-line descriptions", () => {
  assert.equal(nameOf(Status, 8), "IDLE_TIMEOUT");
  assert.equal(nameOf(PowerSource, 7), "unknown(7)");
  assert.deepEqual(flagNames(0x05), ["LOW_BATTERY", "MOTION"]);
  assert.equal(
    describeReading(EXAMPLE),
    '#1 device 7: 21.50 °C, 45.25 %RH, -67 dBm, battery 88 % (BATTERY), flags MOTION, note "café"',
  );
  assert.equal(
    describeResponse(EXAMPLE_RESPONSE),
    "#1 OK, server time 2025-01-01T00:00:00.042Z, SET_INTERVAL 2000 ms",
  );
});

/** A reader that returns `chunks` one per read, then ends, or hangs if `hang`. */
function chunkReader(chunks: Uint8Array[], hang = false): Reader & { reads: number } {
  return {
    reads: 0,
    read(p: Uint8Array): Promise<number | null> {
      this.reads++;
      const chunk = chunks.shift();
      if (chunk === undefined) return hang ? new Promise(() => {}) : Promise.resolve(null);
      assert.ok(chunk.length <= p.length);
      p.set(chunk);
      return Promise.resolve(chunk.length);
    },
  };
}

async function assertReadRejects(reader: Reader, status: StatusCode, timeout?: number) {
  await assert.rejects(readMessage(new BufferedReader(reader), timeout), (error) => {
    assert.ok(error instanceof ProtocolError, String(error));
    assert.equal(nameOf(Status, error.status), nameOf(Status, status), error.message);
    return true;
  });
}

Deno.test("sensor protocol: TCP framing splits a stream into messages however it arrives", async () => {
  const first = encodeReading(EXAMPLE);
  const second = encodeReading({ ...EXAMPLE, seq: 2, note: null });
  const stream = new Uint8Array([...first, ...second]);
  for (const pieces of [[stream], [...stream].map((byte) => new Uint8Array([byte]))]) {
    const reader = new BufferedReader(chunkReader(pieces));
    assert.deepEqual(await readMessage(reader), first);
    assert.deepEqual(await readMessage(reader), second);
    assert.equal(await readMessage(reader), null, "a clean end between messages");
  }
});

Deno.test("sensor protocol: TCP framing reports a stream that ends inside a message", async () => {
  const message = encodeReading(EXAMPLE);
  await assertReadRejects(chunkReader([message.subarray(0, 3)]), Status.MALFORMED);
  await assertReadRejects(chunkReader([message.subarray(0, 20)]), Status.MALFORMED);
  await assert.rejects(
    readMessage(new BufferedReader(chunkReader([message.subarray(0, 20)]))),
    /closed after 20 of 36 bytes/,
  );
});

Deno.test("sensor protocol: TCP framing refuses a huge length before reading the body", async () => {
  const source = chunkReader([unhexlify("53540101ffff")], true); // then nothing ever comes
  await assertReadRejects(source, Status.TOO_LARGE);
  assert.equal(source.reads, 1, "nothing was read after the header");
  await assertReadRejects(chunkReader([unhexlify("58590101001f")], true), Status.BAD_MAGIC);
});

Deno.test("sensor protocol: TCP framing gives up on a message that stalls", async () => {
  const message = encodeReading(EXAMPLE);
  await assertReadRejects(chunkReader([message.subarray(0, 10)], true), Status.IDLE_TIMEOUT, 50);
  // Silence between messages is not a stall: a whole message in time is read.
  const reader = new BufferedReader(chunkReader([message]));
  assert.deepEqual(await readMessage(reader, 50), message);
});
