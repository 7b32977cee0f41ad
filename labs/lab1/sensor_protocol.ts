/**
 * Deliverable 1 — the sensor telemetry protocol (version 1): encoding and decoding of
 * its two messages, a READING from a sensor and a RESPONSE from the server, shared by
 * the four sensor scripts. `sensor_protocol.md` beside this file is the specification;
 * every size and offset here comes from its tables.
 *
 * All fields are big-endian (network byte order, struct prefix `>`), so every message
 * is described by one struct format and packed or unpacked in a single call. Every
 * message starts with the same 6-byte header: magic "ST", version, type and the total
 * length of the message, which is how a TCP reader knows where a message ends.
 *
 * @module
 */
import { concat, hexlify, previewText, utf8DecodeStrict, utf8Encode } from "../../lib/bytes.ts";
import { type BufferedReader, UnexpectedEofError } from "../../lib/framing.ts";
import { Struct } from "../../lib/struct.ts";

// #region constants
/** The two bytes every message starts with: ASCII "ST" (sensor telemetry). */
export const MAGIC = utf8Encode("ST");
/** The protocol version this module speaks. */
export const VERSION = 1;
/** Largest message a receiver accepts, header included; a larger declared length is refused. */
export const MAX_MESSAGE_SIZE = 512;
/** Longest sampling interval the scripts accept or command: one day, in ms. */
export const MAX_INTERVAL_MS = 86_400_000;
/** The latest `server_time` a response may carry: the last millisecond a `Date` holds. */
export const MAX_SERVER_TIME = 8_640_000_000_000_000;
/** Largest note, in UTF-8 bytes (its length travels in one byte). */
export const MAX_NOTE_BYTES = 255;

/** Message types (header byte 3). */
export const MessageType = { READING: 1, RESPONSE: 2 } as const;

/** Where the reading's power comes from (an enum: one byte, one of these values). */
export const PowerSource = { MAINS: 0, BATTERY: 1, SOLAR: 2 } as const;

/** The bits of a reading's flags byte; bits 4 to 7 are reserved and must be 0. */
export const Flag = { LOW_BATTERY: 0x01, TEMPERATURE_ALARM: 0x02, MOTION: 0x04, TAMPER: 0x08 };
const RESERVED_FLAG_BITS = 0xf0;

/** A response's status: OK, or what was wrong with the message it answers. */
export const Status = {
  OK: 0,
  MALFORMED: 1,
  BAD_MAGIC: 2,
  UNSUPPORTED_VERSION: 3,
  TOO_LARGE: 4,
  UNKNOWN_TYPE: 5,
  INVALID_TEXT: 6,
  INVALID_FIELD: 7,
  IDLE_TIMEOUT: 8,
} as const;

/** What the server asks the sensor to do; SET_INTERVAL's argument is milliseconds. */
export const Command = { NONE: 0, SET_INTERVAL: 1 } as const;
// #endregion constants

/** A status code (a value of {@linkcode Status}). */
export type StatusCode = typeof Status[keyof typeof Status];

// #region structs
/** magic, version, type, length. */
export const HEADER = new Struct(">2sBBH");
/** Header, seq, device, timestamp, temperature, humidity, rssi, battery, power, flags, note length; the note follows. */
export const READING = new Struct(">2sBBHIHQfHbBBBB");
/** Header, status, acknowledged seq, server time, command, command argument. */
export const RESPONSE = new Struct(">2sBBHBIQBI");
// #endregion structs

/** One sensor reading, as the program sees it (the wire stores some fields scaled). */
export interface Reading {
  /** Sequence number, counting from 1 for each sensor run (u32, wraps around). */
  seq: number;
  /** Which sensor sent it (u16). */
  device: number;
  /** The sensor's clock when it took the reading, in ms since 1970 (u64). */
  timestamp: number;
  /** Degrees Celsius (float32: about 7 significant digits survive). */
  temperature: number;
  /** Relative humidity in percent, 0 to 100, to 0.01 (u16 of hundredths on the wire). */
  humidity: number;
  /** Radio signal strength in dBm (i8). */
  rssi: number;
  /** Battery charge in percent, 0 to 100 (u8). */
  battery: number;
  /** A value of {@linkcode PowerSource}. */
  power: number;
  /** Bits of {@linkcode Flag}. */
  flags: number;
  /** Optional free text (at most 255 UTF-8 bytes); null when absent. */
  note: string | null;
}

