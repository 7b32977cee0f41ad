#!/usr/bin/env -S deno run
/**
 * Task 3.3 — bitwise operators: AND, OR, XOR, NOT and shifts, and testing, setting and
 * clearing one bit with a mask.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-3#task-3-3.
 *
 * Run:   ./mywork/lab3/bit_ops.ts 10 9
 *        ./mywork/lab3/bit_ops.ts --bit 2 0b01010011 0b10100
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.3)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Applies the bitwise operators to two numbers and shows every result in binary.",
  options: {
    width: { default: "8", description: "how many bits to show (1..31)" },
    bit: { default: "3", description: "the bit of A to test, set, clear and flip" },
  },
  arguments: "A B",
});

await runMain(() => {
  // TODO(3.3): read --width (1..31), --bit (below the width) and the two numbers A and B
  // (`parseInteger` from ../../lib/input.ts; each must fit in the width), refusing
  // anything else with a UsageError.
  // TODO(3.3): print one line per result, in decimal and in binary (`toBinary(value,
  // width)` from ../../lib/bits.ts): a, b, `a & b`, `a | b`, `a ^ b`, `~a`, `a << 1`,
  // `a >> 1`; then with `mask = 1 << bit`: `a & mask` (test), `a | mask` (set),
  // `a & ~mask` (clear) and `a ^ mask` (flip).
  todo(
    "/lab3/task-3-3#task-3-3",
    `apply the operators to ${positionals.join(" and ") || "A and B"} ` +
      `(bit ${values.bit}, ${values.width} bits wide)`,
  );
});
