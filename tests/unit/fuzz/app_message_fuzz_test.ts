/**
 * Fuzz test of lib/app_message.ts (Lab 2.3's protocol): `readMessage` on random and
 * damaged streams throws only `MessageHeaderError` or `UnexpectedEofError`;
 * `parseMessageHeader` only `MessageHeaderError`; `decodeJsonContent` only
 * `MessageContentError`. Messages and JSON values read back unchanged; time per byte
 * stays flat for large contents, long headers and deeply nested JSON.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  decodeJsonContent,
  encodeJsonMessage,
  encodeMessage,
  MAX_JSON_DEPTH,
  type Message,
  MessageContentError,
  MessageHeaderError,
  parseMessageHeader,
  readMessage,
} from "../../../lib/app_message.ts";
import { utf8Encode } from "../../../lib/bytes.ts";
import { BufferedReader, UnexpectedEofError } from "../../../lib/framing.ts";
import { SeededRandom } from "../../../lib/random.ts";
import {
  ChunkedReader,
  fuzzTest,
  hostileBytes,
  mutate,
  randomBytes,
  randomText,
  repeatTo,
} from "../../harness/fuzz.ts";

const TYPES = ["text/json", "binary/custom-client-binary-type", "image/png", "x"];
const ENCODINGS = ["utf-8", "binary", "utf-16le", "latin1", "utf-16be", "no-such", ""];
const CHARACTERS = [...'abc "\\/{}[]:,0123456789-+.eE\n\t\0é🧦', "\ud800", "\udfff"];
/** Keys have no backslash: decoders refuse one (V8 could take a later key for it). */
const KEY_CHARACTERS = CHARACTERS.filter((character) => character !== "\\");

/** A random JSON value: nested a few levels, numbers, text with any code point. */
function jsonValue(random: SeededRandom, depth = 0): unknown {
  const roll = random.integer(0, depth > 3 ? 3 : 5);
  switch (roll) {
    case 0:
      return random.pick([null, true, false]);
    case 1: // -0 would come back as 0
      return random.pick([random.integer(-1e9, 1e9), random.between(-1e6, 1e6), 1e300, 5e-324]);
    case 2:
    case 3:
      return randomText(random, CHARACTERS, 20);
    case 4:
      return Array.from({ length: random.integer(0, 4) }, () => jsonValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from(
          { length: random.integer(0, 4) },
          () => [randomText(random, KEY_CHARACTERS, 8), jsonValue(random, depth + 1)],
        ),
      );
  }
}

function validMessage(random: SeededRandom): Uint8Array {
  return random.chance(0.5)
    ? encodeJsonMessage(jsonValue(random))
    : encodeMessage(randomBytes(random, 40), random.pick(TYPES), random.pick(ENCODINGS));
}

/** A stream of up to three messages, split into random reads. */
function stream(bytes: Uint8Array, seed: number): BufferedReader {
  const sizes = new SeededRandom(seed);
  return new BufferedReader(new ChunkedReader(bytes, () => sizes.integer(1, 100)));
}

interface StreamInput {
  bytes: Uint8Array;
  seed: number;
  maxContentLength: number;
}

fuzzTest<StreamInput>({
  name: "readMessage",
  throws: [MessageHeaderError, UnexpectedEofError],
  async decode({ bytes, seed, maxContentLength }) {
    const reader = stream(bytes, seed);
    while (await readMessage(reader, maxContentLength) !== null);
  },
  input(random) {
    const valid = () => validMessage(random);
    const parts = Array.from({ length: random.integer(1, 3) }, () => hostileBytes(random, valid));
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    parts.reduce((offset, part) => (bytes.set(part, offset), offset + part.length), 0);
    return {
      bytes,
      seed: random.integer(0, 2 ** 31),
      maxContentLength: random.pick([0, 10, 2 ** 20]),
    };
  },
  async roundTrip(random) {
    const content = randomBytes(random, 200);
    const [type, encoding] = [random.pick(TYPES), random.pick(ENCODINGS.filter(Boolean))];
    const reader = stream(encodeMessage(content, type, encoding), random.integer(0, 2 ** 31));
    const message = await readMessage(reader);
    assert.deepEqual(message?.content, content);
    assert.deepEqual(
      [message.header["content-type"], message.header["content-encoding"]],
      [type, encoding],
    );
    assert.equal(await readMessage(reader), null);
  },
  shapes: {
    "large content": (n) => ({
      bytes: encodeJsonMessage("x".repeat(n - 100)),
      seed: 1,
      maxContentLength: 2 ** 21,
    }),
  },
  show: (input) => JSON.stringify({ ...input, bytes: Array.from(input.bytes.subarray(0, 80)) }),
});

