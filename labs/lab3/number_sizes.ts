#!/usr/bin/env -S deno run
/**
 * Task 3.2 — numbers as text or packed: how many bytes each costs on the wire.
 *
 * Sending `String(n)` costs one byte per digit: 255 takes 3 bytes as text and 1 packed as
 * an unsigned char; the largest unsigned 64-bit number takes 20 as text and 8 packed. A
 * `struct` format packs numbers into fixed sizes; the table at the end gives the size of
 * every format code in standard mode (`!`, `<`, `>`, `=`) and in native mode (`@`).
 *
 * Run: ./labs/lab3/number_sizes.ts
 *      ./labs/lab3/number_sizes.ts --code H -- 7 300 65535
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { hexlify, utf8Encode } from "../../lib/bytes.ts";
import { calcsize, formatCodes, pack } from "../../lib/struct.ts";
import { formatValue, parseValue } from "../../lib/values.ts";

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
  // #region sizes
  const lines = rows.map(([code, word]) => {
    const value = parseValue(code, word);
    const text = utf8Encode(formatValue(code, value)); // what String(n) would send
    const packed = pack(`!${code}`, value);
    return `${word.padEnd(21)} ${code.padEnd(5)} ${`${text.length} B`.padStart(7)}  ` +
      `${`${packed.length} B`.padStart(6)}  ${hexlify(packed, " ")}`;
  });
  console.log("value                 code  as text  packed  packed bytes (network order)");
  console.log(lines.join("\n"));
  // #endregion sizes
  console.log("\ncode  C type               standard size (! < > =)  native size (@)");
  // #region codes
  for (const { code, cType, standardSize } of formatCodes) {
    const standard = standardSize === null ? "native only" : `${calcsize(`!${code}`)} B`;
    console.log(
      `${code.padEnd(4)}  ${cType.padEnd(21)} ${standard.padEnd(23)}  ${calcsize(code)} B`,
    );
  }
  // #endregion codes
});
