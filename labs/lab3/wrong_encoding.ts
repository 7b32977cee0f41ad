#!/usr/bin/env -S deno run
/**
 * Task 3.1 — decoding with the wrong encoding: the bytes are right, the text is garbled.
 *
 * The bytes on the wire do not say which encoding made them; sender and receiver must
 * agree. This script encodes a text as UTF-8 (the only encoding `TextEncoder` writes) and
 * decodes the same bytes with several encodings a receiver might wrongly assume. Each line
 * also shows the encoding `TextDecoder` really used: the Web's encoding standard maps some
 * labels to others, so `latin1` and `iso-8859-1` both mean windows-1252.
 *
 * Run: ./labs/lab3/wrong_encoding.ts                            (a sample with accents)
 *      ./labs/lab3/wrong_encoding.ts --encodings latin1,koi8-r "Grüße"
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { hexlify, utf8Encode } from "../../lib/bytes.ts";

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
  const bytes = utf8Encode(text);
  // #region decode
  const decoders = labels.map((label) => {
    try {
      return { label, decoder: new TextDecoder(label) };
    } catch {
      throw new UsageError(`unknown encoding label "${label}" (see the WHATWG encoding list)`);
    }
  });
  console.log(`sent ${JSON.stringify(text)} as UTF-8 (${bytes.length} B): ${hexlify(bytes, " ")}`);
  for (const { label, decoder } of decoders) {
    const shown = decoder.encoding === label ? label : `${label} (= ${decoder.encoding})`;
    // Control characters (C0/C1) are shown as "·": a terminal could act on them.
    console.log(`${shown.padEnd(26)} ${decoder.decode(bytes).replace(/\p{Cc}/gu, "·")}`);
  }
  // #endregion decode
});
