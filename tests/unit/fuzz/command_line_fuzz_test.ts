/**
 * Fuzz test of what a user types: the number readers of lib/cli.ts (`parsePort`,
 * `parseMilliseconds`, `parseCount`, `parseProbability`), lib/values.ts (`parseValue`,
 * `parseValues`) and lib/input.ts (`parseInteger`) throw only `UsageError` on any word;
 * what they print or a user writes reads back to the same value (Python's float repr
 * included); time per character stays flat on long words, digits above all.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  parseCount,
  parseMilliseconds,
  parsePort,
  parseProbability,
  UsageError,
} from "../../../lib/cli.ts";
import { parseInteger } from "../../../lib/input.ts";
import type { SeededRandom } from "../../../lib/random.ts";
import { formatCodes } from "../../../lib/struct.ts";
import { formatValue, parseValue, parseValues } from "../../../lib/values.ts";
import { fuzzTest, randomText, repeatTo } from "../../harness/fuzz.ts";

/** What numbers are written with, and some of what they are not. */
const NUMBER_CHARACTERS = [
  ..."0123456789012345678901234567890123456789+-.eE%xXbBoO_ ,\t",
  "inf",
  "nan",
  "true",
  "Infinity",
  "é",
  "٣",
];
const CODES = formatCodes.map((row) => row.code);

type Parser = (word: string, code: string) => unknown;

const PARSERS: Record<string, Parser> = {
  parsePort: (word) => parsePort(word),
  parseMilliseconds: (word) => parseMilliseconds(word, "--interval"),
  parseCount: (word) => parseCount(word, "--count", 0),
  parseProbability: (word) => parseProbability(word, "--loss"),
  parseValue: (word, code) => parseValue(code, word),
  parseValues: (word, code) => parseValues([code, code], word.split(" ")),
  parseInteger: (word) => parseInteger(word, "the number"),
};
const NAMES = Object.keys(PARSERS);

interface Word {
  parser: string;
  code: string;
  word: string;
}

/** A word a user might type: a number written well, written badly, or anything. */
function randomWord(random: SeededRandom): string {
  const number = random.pick([
    () => String(random.integer(-(2 ** 40), 2 ** 40)),
    () => String(random.between(-1e6, 1e6)),
    () => `0x${random.integer(0, 2 ** 32).toString(16)}`,
    () => `${random.integer(0, 100)}%`,
    () => String(2 ** random.integer(0, 80)),
  ])();
  if (random.chance(0.3)) return number;
  if (random.chance(0.5)) {
    // The number with a character changed, added or removed.
    const at = random.integer(0, number.length);
    const character = random.pick(NUMBER_CHARACTERS);
    return number.slice(0, at) + (random.chance(0.5) ? character : "") +
      number.slice(at + random.integer(0, 1));
  }
  return randomText(random, NUMBER_CHARACTERS, 24);
}

/** A random double: any bit pattern, mostly (what `struct` unpacks can be anything). */
function randomDouble(random: SeededRandom): number {
  if (random.chance(0.2)) return random.pick([0, -0, Infinity, -Infinity, NaN, 5e-324, 1e16]);
  return new DataView(random.bytes(8).buffer).getFloat64(0);
}

fuzzTest<Word>({
  name: "command-line values",
  throws: [UsageError],
  decode: ({ parser, code, word }) => PARSERS[parser](word, code),
  input: (random) => ({
    parser: random.pick(NAMES),
    code: random.chance(0.95) ? random.pick(CODES) : random.pick(["", "z", "hh"]),
    word: randomWord(random),
  }),
  roundTrip(random) {
    const port = random.integer(0, 65535);
    assert.equal(parsePort(String(port)), port);
    const count = random.integer(0, 1e15);
    assert.equal(parseCount(String(count), "--count", 0), count);
    const ms = random.integer(1, 2 ** 31 - 1) / random.pick([1, 10, 1000]);
    assert.equal(parseMilliseconds(String(ms), "--interval"), ms);
    const permille = random.integer(0, 1000);
    assert.equal(parseProbability(String(permille / 1000), "--loss"), permille / 1000);
    assert.equal(parseProbability(`${permille / 10}%`, "--loss"), permille / 10 / 100);
    const integer = random.integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const sign = integer < 0 ? "-" : random.pick(["", "+"]);
    const radix = random.pick([[10, ""], [2, "0b"], [8, "0o"], [16, "0x"]] as const);
    const written = `${sign}${radix[1]}${Math.abs(integer).toString(radix[0])}`;
    assert.equal(parseInteger(written, "n"), integer, written);
    // What Python prints for a struct value reads back to the same value.
    const double = randomDouble(random);
    const code = random.pick(["e", "f", "d"]);
    assert.ok(Object.is(parseValue(code, formatValue(code, double)), double), String(double));
    const big = BigInt.asIntN(64, BigInt(random.integer(0, 2 ** 32)) << 32n) |
      BigInt(random.integer(0, 2 ** 32 - 1));
    assert.equal(parseValue("q", formatValue("q", big)), big);
    const truth = random.chance(0.5);
    assert.equal(parseValue("?", formatValue("?", truth)), truth);
  },
  shapes: {
    "a long float that fails at its end": (n) => ({
      parser: "parseValue",
      code: "d",
      word: `${"1".repeat(n - 1)}x`,
    }),
    "a long float": (n) => ({ parser: "parseValue", code: "d", word: `1.${"1".repeat(n - 4)}e5` }),
    "a long integer": (n) => ({ parser: "parseValue", code: "q", word: "9".repeat(n) }),
    "a long integer that fails at its end": (n) => ({
      parser: "parseInteger",
      code: "",
      word: `${"1".repeat(n - 1)}x`,
    }),
    "a long hexadecimal number": (n) => ({
      parser: "parseInteger",
      code: "",
      word: `0x${"f".repeat(n - 2)}`,
    }),
    "spaces around a number": (n) => ({
      parser: "parseInteger",
      code: "",
      word: `${" ".repeat(n - 1)}1`,
    }),
    "a long probability": (n) => ({
      parser: "parseProbability",
      code: "",
      word: `0.${repeatTo("5", n - 3)}%%`,
    }),
    "a long duration": (n) => ({
      parser: "parseMilliseconds",
      code: "",
      word: `1.${"0".repeat(n - 3)}x`,
    }),
    "many words": (n) => ({ parser: "parseValues", code: "h", word: repeatTo("1 ", n) }),
  },
});
