/**
 * Bit operations: reading and changing individual bits of an integer,
 * two's complement conversion, and packing several small fields into one
 * integer.
 *
 * Protocol headers often squeeze several values into a few bytes, so a lab
 * needs to look at numbers as rows of bits. Bit 0 is always the least
 * significant bit. Functions work on unsigned 32-bit values unless stated
 * and return non-negative numbers; invalid widths, bit positions or values
 * throw a `RangeError` whose message says what was wrong.
 *
 * @example Inspect and change bits
 * ```ts
 * import assert from "node:assert/strict";
 * import { setBit, testBit, toBinary } from "./bits.ts";
 *
 * const flags = 0b01010011;
 * assert.equal(testBit(flags, 2), false);
 * assert.equal(testBit(flags, 6), true);
 * assert.equal(toBinary(setBit(flags, 2), 8), "01010111");
 * ```
 *
 * @module
 */

const MAX_WIDTH = 32;
/** Largest bit position, counting from bit 0, that fits in 32 bits. */
const MAX_BIT = MAX_WIDTH - 1;
const UINT32_MAX = 2 ** 32 - 1;
const INT32_MIN = -(2 ** 31);

/**
 * Checks a value given to the single-bit functions and returns its unsigned
 * 32-bit pattern. Negative 32-bit integers are accepted and stand for their
 * two's complement pattern (so the result of `~x` can be passed in).
 */
function toUint32(value: number): number {
  if (!Number.isInteger(value) || value < INT32_MIN || value > UINT32_MAX) {
    throw new RangeError(
      `value must be an integer from ${INT32_MIN} to ${UINT32_MAX} (32 bits), got ${value}`,
    );
  }
  return value >>> 0;
}

function checkBitPosition(bit: number): void {
  if (!Number.isInteger(bit) || bit < 0 || bit > MAX_BIT) {
    throw new RangeError(`bit position must be an integer from 0 to ${MAX_BIT}, got ${bit}`);
  }
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new RangeError(`width must be an integer from 1 to ${MAX_WIDTH}, got ${width}`);
  }
}

/** The mask with only `bit` set, as an unsigned number (`1 << 31` alone would be negative). */
function bitMask(bit: number): number {
  checkBitPosition(bit);
  return (1 << bit) >>> 0;
}

/**
 * Reports whether bit number `bit` (0 = least significant) of `value` is 1.
 * `value` is an unsigned 32-bit integer; a negative 32-bit integer is read
 * as its two's complement bit pattern.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testBit } from "./bits.ts";
 *
 * assert.equal(testBit(0b01010011, 0), true);
 * assert.equal(testBit(0b01010011, 2), false);
 * assert.equal(testBit(-1, 31), true);
 * ```
 *
 * @throws {RangeError} If `value` is not a 32-bit integer or `bit` is not in 0..31.
 */
export function testBit(value: number, bit: number): boolean {
  return (toUint32(value) & bitMask(bit)) !== 0;
}

/**
 * Returns `value` with bit number `bit` set to 1, as an unsigned 32-bit
 * number. Accepts the same values as {@linkcode testBit}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setBit } from "./bits.ts";
 *
 * assert.equal(setBit(0b0001, 3), 0b1001); // 9
 * assert.equal(setBit(0, 31), 2147483648);
 * ```
 *
 * @throws {RangeError} If `value` is not a 32-bit integer or `bit` is not in 0..31.
 */
export function setBit(value: number, bit: number): number {
  return (toUint32(value) | bitMask(bit)) >>> 0;
}

/**
 * Returns `value` with bit number `bit` cleared to 0, as an unsigned 32-bit
 * number. Accepts the same values as {@linkcode testBit}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clearBit } from "./bits.ts";
 *
 * assert.equal(clearBit(0b1011, 1), 0b1001); // 9
 * assert.equal(clearBit(-1, 31), 0x7fffffff);
 * ```
 *
 * @throws {RangeError} If `value` is not a 32-bit integer or `bit` is not in 0..31.
 */
export function clearBit(value: number, bit: number): number {
  return (toUint32(value) & ~bitMask(bit)) >>> 0;
}

