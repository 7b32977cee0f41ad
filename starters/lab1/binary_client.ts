#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.4 — binary client: packs numbers with a `struct` format and sends the bytes.
 *
 * STARTER: the command line and the record's format are in place (the contract every
 * lab script keeps); each TODO is a step of the task, and the handout explains it:
 * /lab1/task-1-4#task-1-4.
 *
 * Run:   ./mywork/lab1/binary_client.ts                            (=iif 1 4 2.7)
 *        ./mywork/lab1/binary_client.ts --format '>hq?' -- -2 9000000000 true
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.4)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { Struct, StructError } from "../../lib/struct.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "Binary client (Task 1.4): packs values with a struct format and sends them.",
  options: {
    ...peerOptions("binary server", "TCP", "10001"),
    format: { default: "=iif", description: "struct format of the record" },
  },
  arguments: "[-- VALUE...]",
});

await runMain(async () => {
  const record = new Struct(values.format);
  const words = positionals.length > 0 ? positionals : ["1", "4", "2.7"];
  const port = parsePort(values.port);
  // TODO(1.4): turn `words` into one value per format code (`parseValues(record.codes,
  // words)` from ../../lib/values.ts refuses a malformed word), pack them
  // (`record.pack(...fields)`, which refuses a value out of range), and print
  // `Sending "<hex>" (<n> bytes)` (`hexlify` from ../../lib/bytes.ts).
  // TODO(1.4): connect (`connectTcp`), send the bytes (`writeAll`) and close.
  await todo(
    "/lab1/task-1-4#task-1-4",
    `pack ${words} as '${record.format}' and send it to port ${port}`,
  );
}, { usageErrors: [StructError] }); // a bad format or value is a typing mistake: exit code 2
