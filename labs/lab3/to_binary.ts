#!/usr/bin/env -S deno run
/**
 * Task 3.3 — decimal to binary, two ways, without toString(2).
 *
 * Doubling: a counter runs through 1, 2, 4, 8, … (each bit's value) while it is ≤ n, and
 * `n & counter` says whether that bit is set; each answer goes in front of the digits so
 * far. Shifting: test the lowest bit with `n & 1`, then shift n right by one (`n >> 1`)
 * until nothing is left. Both give the bits of n from the most significant down.
 *
 * Run: ./labs/lab3/to_binary.ts 12
 *      echo 12 | ./labs/lab3/to_binary.ts          (asks for the number)
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { askLine, parseInteger } from "../../lib/input.ts";

const { positionals } = parseCommandLine({
  summary: "Converts a non-negative number to binary with the doubling and the shifting method.",
  options: {},
  arguments: "[NUMBER]",
});

// #region doubling
function binaryByDoubling(n: number): string {
  let digits = "";
  for (let counter = 1; counter <= n; counter *= 2) {
    digits = ((n & counter) > 0 ? "1" : "0") + digits;
  }
  return digits;
}
// #endregion doubling

// #region shifting
function binaryByShifting(n: number): string {
  let digits = "";
  for (let rest = n; rest > 0; rest >>= 1) {
    digits = ((rest & 1) > 0 ? "1" : "0") + digits;
  }
  return digits;
}
// #endregion shifting

await runMain(async () => {
  const word = positionals[0] ?? await askLine("Enter a number:");
  const n = parseInteger(word, "the number");
  // The operators & and >> work on 32-bit integers.
  if (n < 0 || n > 0x7fffffff) {
    throw new UsageError(`the number must be a whole number from 0 to 2147483647 (got "${word}")`);
  }
  // Both loops produce no digits for 0, as in the Python original; we print 0 then.
  console.log(`by doubling: ${binaryByDoubling(n) || "0"}`);
  console.log(`by shifting: ${binaryByShifting(n) || "0"}`);
});
