#!/usr/bin/env -S deno run
/**
 * Task 3.4 — exercise 7: a program that asks for a number and prints how many of its bits
 * are 1 (10 is 1010 in binary: 2 bits). The counting is `countOneBits` in `exercises.ts`,
 * done with bit tests and shifts, not logarithms.
 *
 * Run: ./labs/lab3/count_bits.ts 10
 *      echo 10 | ./labs/lab3/count_bits.ts          (asks for the number)
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { askLine, parseInteger } from "../../lib/input.ts";
import { countOneBits } from "./exercises.ts";

const { positionals } = parseCommandLine({
  summary: "Prints how many bits of a number are 1 (exercise 7 of Task 3.4).",
  options: {},
  arguments: "[NUMBER]",
});

await runMain(async () => {
  const word = positionals[0] ?? await askLine("Enter a number:");
  const n = parseInteger(word, "the number");
  if (n < 0 || n > 0x7fffffff) {
    throw new UsageError(`the number must be a whole number from 0 to 2147483647 (got "${word}")`);
  }
  console.log(`${n} has ${countOneBits(n)} bits set (${n.toString(2)} in binary)`);
});