/** The server's answer to one reading (or to a message it could not accept). */
export interface Response {
  /** A value of {@linkcode Status}. */
  status: number;
  /** The seq of the reading answered; 0 when it could not be read. */
  ack: number;
  /** The server's clock, in ms since 1970. */
  serverTime: number;
  /** A value of {@linkcode Command}. */
  command: number;
  /** The command's argument (SET_INTERVAL: the new interval in ms; else 0). */
  argument: number;
}

/**
 * A message that breaks the protocol: `status` is the code to answer with and `ack` the
 * seq to acknowledge, when the reading's seq could be read.
 */
export class ProtocolError extends Error {
  constructor(readonly status: StatusCode, message: string, readonly ack = 0) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The name of a value in one of the enum tables above, or `unknown(<n>)`. */
export function nameOf(table: Record<string, number>, value: number): string {
  return Object.keys(table).find((name) => table[name] === value) ?? `unknown(${value})`;
}

/** Whether `value` is one of the values of an enum table above. */
function isKnown(table: Record<string, number>, value: number): boolean {
  return Object.values(table).includes(value);
}

/** The names of the flags set in `flags`. */
export function flagNames(flags: number): string[] {
  return Object.keys(Flag).filter((name) => flags & Flag[name as keyof typeof Flag]);
}

// #region encode
/**
 * Packs a reading into its wire bytes (31 bytes plus the note).
 *
 * @throws {RangeError} If a field is outside what the specification allows (see
 * {@linkcode Reading}) or the note is longer than 255 UTF-8 bytes.
 */
export function encodeReading(reading: Reading): Uint8Array {
  const problem = readingProblem(reading);
  if (problem) throw new RangeError(problem);
  const note = utf8Encode(reading.note ?? "");
  if (note.length > MAX_NOTE_BYTES) {
    throw new RangeError(`note is ${note.length} UTF-8 bytes; at most ${MAX_NOTE_BYTES} fit`);
  }
  const { seq, device, timestamp, temperature, humidity, rssi, battery, power, flags } = reading;
  const fixed = READING.pack(
    MAGIC,
    VERSION,
    MessageType.READING,
    READING.size + note.length,
    seq,
    device,
    BigInt(timestamp),
    temperature,
    Math.round(humidity * 100),
    rssi,
    battery,
    power,
    flags,
    note.length,
  );
  return concat(fixed, note);
}

/**
 * Packs a response into its 24 wire bytes.
 *
 * @throws {RangeError} If a field does not fit its place on the wire (any status and
 * command that fit are packed, so that tests can send unknown ones).
 */
export function encodeResponse(response: Response): Uint8Array {
  const { status, ack, serverTime, command, argument } = response;
  const problem = wholeNumberProblem("status", status, 0, 0xff) ??
    wholeNumberProblem("ack", ack, 0, MAX_U32) ??
    wholeNumberProblem("server time", serverTime, 0, Number.MAX_SAFE_INTEGER) ??
    wholeNumberProblem("command", command, 0, 0xff) ??
    wholeNumberProblem("argument", argument, 0, MAX_U32);
  if (problem) throw new RangeError(problem);
  return RESPONSE.pack(
    MAGIC,
    VERSION,
    MessageType.RESPONSE,
    RESPONSE.size,
    status,
    ack,
    BigInt(serverTime),
    command,
    argument,
  );
}

/** The response that reports `error` to the peer that sent the bad message. */
export function errorResponse(error: ProtocolError, serverTime = Date.now()): Uint8Array {
  return encodeResponse({
    status: error.status,
    ack: error.ack,
    serverTime,
    command: Command.NONE,
    argument: 0,
  });
}
// #endregion encode

// #region decode
/**
 * Checks a message's 6-byte header and returns its type and declared length. Over TCP
 * every error here ends the connection: after a bad header nothing says where the next
 * message starts.
 *
 * @throws {ProtocolError} If the header is short, or its magic, version or length wrong.
 */
export function decodeHeader(header: Uint8Array): { type: number; length: number } {
  if (header.length < HEADER.size) {
    throw new ProtocolError(
      Status.MALFORMED,
      `message of ${header.length} bytes is shorter than the ${HEADER.size}-byte header`,
    );
  }
  const [magic, version, type, length] = HEADER.unpackFrom(header) as [
    Uint8Array,
    number,
    number,
    number,
  ];
  const fail = (status: StatusCode, message: string) => {
    throw new ProtocolError(status, message);
  };
  if (magic[0] !== MAGIC[0] || magic[1] !== MAGIC[1]) {
    fail(Status.BAD_MAGIC, `bad magic 0x${hexlify(magic)} (expected 0x5354 "ST")`);
  }
  if (version !== VERSION) fail(Status.UNSUPPORTED_VERSION, `unsupported version ${version}`);
  if (length > MAX_MESSAGE_SIZE) {
    fail(
      Status.TOO_LARGE,
      `declared length ${length} exceeds the ${MAX_MESSAGE_SIZE}-byte maximum`,
    );
  }
  if (length < HEADER.size) {
    fail(Status.MALFORMED, `declared length ${length} is below the header size`);
  }
  return { type, length };
}

/**
 * Decodes one whole message as a reading.
 *
 * @throws {ProtocolError} If it is not a valid one; its status is the one to answer with.
 */
export function decodeReading(message: Uint8Array): Reading {
  const length = decodeWhole(message, MessageType.READING);
  if (length < READING.size) {
    throw new ProtocolError(
      Status.MALFORMED,
      `reading of ${length} bytes is shorter than ${READING.size}`,
    );
  }
  // After the 4 header fields; the u64 timestamp unpacks to a bigint.
  const [seq, device, timestamp, temperature, humidity, rssi, battery, power, flags, noteLength] =
    READING.unpackFrom(message).slice(4) as number[];
  if (READING.size + noteLength !== length) {
    throw new ProtocolError(
      Status.MALFORMED,
      `reading #${seq}: a ${noteLength}-byte note does not make ${length} bytes`,
      seq,
    );
  }
  const reading: Reading = {
    seq,
    device,
    timestamp: Number(timestamp),
    temperature,
    humidity: humidity / 100,
    rssi,
    battery,
    power,
    flags,
    note: null,
  };
  const problem = readingProblem(reading);
  if (problem) throw new ProtocolError(Status.INVALID_FIELD, `reading #${seq}: ${problem}`, seq);
  if (noteLength > 0) {
    try {
      reading.note = utf8DecodeStrict(message.subarray(READING.size));
    } catch {
      throw new ProtocolError(
        Status.INVALID_TEXT,
        `reading #${seq}: the note is not valid UTF-8`,
        seq,
      );
    }
  }
  return reading;
}

/**
 * Decodes one whole message as a response.
 *
 * @throws {ProtocolError} If it is not a valid one.
 */
export function decodeResponse(message: Uint8Array): Response {
  const length = decodeWhole(message, MessageType.RESPONSE);
  if (length !== RESPONSE.size) {
    throw new ProtocolError(
      Status.MALFORMED,
      `response of ${length} bytes (expected ${RESPONSE.size})`,
    );
  }
  const [status, ack, serverTime, command, argument] = RESPONSE.unpack(message).slice(
    4,
  ) as number[];
  if (!isKnown(Status, status)) {
    throw new ProtocolError(Status.INVALID_FIELD, `response with unknown status ${status}`, ack);
  }
  if (!isKnown(Command, command)) {
    throw new ProtocolError(Status.INVALID_FIELD, `response with unknown command ${command}`, ack);
  }
  if (command === Command.SET_INTERVAL && !(argument >= 1 && argument <= MAX_INTERVAL_MS)) {
    throw new ProtocolError(Status.INVALID_FIELD, `SET_INTERVAL to ${argument} ms`, ack);
  }
  if (Number(serverTime) > MAX_SERVER_TIME) {
    throw new ProtocolError(Status.INVALID_FIELD, `server_time ${serverTime} is not a time`, ack);
  }
  return { status, ack, serverTime: Number(serverTime), command, argument };
}

/** Checks the header of a complete message (a datagram, or a frame read by {@linkcode readMessage}). */
function decodeWhole(message: Uint8Array, expectedType: number): number {
  const header = decodeHeader(message);
  if (header.length !== message.length) {
    throw new ProtocolError(
      Status.MALFORMED,
      `message of ${message.length} bytes declares ${header.length} bytes`,
    );
  }
  if (header.type !== expectedType) {
    const kind = nameOf(MessageType, header.type);
    throw new ProtocolError(
      Status.UNKNOWN_TYPE,
      `unexpected message type ${header.type} (${kind})`,
    );
  }
  return header.length;
}

const MAX_U32 = 0xffff_ffff;

/** What is wrong with a field that must be a whole number from `min` to `max`, if anything. */
function wholeNumberProblem(name: string, value: number, min: number, max: number): string | null {
  return Number.isInteger(value) && value >= min && value <= max
    ? null
    : `${name} ${value} is not a whole number from ${min} to ${max}`;
}

/**
 * What is wrong with a reading's values, or null if nothing is. A decoded reading can
 * only break the rules the wire's field widths leave open; one to encode, any of them.
 */
function readingProblem(reading: Reading): string | null {
  const { seq, device, timestamp, temperature, humidity, rssi, battery, power, flags } = reading;
  const width = wholeNumberProblem("seq", seq, 0, MAX_U32) ??
    wholeNumberProblem("device", device, 0, 0xffff) ??
    wholeNumberProblem("rssi", rssi, -128, 127) ??
    wholeNumberProblem("flags", flags, 0, 0xff);
  if (width) return width;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    return `timestamp ${timestamp} is not a time`;
  }
  // A float32 holds up to about 3.4e38: a larger finite number is no temperature either.
  if (!Number.isFinite(Math.fround(temperature))) {
    return `temperature ${temperature} is not a number`;
  }
  if (!(humidity >= 0 && humidity <= 100)) return `humidity ${humidity} % is outside 0..100`;
  if (!(Number.isInteger(battery) && battery >= 0 && battery <= 100)) {
    return `battery ${battery} % is outside 0..100`;
  }
  if (!isKnown(PowerSource, power)) return `unknown power source ${power}`;
  if (flags & RESERVED_FLAG_BITS) {
    return `reserved flag bits set (0x${hexlify(new Uint8Array([flags]))})`;
  }
  return null;
}
// #endregion decode

