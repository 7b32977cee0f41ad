#!/usr/bin/env -S deno run
/**
 * Task 3.2 — byte order: the same number, packed with each `struct` prefix.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-2#task-3-2.
 *
 * Run:   ./mywork/lab3/byte_order.ts                     (1024 and 0xABCDEF as 'l')
 *        ./mywork/lab3/byte_order.ts --code H -- 258
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.2)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Packs integers with each byte-order prefix and shows the bytes.",
  options: { code: { default: "l", description: "integer format code (b B h H i I l L q Q)" } },
  arguments: "[-- VALUE...]",
});

await runMain(() => {
  const words = positionals.length > 0 ? positionals : ["1024", "11259375"];
  // TODO(3.2): refuse a --code that is not a standard-size integer (b B h H i I l L q Q;
  // `formatCodes` from ../../lib/struct.ts says which) with a UsageError.
  // TODO(3.2): for each word, print `<word> (0x<hex>) as '<code>':`, then one line per
  // prefix, `!` network order (big-endian), `>` big-endian, `<` little-endian, `=` this
  // machine's order, `@` native order, size and alignment, with the packed bytes in hex.
  todo("/lab3/task-3-2#task-3-2", `pack ${words} as '${values.code}' with each prefix`);
});
