/**
 * Task 3.4 — the bit exercises of the lecture: YOUR ANSWERS go in this file.
 *
 * STARTER: replace every `null` (and the body of `countOneBits`) with your answer; the
 * handout sets the exercises: /lab3/task-3-4#task-3-4. `deno task start` put this file and
 * `count_bits.ts`, the program around exercise 7, in your folder. Grade it with
 * `deno task watch` (or `deno task grade --dir mywork --task 3.4`).
 *
 * Every number is 8 bits wide, bits are counted from the right starting at 0, and `h` is
 * `0b01010011`. Write numbers any way TypeScript allows: `-16`, `0b00010000`, `1 << 4`.
 * Work them out on paper first: the grader tells you which answers are wrong, and a hint.
 *
 * @module
 */
import { TodoError } from "../../lib/todo.ts";

/** Exercise 1: how an 8-bit computer stores -1, -0, -127 and 1 (8 binary digits each). */
export const storedPatterns: Record<"-1" | "-0" | "-127" | "1", string | null> = {
  "-1": null, // TODO, e.g. "01010101"
  "-0": null, // TODO
  "-127": null, // TODO
  "1": null, // TODO
};

/** Exercise 2: the decimal values of two 8-bit two's complement patterns. */
export const decimalValues: Record<"11110000" | "00001111", number | null> = {
  "11110000": null, // TODO
  "00001111": null, // TODO
};

/** Exercise 3: the decimal value of `~7`. */
export const notSeven: number | null = null; // TODO

/** Exercise 3: the decimal value of `~-7`. */
export const notMinusSeven: number | null = null; // TODO

/** The byte that exercises 4 to 6 test, set and clear bits of. */
export const h = 0b01010011;

/** Exercise 4: the mask that makes `h & mask` non-zero exactly when bit 2 is set. */
export const testBit2Mask: number | null = null; // TODO

/** Exercise 4: the mask that makes `h & mask` non-zero exactly when bit 7 is set. */
export const testBit7Mask: number | null = null; // TODO

/** Exercise 4: the value of `h & 0b10100`. */
export const hAnd10100: number | null = null; // TODO

/** Exercise 5: the mask that sets bit 2 with `h | mask`. */
export const setBit2Mask: number | null = null; // TODO

/** Exercise 5: the mask that sets bits 2 and 3 with `h | mask`. */
export const setBits2And3Mask: number | null = null; // TODO

/** Exercise 6: the mask that clears bit 1 with `h & mask`. */
export const clearBit1Mask: number | null = null; // TODO

/** Exercise 6: the mask that clears bits 7 and 6 with `h & mask`. */
export const clearBits7And6Mask: number | null = null; // TODO

/**
 * Exercise 7: how many bits of `n` (0 ≤ n < 2**31) are 1, by testing the lowest bit and
 * shifting, without logarithms. `count_bits.ts` is the program around it.
 */
export function countOneBits(n: number): number {
  // TODO(3.4): test the lowest bit (`n & 1`) and shift right (`>>= 1`) until nothing is left.
  throw new TodoError("/lab3/task-3-4#task-3-4", `count the 1 bits of ${n}`);
}
