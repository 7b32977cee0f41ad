#!/usr/bin/env -S deno run
/**
 * Task 3.3 — bitwise operators: AND, OR, XOR, NOT and shifts, and testing, setting and
 * clearing one bit with a mask.
 *
 * Each result is shown in decimal and in binary (8 bits unless --width says otherwise).
 * NOT flips every bit, and a computer reads a pattern whose top bit is 1 as negative (two's
 * complement), which is why `~9` is -10. A mask for bit n is `1 << n` (`2**n`): `x & mask`
 * tests the bit, `x | mask` sets it, `x & ~mask` clears it, `x ^ mask` flips it.
 *
 * Run: ./labs/lab3/bit_ops.ts 10 9
 *      ./labs/lab3/bit_ops.ts --bit 2 0b01010011 0b10100
 */
import { parseCommandLine, parseCount, runMain, UsageError } from "../../lib/cli.ts";
import { toBinary } from "../../lib/bits.ts";
import { parseInteger } from "../../lib/input.ts";

const { values, positionals } = parseCommandLine({
  summary: "Applies the bitwise operators to two numbers and shows every result in binary.",
  options: {
    width: { default: "8", description: "how many bits to show (1..31)" },
    bit: { default: "3", description: "the bit of A to test, set, clear and flip" },
  },
  arguments: "A B",
});

await runMain(() => {
  const width = parseCount(values.width, "--width");
  const bit = parseCount(values.bit, "--bit", 0);
  if (width > 31 || bit >= width) throw new UsageError("need --width ≤ 31 and --bit < --width");
  if (positionals.length !== 2) throw new UsageError("give two numbers A and B");
  const [a, b] = positionals.map((word, i) => parseInteger(word, i === 0 ? "A" : "B"));
  for (const [name, value] of [["A", a], ["B", b]] as const) {
    if (value < 0 || value >= 2 ** width) {
      throw new UsageError(`${name} must be 0..${2 ** width - 1} to fit in ${width} bits`);
    }
  }
  // Results that do not fit in the width (a << 1 can carry out) are shown in full.
  const binary = (v: number) =>
    v >= -(2 ** (width - 1)) && v < 2 ** width ? toBinary(v, width) : v.toString(2);
  const show = (label: string, value: number, note: string) =>
    console.log(
      `${label.padEnd(14)} = ${String(value).padStart(6)}  ${binary(value)}  ${note}`.trimEnd(),
    );
  const mask = 1 << bit;
  // #region operators
  show("a", a, "");
  show("b", b, "");
  show("a & b", a & b, "AND: 1 where both are 1");
  show("a | b", a | b, "OR: 1 where either is 1");
  show("a ^ b", a ^ b, "XOR: 1 where they differ");
  show("~a", ~a, "NOT: every bit flipped, read as two's complement: -(a + 1)");
  show("a << 1", a << 1, "shift left: times 2");
  show("a >> 1", a >> 1, "shift right: divided by 2, rounded down");
  // #endregion operators
  // #region masks
  show(`mask 1 << ${bit}`, mask, `only bit ${bit} set (2**${bit})`);
  show("a & mask", a & mask, `test: bit ${bit} of a is ${(a & mask) !== 0 ? "set" : "clear"}`);
  show("a | mask", a | mask, `set bit ${bit}`);
  show("a & ~mask", a & ~mask, `clear bit ${bit}`);
  show("a ^ mask", a ^ mask, `flip bit ${bit}`);
  // #endregion masks
});
