#!/usr/bin/env -S deno run
/**
 * Task 3.2 — numbers as text or packed: how many bytes each costs on the wire.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-2#task-3-2.
 *
 * Run:   ./mywork/lab3/number_sizes.ts
 *        ./mywork/lab3/number_sizes.ts --code H -- 7 300 65535
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.2)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

/** The examples shown without arguments: the largest value of each unsigned size, and more. */
const SAMPLES: [code: string, word: string][] = [
  ["B", "255"],
  ["H", "65535"],
  ["I", "4294967295"],
  ["Q", "18446744073709551615"],
  ["b", "-128"],
  ["q", "-9223372036854775808"],
  ["d", "3.141592653589793"],
];

const { values, positionals } = parseCommandLine({
  summary: "Compares the size of numbers sent as text with their packed size.",
  options: { code: { description: "format code to pack the VALUEs with (e.g. H, q, f)" } },
  arguments: "[-- VALUE...]",
});

await runMain(() => {
  const rows: [string, string][] = values.code === undefined
    ? SAMPLES
    : positionals.map((word) => [values.code!, word]);
  // TODO(3.2): for each row, parse the word for its code (`parseValue` from
  // ../../lib/values.ts refuses one out of range), and print the value, its code, its
  // size as text (the UTF-8 bytes of `formatValue(code, value)`), its packed size
  // (`pack("!<code>", value)` from ../../lib/struct.ts) and the packed bytes in hex,
  // under the heading `value  code  as text  packed  packed bytes (network order)`.
  // TODO(3.2): then the size of every format code (`formatCodes`), standard (`!`, with
  // `calcsize`; "native only" where there is none) and native (no prefix).
  todo(
    "/lab3/task-3-2#task-3-2",
    `compare the text and packed sizes of ${rows.length} numbers`,
  );
});
