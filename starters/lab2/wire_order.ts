#!/usr/bin/env -S deno run
/**
 * Task 2.4 — byte order: this machine's and the wire's.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab2/task-2-4#task-2-4.
 *
 * Run:   ./mywork/lab2/wire_order.ts                      (1 258 305419896 as 'I')
 *        ./mywork/lab2/wire_order.ts --code h -- -2 300
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.4)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Byte order (Task 2.4): numbers in this machine's memory and on the wire.",
  options: { code: { default: "I", description: "struct code: h H i I f d" } },
  arguments: "[-- VALUE...]",
});

await runMain(() => {
  const words = positionals.length > 0 ? positionals : ["1", "258", "305419896"];
  // TODO(2.4): refuse a --code other than h H i I f d, and values that do not fit it,
  // with a UsageError (packing with `pack("!<n><code>", …)` from ../../lib/struct.ts
  // checks every range, after `parseValues` from ../../lib/values.ts).
  // TODO(2.4): say whether this machine is little- or big-endian (look at the first
  // byte of `Uint16Array.of(1)`'s buffer), then show the numbers as this machine's
  // memory holds them (a typed array of the code's type: Int16Array for h, …) and as
  // the wire carries them in network order (`!`), in hex (`hexlify(bytes, " ")`).
  // TODO(2.4): show what a receiver gets when it unpacks those wire bytes in network
  // order (`!`), and as little-endian (`<`).
  todo(
    "/lab2/task-2-4#task-2-4",
    `show ${words} as '${values.code}' in memory and on the wire`,
  );
});
