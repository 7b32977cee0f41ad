#!/usr/bin/env -S deno run
/**
 * Task 3.1 — strings and bytes: what a text becomes on the wire.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-1#task-3-1.
 *
 * Run:   ./mywork/lab3/text_bytes.ts                       ("Hello World")
 *        ./mywork/lab3/text_bytes.ts "¡Hola, señor! 日本"
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.1)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { positionals } = parseCommandLine({
  summary: "Shows the characters of a text and the UTF-8 bytes that go on the wire.",
  options: {},
  arguments: "[TEXT]",
});

await runMain(() => {
  const text = positionals.length > 0 ? positionals.join(" ") : "Hello World";
  // TODO(3.1): print the text and its number of characters (split by code point:
  // `[...text]`, so "日" is one), the characters, and its UTF-8 bytes (`utf8Encode` from
  // ../../lib/bytes.ts) with their number, as in
  //   text: "Hello World" (11 characters)
  //   characters: ['H', 'e', …]
  //   bytes (UTF-8): [72, 101, …] (11 bytes)
  //   as Python shows them: b'Hello World'          (`reprBytes`)
  //   on the wire (hexdump -C):                      (then `hexdump(bytes)`)
  // TODO(3.1): then a table, one row per character: the character, its code point
  // (`U+00F1`) and its UTF-8 bytes in hex.
  todo(
    "/lab3/task-3-1#task-3-1",
    `show the characters and UTF-8 bytes of ${JSON.stringify(text)}`,
  );
});
