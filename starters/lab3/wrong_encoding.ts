#!/usr/bin/env -S deno run
/**
 * Task 3.1 — decoding with the wrong encoding: the bytes are right, the text is garbled.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-1#task-3-1.
 *
 * Run:   ./mywork/lab3/wrong_encoding.ts                            (a sample with accents)
 *        ./mywork/lab3/wrong_encoding.ts --encodings latin1,koi8-r "Grüße"
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.1)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const DEFAULT_ENCODINGS = [
  "utf-8",
  "latin1",
  "macintosh",
  "iso-8859-2",
  "iso-8859-7",
  "koi8-r",
  "windows-1251",
  "shift_jis",
  "euc-jp",
  "big5",
  "gb18030",
  "euc-kr",
  "utf-16le",
];

const { values, positionals } = parseCommandLine({
  summary: "Decodes the UTF-8 bytes of a text with other encodings to show the garbling.",
  options: {
    encodings: {
      default: DEFAULT_ENCODINGS.join(","),
      description: "comma-separated labels for TextDecoder",
      valueName: "LABELS",
    },
  },
  arguments: "[TEXT]",
});

await runMain(() => {
  const text = positionals.length > 0 ? positionals.join(" ") : "Grüße, señor — ¿qué tal? 日本";
  const labels = values.encodings.split(",").map((label) => label.trim()).filter(Boolean);
  // TODO(3.1): make a `TextDecoder` for every label first: an unknown label throws, and
  // deserves one line (a UsageError) before anything is printed.
  // TODO(3.1): print the text's UTF-8 bytes in hex (`utf8Encode`, `hexlify(bytes, " ")`),
  // then one line per label with what that decoder makes of the same bytes. Show the
  // encoding the decoder really uses when it differs from the label (`latin1 (=
  // windows-1252)`), and control characters as `·`: a terminal could act on them.
  todo(
    "/lab3/task-3-1#task-3-1",
    `decode ${JSON.stringify(text)} with ${labels.length} encodings`,
  );
});