// #region framing
/**
 * Reads one whole message from a TCP stream: the 6-byte header, checked, then the rest
 * of the declared length. Resolves to null when the peer closes between messages. Once
 * the first byte of a message has arrived, the rest must follow within `stallTimeoutMs`
 * (no limit if it is 0 or not given).
 *
 * @throws {ProtocolError} If the header is invalid, the stream ends inside a message
 * (MALFORMED) or the rest of a message stalls (IDLE_TIMEOUT).
 */
export async function readMessage(
  reader: BufferedReader,
  stallTimeoutMs?: number,
): Promise<Uint8Array | null> {
  const first = await reader.readExactOrEof(1);
  if (first === null) return null;
  const rest = readRestOfMessage(reader, first);
  if (!stallTimeoutMs) return await rest;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `no complete message within ${stallTimeoutMs} ms of its first byte`;
      reject(new ProtocolError(Status.IDLE_TIMEOUT, message));
    }, stallTimeoutMs);
  });
  rest.catch(() => {}); // after a stall the read fails when the connection is closed: expected
  try {
    return await Promise.race([rest, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

async function readRestOfMessage(reader: BufferedReader, first: Uint8Array): Promise<Uint8Array> {
  let header = first;
  try {
    header = concat(first, await reader.readExact(HEADER.size - 1));
    const { length } = decodeHeader(header); // before reading the body: a huge length is refused
    return concat(header, await reader.readExact(length - HEADER.size));
  } catch (error) {
    if (!(error instanceof UnexpectedEofError)) throw error;
    const before = header.length; // the bytes in hand when the failed read began
    const [got, wanted] = [before + error.received, before + error.expected];
    const message = `truncated message: the connection closed after ${got} of ${wanted} bytes`;
    throw new ProtocolError(Status.MALFORMED, message);
  }
}
// #endregion framing

// #region describe
/** One line describing a reading, e.g. `#3 device 7: 21.50 °C, 45.25 %RH, -67 dBm, …`. */
export function describeReading(reading: Reading): string {
  const { seq, device, temperature, humidity, rssi, battery, power, flags, note } = reading;
  const flagText = flags === 0 ? "none" : flagNames(flags).join("+");
  return `#${seq} device ${device}: ${temperature.toFixed(2)} °C, ${humidity.toFixed(2)} %RH, ` +
    `${rssi} dBm, battery ${battery} % (${nameOf(PowerSource, power)}), flags ${flagText}` +
    (note === null ? "" : `, note ${previewText(JSON.stringify(note))}`); // a sensor's text
}

/** One line describing a response, e.g. `#3 OK, server time …, SET_INTERVAL 2000 ms`. */
export function describeResponse(response: Response): string {
  const { status, ack, serverTime, command, argument } = response;
  const time = new Date(serverTime).toISOString();
  const order = command === Command.SET_INTERVAL ? `, SET_INTERVAL ${argument} ms` : "";
  return `#${ack} ${nameOf(Status, status)}, server time ${time}${order}`;
}
// #endregion describe
