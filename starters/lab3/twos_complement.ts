#!/usr/bin/env -S deno run
/**
 * Task 3.3 — two's complement, step by step, in both directions.
 *
 * To store a negative number in n bits: write its absolute value in binary, flip every
 * bit, add 1, and keep the low n bits. To read a pattern whose leftmost bit is 1: flip
 * every bit, add 1, read it as binary, and put a minus sign in front.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-3#task-3-3.
 *
 * Run:   ./mywork/lab3/twos_complement.ts -- -10          (decimal to bits)
 *        ./mywork/lab3/twos_complement.ts --pattern 11110110   (bits to decimal)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.3)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Shows the steps of two's complement: a decimal to its bits, or bits to a decimal.",
  options: {
    width: { default: "8", description: "how many bits the computer stores (1..32)" },
    pattern: { description: "a bit pattern to read, e.g. 11110110", valueName: "BITS" },
  },
  arguments: "[-- NUMBER]",
});

await runMain(() => {
  // TODO(3.3): read --width (1..32). With --pattern (exactly that many binary digits),
  // show the steps that read it: a leftmost 0 is plain binary; a leftmost 1 means
  // negative: `flip every bit:`, `add 1:`, `negate:`; end with `value: <n>`.
  // TODO(3.3): otherwise read one NUMBER (`parseInteger` from ../../lib/input.ts; it must
  // fit in the width) and show the steps that store it: its absolute value in binary,
  // `flip every bit:`, `add 1:` (a carry out of the width is dropped); end with
  // `stored as: <bits>`. `toBinary` from ../../lib/bits.ts writes the bits.
  todo(
    "/lab3/task-3-3#task-3-3",
    `show the two's complement steps for ${values.pattern ?? (positionals[0] || "a number")} ` +
      `in ${values.width} bits`,
  );
});
