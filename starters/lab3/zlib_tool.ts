#!/usr/bin/env -S deno run
/**
 * Task 3.5 — compress or decompress standard input to standard output, in the zlib format
 * (RFC 1950) that Python's `zlib.compress` and `zlib.decompress` use.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-5#task-3-5.
 *
 * Run:   ./mywork/lab3/zlib_tool.ts compress < labs/lab3/zlib_tool.ts > /tmp/x.z
 *        ./mywork/lab3/zlib_tool.ts decompress < /tmp/x.z
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.5)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Compresses or decompresses stdin to stdout in the zlib format (Python's zlib).",
  options: { level: { default: "6", description: "compression level: 0 none, 1 fast, 9 best" } },
  arguments: "compress|decompress < INPUT > OUTPUT",
});

await runMain(async () => {
  // TODO(3.5): accept exactly one word, compress or decompress, and --level 0..9
  // (UsageErrors otherwise); read all of stdin (`new Response(Deno.stdin.readable)
  // .bytes()`); compress with `deflateSync(input, { level })` or decompress with
  // `inflateSync(input)` from node:zlib, which refuses data that is not zlib or was cut
  // short: say so in one line. Write the result to stdout with `writeAll`.
  await todo(
    "/lab3/task-3-5#task-3-5",
    `${positionals[0] ?? "compress"} stdin at level ${values.level}`,
  );
});
