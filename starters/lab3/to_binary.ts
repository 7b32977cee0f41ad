#!/usr/bin/env -S deno run
/**
 * Task 3.3 — decimal to binary, two ways, without toString(2).
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-3#task-3-3.
 *
 * Run:   ./mywork/lab3/to_binary.ts 12
 *        echo 12 | ./mywork/lab3/to_binary.ts          (asks for the number)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.3)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { positionals } = parseCommandLine({
  summary: "Converts a non-negative number to binary with the doubling and the shifting method.",
  options: {},
  arguments: "[NUMBER]",
});

/** The bits of `n`, most significant first: a counter 1, 2, 4, … tests each with `&`. */
function binaryByDoubling(n: number): string {
  // TODO(3.3): while the counter is ≤ n, put `n & counter ? "1" : "0"` in front of the
  // digits so far, and double the counter.
  todo("/lab3/task-3-3#task-3-3", `write ${n} in binary by doubling`);
}

/** The bits of `n`, most significant first: test the lowest bit, shift right, repeat. */
function binaryByShifting(n: number): string {
  // TODO(3.3): while something is left, put `rest & 1` in front of the digits so far and
  // shift `rest` right by one (`rest >>= 1`).
  todo("/lab3/task-3-3#task-3-3", `write ${n} in binary by shifting`);
}

await runMain(() => {
  // TODO(3.3): take the number from the command line, or ask for it when there is none
  // (`askLine("Enter a number:")` from ../../lib/input.ts; make this function async);
  // `parseInteger` reads it, and it must be 0..2147483647 (& and >> work on 32 bits).
  // Print `by doubling: <bits>` and `by shifting: <bits>`, `0` for 0.
  const n = Number(positionals[0] ?? 0);
  console.log(`by doubling: ${binaryByDoubling(n)}`);
  console.log(`by shifting: ${binaryByShifting(n)}`);
});
