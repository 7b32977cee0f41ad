#!/usr/bin/env -S deno run
/**
 * Task 3.5 — where compression helps and where it does not.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-5#task-3-5.
 *
 * Run:   ./mywork/lab3/compression_ratios.ts
 *        ./mywork/lab3/compression_ratios.ts --level 9
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.5)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Compresses sample data with zlib and prints the sizes and ratios.",
  options: { level: { default: "6", description: "compression level: 0 none, 1 fast, 9 best" } },
});

await runMain(() => {
  // TODO(3.5): read --level (0..9; a UsageError otherwise) and print `zlib level <n>`.
  // TODO(3.5): compress four samples with `deflateSync(data, { level })` from node:zlib,
  // check that `inflateSync` gives each back, and print one row per sample: its name,
  // original size, compressed size and compressed/original in %:
  //   the lecture's 'This is a test'   (tiny: zlib's 6 bytes of header and checksum win)
  //   200 sensor readings as JSON      (structure: it shrinks a lot)
  //   4 KiB of random bytes            (no pattern: `crypto.getRandomValues`)
  //   the JSON, already compressed     (looks random: it only grows)
  todo("/lab3/task-3-5#task-3-5", `compress four samples at level ${values.level}`);
});