/**
 * Returns `value` with bit number `bit` flipped, as an unsigned 32-bit
 * number. Accepts the same values as {@linkcode testBit}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toggleBit } from "./bits.ts";
 *
 * assert.equal(toggleBit(0b1010, 0), 0b1011); // 11
 * assert.equal(toggleBit(0b1010, 1), 0b1000); // 8
 * ```
 *
 * @throws {RangeError} If `value` is not a 32-bit integer or `bit` is not in 0..31.
 */
export function toggleBit(value: number, bit: number): number {
  return (toUint32(value) ^ bitMask(bit)) >>> 0;
}

/**
 * Converts a signed integer to its two's complement bit pattern in `width`
 * bits, returned as an unsigned number. The value must lie in the signed
 * range of the width: -2^(width-1) to 2^(width-1) - 1 (-128..127 for 8 bits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toTwosComplement } from "./bits.ts";
 *
 * assert.equal(toTwosComplement(-1, 8), 255); // 0b11111111
 * assert.equal(toTwosComplement(-127, 8), 129); // 0b10000001
 * assert.equal(toTwosComplement(5, 8), 5);
 * ```
 *
 * @throws {RangeError} If `width` is not in 1..32 or `value` is outside the width's signed range.
 */
export function toTwosComplement(value: number, width: number): number {
  checkWidth(width);
  const min = -(2 ** (width - 1));
  const max = 2 ** (width - 1) - 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `value must be an integer from ${min} to ${max} to fit in ${width} signed bits, got ${value}`,
    );
  }
  return value < 0 ? value + 2 ** width : value;
}

/**
 * Interprets an unsigned `width`-bit pattern as a two's complement signed
 * integer: if the top bit (bit `width - 1`) is set the value is negative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromTwosComplement } from "./bits.ts";
 *
 * assert.equal(fromTwosComplement(0b11111111, 8), -1);
 * assert.equal(fromTwosComplement(0b10000001, 8), -127);
 * assert.equal(fromTwosComplement(0b01111111, 8), 127);
 * ```
 *
 * @throws {RangeError} If `width` is not in 1..32 or `bits` is not an unsigned `width`-bit integer.
 */
export function fromTwosComplement(bits: number, width: number): number {
  checkWidth(width);
  checkFitsUnsigned(bits, width, "bits");
  return bits >= 2 ** (width - 1) ? bits - 2 ** width : bits;
}

/** Checks that `value` is a non-negative integer that fits in `width` bits. */
function checkFitsUnsigned(value: number, width: number, name: string): void {
  const max = 2 ** width - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(
      `${name} must be an integer from 0 to ${max} to fit in ${width} bits, got ${value}`,
    );
  }
}

/** The absolute value of any integer as a bigint, so large numbers are handled exactly. */
function magnitude(value: number | bigint): bigint {
  if (typeof value === "number" && !Number.isInteger(value)) {
    throw new RangeError(`value must be an integer, got ${value}`);
  }
  const big = BigInt(value);
  return big < 0n ? -big : big;
}

/**
 * The number of bits needed to write the absolute value of `value` in
 * binary, without leading zeros — like Python's `int.bit_length()`. Any
 * integer is allowed, including bigints beyond 32 bits; `bitLength(0)` is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bitLength } from "./bits.ts";
 *
 * assert.equal(bitLength(0), 0);
 * assert.equal(bitLength(255), 8);
 * assert.equal(bitLength(256), 9);
 * assert.equal(bitLength(-5), 3);
 * assert.equal(bitLength(2n ** 100n), 101);
 * ```
 *
 * @throws {RangeError} If `value` is a number that is not an integer.
 */
export function bitLength(value: number | bigint): number {
  const abs = magnitude(value);
  return abs === 0n ? 0 : abs.toString(2).length;
}

/**
 * The number of 1 bits in the absolute value of `value` — like Python's
 * `int.bit_count()`. Any integer is allowed, including bigints.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { popCount } from "./bits.ts";
 *
 * assert.equal(popCount(0b01010011), 4);
 * assert.equal(popCount(-1), 1);
 * assert.equal(popCount(2n ** 64n - 1n), 64);
 * ```
 *
 * @throws {RangeError} If `value` is a number that is not an integer.
 */
