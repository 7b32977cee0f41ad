/**
 * Struct values as text: read the words of a command line as the values a `struct`
 * format expects, and print values the way Python prints them, so the output of a
 * Deno script and of its Python twin can be compared line by line.
 *
 * @example Read values for `=iif` and print them back
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTuple, parseValues } from "./values.ts";
 * import { Struct } from "./struct.ts";
 *
 * const record = new Struct("=iif");
 * const values = parseValues(record.codes, ["1", "4", "2.7"]);
 * const unpacked = record.unpack(record.pack(...values));
 * // As Python prints it: the float32 2.7 is not quite 2.7.
 * assert.equal(formatTuple(record.codes, unpacked), "(1, 4, 2.700000047683716)");
 * ```
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { reprBytes, utf8Encode } from "./bytes.ts";
import type { StructValue } from "./struct.ts";

const INTEGER_CODES = "bBhHiIlLqQnNP";
const FLOAT_CODES = "efd";
const BYTES_CODES = "csp";

/**
 * The most digits a whole number may have: Python's `int()` refuses more (CPython 3.11's
 * default `sys.get_int_max_str_digits()`), and so do we, since turning digits into a
 * `bigint` takes more than linear time. Every integer code overflows long before.
 */
const MAX_DIGITS = 4300;

/**
 * Reads one word as the value for format code `code`: whole numbers for integer codes
 * (as `bigint`, so 64-bit values stay exact; the struct checks the range; at most 4300
 * digits, as Python's `int()`), decimal numbers (or `inf`, `-inf`, `nan`) for `e f d`,
 * `true`/`false`/`1`/`0` for `?`, and UTF-8 text for `c s p`.
 *
 * @throws {UsageError} For a word that does not fit the code, or an unknown code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseValue } from "./values.ts";
 * assert.equal(parseValue("i", "-7"), -7n);
 * assert.equal(parseValue("f", "2.7"), 2.7);
 * ```
 */
export function parseValue(code: string, word: string): StructValue {
  if (INTEGER_CODES.includes(code)) {
    if (!/^[+-]?\d+$/.test(word)) throw notA(code, word, "whole number");
    const digits = word.length - (/^[+-]/.test(word) ? 1 : 0);
    if (digits > MAX_DIGITS) {
      throw new UsageError(
        `'${code}' needs a whole number of at most ${MAX_DIGITS} digits, got ${digits} digits`,
      );
    }
    return BigInt(word);
  }
  if (FLOAT_CODES.includes(code)) {
    const special = word.toLowerCase().replace(/^\+/, "");
    if (special === "inf" || special === "infinity") return Infinity;
    if (special === "-inf" || special === "-infinity") return -Infinity;
    if (special === "nan") return NaN;
    // One way to match each number: "\d+\.?\d*" could split a run of digits anywhere,
    // which is quadratic on a long word that fails at its end.
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(word)) throw notA(code, word, "number");
    return Number(word);
  }
  if (code === "?") {
    const truth = ["true", "1"].includes(word.toLowerCase());
    if (!truth && !["false", "0"].includes(word.toLowerCase())) {
      throw notA(code, word, "true/false");
    }
    return truth;
  }
  if (BYTES_CODES.includes(code)) return utf8Encode(word);
  throw new UsageError(`unknown format code '${code}'`);
}

function notA(code: string, word: string, kind: string): UsageError {
  return new UsageError(`'${code}' needs a ${kind}, got "${word}"`);
}

/**
 * Reads one word per code (as {@linkcode parseValue}), after checking that the counts
 * match.
 *
 * @throws {UsageError} If the counts differ or a word does not fit its code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseValues } from "./values.ts";
 * assert.deepEqual(parseValues(["h", "?"], ["300", "true"]), [300n, true]);
 * ```
 */
export function parseValues(codes: readonly string[], words: readonly string[]): StructValue[] {
  if (words.length !== codes.length) {
    const needed = codes.length === 1 ? "1 value" : `${codes.length} values`;
    throw new UsageError(`the format needs ${needed}, got ${words.length}`);
  }
  return codes.map((code, index) => parseValue(code, words[index]));
}

/**
 * Prints a value as Python's `repr` would: `2.0` for a float code, `True`, `b'ab'`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatValue } from "./values.ts";
 * assert.equal(formatValue("d", 2), "2.0");
 * assert.equal(formatValue("?", false), "False");
 * ```
 */
export function formatValue(code: string, value: StructValue): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof Uint8Array) return reprBytes(value);
  if (FLOAT_CODES.includes(code)) return reprFloat(Number(value));
  return String(value);
}

/**
 * Prints values as the Python tuple `struct.unpack` returns: `(1, 4, 2.700000047683716)`,
 * `(7,)` for one value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTuple } from "./values.ts";
 * assert.equal(formatTuple(["i", "f"], [1, 0.5]), "(1, 0.5)");
 * ```
 */
export function formatTuple(codes: readonly string[], values: readonly StructValue[]): string {
  const items = values.map((value, index) => formatValue(codes[index], value));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/**
 * Python's `repr(float)`: the shortest digits that read back to the same number, in
 * plain notation for exponents from -4 to 15 and scientific notation (`1e-05`,
 * `1.5e+16`) outside.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reprFloat } from "./values.ts";
 * assert.equal(reprFloat(1e16), "1e+16");
 * assert.equal(reprFloat(0.0001), "0.0001");
 * ```
 */
export function reprFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest round-trip digits.
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const sign = value < 0 ? "-" : "";
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || "0"}`;
}
