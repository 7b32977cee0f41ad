/**
 * Task 3.4 — the bit exercises of the lecture, answered (the reference that scores full
 * marks). Every number is 8 bits wide, bits are counted from the right starting at 0, and
 * `h` is `0b01010011`.
 *
 * Students start from `starters/lab3/exercises.ts`, the same file with every answer
 * left as a TODO, which `deno task start` copies into their folder with `count_bits.ts`;
 * they fill in the answers and grade them with `deno task grade --dir mywork --task 3.4`.
 *
 * @module
 */

/** Exercise 1: how an 8-bit computer stores -1, -0, -127 and 1 (8 binary digits each). */
export const storedPatterns: Record<"-1" | "-0" | "-127" | "1", string | null> = {
  "-1": "11111111",
  "-0": "00000000",
  "-127": "10000001",
  "1": "00000001",
};

/** Exercise 2: the decimal values of two 8-bit two's complement patterns. */
export const decimalValues: Record<"11110000" | "00001111", number | null> = {
  "11110000": -16,
  "00001111": 15,
};

/** Exercise 3: the decimal value of `~7`. */
export const notSeven: number | null = -8;

/** Exercise 3: the decimal value of `~-7`. */
export const notMinusSeven: number | null = 6;

/** The byte that exercises 4 to 6 test, set and clear bits of. */
export const h = 0b01010011;

/** Exercise 4: the mask that makes `h & mask` non-zero exactly when bit 2 is set. */
export const testBit2Mask: number | null = 0b00000100;

/** Exercise 4: the mask that makes `h & mask` non-zero exactly when bit 7 is set. */
export const testBit7Mask: number | null = 0b10000000;

/** Exercise 4: the value of `h & 0b10100`. */
export const hAnd10100: number | null = 0b00010000;

/** Exercise 5: the mask that sets bit 2 with `h | mask`. */
export const setBit2Mask: number | null = 0b00000100;

/** Exercise 5: the mask that sets bits 2 and 3 with `h | mask`. */
export const setBits2And3Mask: number | null = 0b00001100;

/** Exercise 6: the mask that clears bit 1 with `h & mask`. */
export const clearBit1Mask: number | null = 0b11111101;

/** Exercise 6: the mask that clears bits 7 and 6 with `h & mask`. */
export const clearBits7And6Mask: number | null = 0b00111111;

/**
 * Exercise 7: how many bits of `n` (0 ≤ n < 2**31) are 1, by testing the lowest bit and
 * shifting, without logarithms. `count_bits.ts` is the program around it.
 */
export function countOneBits(n: number): number {
  // #region count
  let count = 0;
  for (let rest = n; rest > 0; rest >>= 1) {
    if ((rest & 1) === 1) count++;
  }
  return count;
  // #endregion count
}
