/**
 * Fuzz test of Deliverable 1's protocol (labs/lab1/sensor_protocol.ts): `decodeHeader`,
 * `decodeReading`, `decodeResponse` and `readMessage` on random and damaged messages
 * throw only `ProtocolError`; `encodeReading` and `encodeResponse` on any numbers only
 * `RangeError`; valid readings and responses read back unchanged; time per byte stays
 * flat for huge datagrams and long streams of messages.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat, utf8Encode } from "../../../lib/bytes.ts";
import { BufferedReader } from "../../../lib/framing.ts";
import { SeededRandom } from "../../../lib/random.ts";
import {
  Command,
  decodeHeader,
  decodeReading,
  decodeResponse,
  encodeReading,
  encodeResponse,
  MAX_INTERVAL_MS,
  MAX_NOTE_BYTES,
  PowerSource,
  ProtocolError,
  type Reading,
  readMessage,
  type Response,
  Status,
} from "../../../labs/lab1/sensor_protocol.ts";
import {
  ChunkedReader,
  fuzzTest,
  hostileBytes,
  randomText,
  repeatBytes,
} from "../../harness/fuzz.ts";

/** Note text: any code point but a lone surrogate (UTF-8 cannot carry one). */
const NOTE = [...'aé €🧦\n\0"', "\u{10ffff}"];
/** The last millisecond a `Date` holds: a later server time is refused. */
const LAST_TIME = 8.64e15;

function validReading(random: SeededRandom): Reading {
  let note: string | null = randomText(random, NOTE, 80);
  while (utf8Encode(note).length > MAX_NOTE_BYTES) note = note.slice(0, -1);
  return {
    seq: random.integer(0, 0xffffffff),
    device: random.integer(0, 0xffff),
    timestamp: random.integer(0, Number.MAX_SAFE_INTEGER),
    temperature: Math.fround(random.between(-1e6, 1e6)),
    humidity: random.integer(0, 10000) / 100,
    rssi: random.integer(-128, 127),
    battery: random.integer(0, 100),
    power: random.pick(Object.values(PowerSource)),
    flags: random.integer(0, 15),
    note: note === "" ? null : note, // an empty note travels as none
  };
}

function validResponse(random: SeededRandom): Response {
  const command = random.pick(Object.values(Command));
  return {
    status: random.pick(Object.values(Status)),
    ack: random.integer(0, 0xffffffff),
    serverTime: random.integer(0, LAST_TIME),
    command,
    argument: command === Command.SET_INTERVAL ? random.integer(1, MAX_INTERVAL_MS) : 0,
  };
}

function validMessage(random: SeededRandom): Uint8Array {
  return random.chance(0.6)
    ? encodeReading(validReading(random))
    : encodeResponse(validResponse(random));
}

const DECODERS = [decodeHeader, decodeReading, decodeResponse];

/** A valid reading padded with zeros to `size` bytes. */
function hugeDatagram(size: number): Uint8Array {
  const datagram = new Uint8Array(size);
  datagram.set(encodeReading(validReading(new SeededRandom(1))));
  return datagram;
}

fuzzTest<{ bytes: Uint8Array; decoder: number }>({
  name: "decodeReading, decodeResponse, decodeHeader",
  throws: [ProtocolError],
  decode: ({ bytes, decoder }) => DECODERS[decoder](bytes),
  input: (random) => ({
    bytes: hostileBytes(random, () => validMessage(random)),
    decoder: random.integer(0, 2),
  }),
  roundTrip(random) {
    const reading = validReading(random);
    assert.deepEqual(decodeReading(encodeReading(reading)), reading);
    const response = validResponse(random);
    assert.deepEqual(decodeResponse(encodeResponse(response)), response);
  },
  shapes: {
    "a huge reading": (n) => ({ bytes: hugeDatagram(n), decoder: 1 }),
    "a huge response": (n) => ({ bytes: hugeDatagram(n), decoder: 2 }),
  },
  show: ({ bytes, decoder }) => `${DECODERS[decoder].name}: ${[...bytes.subarray(0, 64)]}`,
});

/** A stream split into random reads of up to `maxChunk` bytes. */
function reader(bytes: Uint8Array, seed: number, maxChunk = 64): BufferedReader {
  const sizes = new SeededRandom(seed);
  return new BufferedReader(new ChunkedReader(bytes, () => sizes.integer(1, maxChunk)));
}

fuzzTest<{ bytes: Uint8Array; seed: number; maxChunk?: number }>({
  name: "sensor readMessage",
  throws: [ProtocolError],
  async decode({ bytes, seed, maxChunk }) {
    const stream = reader(bytes, seed, maxChunk);
    while (await readMessage(stream) !== null);
  },
  input(random) {
    const messages = Array.from(
      { length: random.integer(1, 3) },
      () => hostileBytes(random, () => validMessage(random)),
    );
    return { bytes: concat(...messages), seed: random.integer(0, 2 ** 31) };
  },
  async roundTrip(random) {
    const messages = Array.from({ length: random.integer(1, 3) }, () => validMessage(random));
    const stream = reader(concat(...messages), random.integer(0, 2 ** 31));
    for (const message of messages) assert.deepEqual(await readMessage(stream), message);
    assert.equal(await readMessage(stream), null);
  },
  shapes: {
    "readings with the longest note": (n) => ({
      bytes: repeatBytes(
        encodeReading({ ...validReading(new SeededRandom(2)), note: "x".repeat(255) }),
        n,
      ),
      seed: 1,
      maxChunk: 1500,
    }),
  },
  show: ({ bytes, seed }) => `seed ${seed}: ${[...bytes.subarray(0, 64)]}`,
});

/** Numbers of every kind, most of which no field takes. */
function anyNumber(random: SeededRandom, valid: number): number {
  return random.chance(0.5) ? valid : random.pick([
    -1,
    0.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 32,
    2 ** 53,
    1e39,
    -0,
    256,
    -129,
    Number.MAX_VALUE,
  ]);
}

type Encodable = { reading: Reading } | { response: Response };

fuzzTest<Encodable>({
  name: "encodeReading, encodeResponse",
  throws: [RangeError],
  decode: (input) =>
    "reading" in input ? encodeReading(input.reading) : encodeResponse(input.response),
  input(random) {
    const pick = <T extends object>(valid: T): T =>
      Object.fromEntries(
        Object.entries(valid).map(([key, value]) => [
          key,
          typeof value === "number" ? anyNumber(random, value) : value,
        ]),
      ) as T;
    return random.chance(0.5)
      ? { reading: pick(validReading(random)) }
      : { response: pick(validResponse(random)) };
  },
  roundTrip(random) {
    const response = validResponse(random);
    assert.deepEqual(decodeResponse(encodeResponse(response)), response);
  },
  shapes: {
    "a long note": (n) => ({
      reading: { ...validReading(new SeededRandom(3)), note: "a".repeat(n) },
    }),
  },
});