export function popCount(value: number | bigint): number {
  return magnitude(value).toString(2).replaceAll("0", "").length;
}

/**
 * Writes `value` in binary, zero-padded to exactly `width` digits. A
 * negative value is written as its two's complement pattern in `width`
 * bits, so the value may be anything from -2^(width-1) to 2^width - 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toBinary } from "./bits.ts";
 *
 * assert.equal(toBinary(5, 8), "00000101");
 * assert.equal(toBinary(240, 8), "11110000");
 * assert.equal(toBinary(-1, 8), "11111111");
 * assert.equal(toBinary(-127, 8), "10000001");
 * ```
 *
 * @throws {RangeError} If `width` is not in 1..32 or `value` does not fit in `width` bits.
 */
export function toBinary(value: number, width: number): string {
  checkWidth(width);
  if (value < 0) {
    value = toTwosComplement(value, width);
  } else {
    checkFitsUnsigned(value, width, "value");
  }
  return value.toString(2).padStart(width, "0");
}

/** One field for {@linkcode packBitFields}: an unsigned `value` stored in `width` bits. */
export interface BitField {
  /** The field's value, an integer from 0 to 2^width - 1. */
  value: number;
  /** The number of bits the field occupies, 1..32. */
  width: number;
}

/** Checks the widths of a bit-field layout and returns their total. */
function totalWidth(widths: readonly number[]): number {
  widths.forEach(checkWidth);
  const total = widths.reduce((sum, width) => sum + width, 0);
  if (total > MAX_WIDTH) {
    throw new RangeError(`bit fields total ${total} bits, more than ${MAX_WIDTH}`);
  }
  return total;
}

/**
 * Packs several unsigned fields into one unsigned integer. The first field
 * takes the most significant position and each following field comes
 * directly below it; the fields are right-aligned, so the last field ends at
 * bit 0. When the total width is less than the width of the byte or word
 * being sent, the unused HIGH bits are 0.
 *
 * For example, a 2-bit direction (2) and a 4-bit player id (9) in one byte:
 * 6 bits in total, occupying bits 5..0 as `00 10 1001` — the top two bits of
 * the byte are unused and 0. Use {@linkcode unpackBitFields} with the same
 * widths to get the values back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packBitFields } from "./bits.ts";
 *
 * const packed = packBitFields([{ value: 2, width: 2 }, { value: 9, width: 4 }]);
 * assert.equal(packed, 41); // 0b00101001
 * ```
 *
 * @throws {RangeError} If a width is not in 1..32, the widths total more
 * than 32, or a value does not fit in its width.
 */
export function packBitFields(fields: readonly BitField[]): number {
  totalWidth(fields.map((field) => field.width));
  let packed = 0;
  for (const [index, { value, width }] of fields.entries()) {
    checkFitsUnsigned(value, width, `field ${index} value`);
    // Multiplying instead of shifting keeps 32-bit results unsigned.
    packed = packed * 2 ** width + value;
  }
  return packed;
}

/**
 * Splits an unsigned integer into fields of the given widths, the reverse of
 * {@linkcode packBitFields}: the first width is the most significant field,
 * and the fields are right-aligned (the last one ends at bit 0). `packed`
 * must not have bits set above the total width.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unpackBitFields } from "./bits.ts";
 *
 * assert.deepEqual(unpackBitFields(0b00101001, [2, 4]), [2, 9]);
 * assert.deepEqual(unpackBitFields(0xc0a80001, [8, 8, 8, 8]), [192, 168, 0, 1]);
 * ```
 *
 * @throws {RangeError} If a width is not in 1..32, the widths total more
 * than 32, or `packed` does not fit in the total width.
 */
export function unpackBitFields(packed: number, widths: readonly number[]): number[] {
  checkFitsUnsigned(packed, totalWidth(widths), "packed value");
  const values: number[] = [];
  let remaining = packed;
  // Peel fields off the low end, so the last field comes first.
  for (let i = widths.length - 1; i >= 0; i--) {
    const size = 2 ** widths[i];
    values.unshift(remaining % size);
    remaining = Math.floor(remaining / size);
  }
  return values;
}
