#!/usr/bin/env -S deno run
/**
 * Task 3.3 — two's complement, step by step, in both directions.
 *
 * To store a negative number in n bits: write its absolute value in binary, flip every
 * bit, add 1, and keep the low n bits. To read a pattern whose leftmost bit is 1: flip every
 * bit, add 1, read it as binary, and put a minus sign in front. A leftmost 0 means a
 * non-negative number, written in plain binary.
 *
 * Run: ./labs/lab3/twos_complement.ts -- -10          (decimal to bits)
 *      ./labs/lab3/twos_complement.ts --pattern 11110110   (bits to decimal)
 */
import { parseCommandLine, parseCount, runMain, UsageError } from "../../lib/cli.ts";
import { fromTwosComplement, toBinary, toTwosComplement } from "../../lib/bits.ts";
import { parseInteger } from "../../lib/input.ts";

const { values, positionals } = parseCommandLine({
  summary: "Shows the steps of two's complement: a decimal to its bits, or bits to a decimal.",
  options: {
    width: { default: "8", description: "how many bits the computer stores (1..32)" },
    pattern: { description: "a bit pattern to read, e.g. 11110110", valueName: "BITS" },
  },
  arguments: "[-- NUMBER]",
});

await runMain(() => {
  const width = parseCount(values.width, "--width");
  if (width > 32) throw new UsageError("--width must be 1..32");
  const bits = (value: number) => toBinary(value, width);
  const keep = 2 ** width; // adding 1 may carry out of the width: that bit is dropped
  if (values.pattern !== undefined) {
    if (!new RegExp(`^[01]{${width}}$`).test(values.pattern)) {
      throw new UsageError(`--pattern must be exactly ${width} binary digits`);
    }
    const pattern = parseInt(values.pattern, 2);
    // #region decode
    if (pattern < keep / 2) {
      console.log(`${values.pattern}: leftmost bit 0, plain binary = ${pattern}`);
    } else {
      const flipped = (keep - 1) - pattern;
      console.log(`${values.pattern}: leftmost bit 1, so negative`);
      console.log(`flip every bit:  ${bits(flipped)}`);
      console.log(`add 1:           ${bits(flipped + 1)} = ${flipped + 1}`);
      console.log(`negate:          ${-(flipped + 1)}`);
    }
    // #endregion decode
    console.log(`value: ${fromTwosComplement(pattern, width)}`);
    return;
  }
  if (positionals.length !== 1) throw new UsageError("give one NUMBER (after --) or --pattern");
  const word = positionals[0].trim();
  const value = parseInteger(word, "NUMBER");
  const stored = toTwosComplement(value, width); // also checks the range
  // #region encode
  if (!word.startsWith("-")) {
    console.log(`${word}: non-negative, plain binary: ${bits(value)}`);
  } else {
    const magnitude = -value;
    console.log(`${word}: minus sign; absolute value ${magnitude} = ${bits(magnitude)}`);
    const flipped = (keep - 1) - magnitude;
    console.log(`flip every bit:  ${bits(flipped)}`);
    const plusOne = flipped + 1;
    const carry = plusOne >= keep ? ` (the carry out of ${width} bits is dropped)` : "";
    console.log(`add 1:           ${bits(plusOne % keep)}${carry}`);
  }
  // #endregion encode
  console.log(`stored as: ${bits(stored)}`);
});
