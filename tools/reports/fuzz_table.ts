/**
 * The table of the fuzz tests: for each decoder, the hostile inputs and round trips it
 * was given, the distinct error messages it threw, and how long it took on a 1 MiB input
 * of each worst-case shape. The fuzz harness (`tests/harness/fuzz.ts`) writes one
 * {@linkcode FuzzReport} per decoder as a line of JSON; {@linkcode fuzzTable} renders
 * them as Markdown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fuzzTable } from "./fuzz_table.ts";
 *
 * const table = fuzzTable([{
 *   name: "parseSyslog", inputs: 1000, roundTrips: 1000, distinctErrors: 6, seconds: 0.4,
 *   shapes: [
 *     { name: "trailing newlines", smallMs: 0.001, size: 1048576, ms: 0.5, medianMs: 0.6, ratio: 0.5 },
 *     { name: "long field", smallMs: 0.002, size: 1048576, ms: 1.2, medianMs: 1.3, ratio: 0.6 },
 *   ],
 * }]);
 * assert.match(table, /\| parseSyslog +\| 1,000 +\| 1,000 +\| 6 +\| 0\.4 +\| 1\.30 ms \(long field\) +\|/);
 * ```
 *
 * @module
 */
import { markdownTable } from "./test_report.ts";

/** How long a decoder takes on one shape of input. */
export interface ShapeTiming {
  /** The shape's name. */
  name: string;
  /** Milliseconds for its 1 KiB input (the fastest of a few runs). */
  smallMs: number;
  /** The size it was measured at last: 1 MiB, or 32 KiB if it was too slow already there. */
  size: number;
  /** Milliseconds for that size (the fastest of a few runs). */
  ms: number;
  /** The median of a few runs at that size, in ms, when measured (by `deno task fuzz`). */
  medianMs?: number;
  /** Time per byte at that size, as a multiple of the time per byte at 1 KiB. */
  ratio: number;
}

/** What one run of a fuzzer found: a line of the file the fuzz tests write. */
export interface FuzzReport {
  /** The decoder's name (`parseSyslog`). */
  name: string;
  /** Hostile inputs decoded. */
  inputs: number;
  /** Valid values round-tripped. */
  roundTrips: number;
  /** Distinct messages of the errors thrown, numbers and quotes masked (`frame of # bytes …`). */
  distinctErrors: number;
  /** Seconds the inputs and round trips took. */
  seconds: number;
  /** The time per byte of each shape. */
  shapes: ShapeTiming[];
}

/** `3.25 ms (shape)`: the median (else the fastest) time of a shape, and its size if not 1 MiB. */
function slowest(shapes: ShapeTiming[]): string {
  if (shapes.length === 0) return "—";
  const time = (shape: ShapeTiming) => shape.medianMs ?? shape.ms;
  const worst = shapes.reduce((a, b) => time(b) / b.size > time(a) / a.size ? b : a);
  const at = worst.size === 1024 * 1024 ? "" : ` at ${worst.size / 1024} KiB`;
  const digits = time(worst) < 10 ? 2 : 1;
  return `${time(worst).toFixed(digits)} ms (${worst.name}${at})`;
}

/**
 * A Markdown table of `reports`, a row per decoder: inputs, round trips, distinct error
 * messages, seconds, and the time for 1 MiB of its slowest shape (the median of a few
 * runs where there is one, else the fastest run).
 */
export function fuzzTable(reports: readonly FuzzReport[]): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return markdownTable([
    ["decoder", "inputs", "round trips", "distinct errors", "seconds", "1 MiB, slowest shape"],
    ...reports.map((r) => [
      r.name,
      count(r.inputs),
      count(r.roundTrips),
      String(r.distinctErrors),
      r.seconds.toFixed(1),
      slowest(r.shapes),
    ]),
  ]);
}