/** The bytes of a JSON header: valid ones, damaged ones, and JSON of every other shape. */
fuzzTest<Uint8Array>({
  name: "parseMessageHeader",
  throws: [MessageHeaderError],
  decode: (bytes) => parseMessageHeader(bytes),
  input(random) {
    if (random.chance(0.3)) return utf8Encode(JSON.stringify(jsonValue(random)));
    const valid = validMessage(random);
    const header = valid.subarray(2, 2 + ((valid[0] << 8) | valid[1]));
    if (random.chance(0.3)) {
      // Valid JSON, with one of the required fields given a value of another kind.
      const fields = JSON.parse(new TextDecoder().decode(header));
      fields[random.pick(Object.keys(fields))] = jsonValue(random);
      return utf8Encode(JSON.stringify(fields));
    }
    return mutate(random, header);
  },
  roundTrip(random) {
    const header = {
      "byteorder": random.pick(["little", "big"]),
      "content-type": random.pick(TYPES),
      "content-encoding": random.pick(ENCODINGS.filter(Boolean)),
      "content-length": random.integer(0, 2 ** 20),
      "x-extra": jsonValue(random),
    };
    assert.deepEqual(parseMessageHeader(utf8Encode(JSON.stringify(header))), header);
  },
  shapes: {
    "a long field": (n) => headerBytes({ "x": "y".repeat(n - 150) }),
    "many fields": (n) => utf8Encode(`{${repeatTo('"k":0,', n - 2).replace(/,[^,]*$/, "")}}`),
    "deep nesting": (n) => utf8Encode(`${"[".repeat(n / 2)}${"]".repeat(n / 2)}`),
    "not JSON": (n) => utf8Encode(`{"a":${"1".repeat(n - 5)},`),
  },
});

/** About `size` bytes of JSON: an array of arrays nested as deep as decoders allow. */
function deepAsAllowed(size: number): string {
  const one = `${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}`;
  return `[${Array(Math.max(1, Math.floor(size / (one.length + 1)))).fill(one).join(",")}]`;
}

function headerBytes(extra: object): Uint8Array {
  return utf8Encode(JSON.stringify({
    "byteorder": "big",
    "content-type": "text/json",
    "content-encoding": "utf-8",
    "content-length": 0,
    ...extra,
  }));
}

/** A `text/json` message whose content and encoding are given. */
function jsonMessage(content: Uint8Array, encoding = "utf-8"): Message {
  const header = {
    "byteorder": "big" as const,
    "content-type": "text/json",
    "content-encoding": encoding,
    "content-length": content.length,
  };
  return { header, content };
}

fuzzTest<Message>({
  name: "decodeJsonContent",
  throws: [MessageContentError],
  decode: decodeJsonContent,
  input(random) {
    const encoding = random.pick(ENCODINGS);
    if (random.chance(0.3)) return jsonMessage(randomBytes(random), encoding);
    const content = utf8Encode(JSON.stringify(jsonValue(random)));
    return jsonMessage(mutate(random, content), encoding);
  },
  roundTrip(random) {
    const value = jsonValue(random);
    assert.deepEqual(decodeJsonContent(jsonMessage(utf8Encode(JSON.stringify(value)))), value);
  },
  shapes: {
    "a long string of escapes": (n) => jsonMessage(utf8Encode(`"${repeatTo("\\u00e9", n - 2)}"`)),
    "deep nesting": (n) => jsonMessage(utf8Encode(`${"[".repeat(n / 2)}${"]".repeat(n / 2)}`)),
    "nesting as deep as allowed, over and over": (n) => jsonMessage(utf8Encode(deepAsAllowed(n))),
    "invalid UTF-8 at the end": (n) =>
      jsonMessage(new Uint8Array([...utf8Encode(`"${"a".repeat(n - 2)}`), 0xff])),
    "many numbers": (n) => jsonMessage(utf8Encode(`[${repeatTo("1,", n - 3)}1]`)),
  },
});
