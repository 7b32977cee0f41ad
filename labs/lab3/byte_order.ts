#!/usr/bin/env -S deno run
/**
 * Task 3.2 — byte order: the same number, packed with each `struct` prefix.
 *
 * A number wider than one byte can be stored most significant byte first (big-endian,
 * the network's order) or least significant first (little-endian, Intel's and most ARM
 * systems' order). `!` and `>` mean big-endian, `<` little-endian, `=` this machine's own
 * order; no prefix (`@`) also uses this machine's sizes and alignment. Two machines agree
 * only if the format says which order: use `!`.
 *
 * Run: ./labs/lab3/byte_order.ts                     (1024 and 0xABCDEF as 'l')
 *      ./labs/lab3/byte_order.ts --code H -- 258
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { hexlify } from "../../lib/bytes.ts";
import { formatCodes, pack } from "../../lib/struct.ts";
import { parseValue } from "../../lib/values.ts";

const { values, positionals } = parseCommandLine({
  summary: "Packs integers with each byte-order prefix and shows the bytes.",
  options: { code: { default: "l", description: "integer format code (b B h H i I l L q Q)" } },
  arguments: "[-- VALUE...]",
});

const machine = pack("=H", 1)[0] === 1 ? "little-endian" : "big-endian";
const PREFIXES: [prefix: string, meaning: string][] = [
  ["!", "network order (big-endian)"],
  [">", "big-endian"],
  ["<", "little-endian"],
  ["=", `this machine's order (${machine})`],
  ["@", "native order, size and alignment"],
];

await runMain(() => {
  const row = formatCodes.find((candidate) => candidate.code === values.code);
  if (row?.kind !== "integer" || row.standardSize === null) {
    throw new UsageError(`--code must be one of b B h H i I l L q Q, not "${values.code}"`);
  }
  const words = positionals.length > 0 ? positionals : ["1024", "11259375"];
  for (const word of words) {
    const value = parseValue(values.code, word) as bigint;
    const hex = value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
    console.log(`${word} (${hex}) as '${values.code}':`);
    // #region prefixes
    for (const [prefix, meaning] of PREFIXES) {
      const packed = pack(`${prefix}${values.code}`, value);
      console.log(`  ${prefix}${values.code}  ${meaning.padEnd(38)} ${hexlify(packed, " ")}`);
    }
    // #endregion prefixes
  }
});
