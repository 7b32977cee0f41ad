/**
 * The three layouts the struct benchmarks measure, each with its values as a program
 * writes them in a call (and as the CPython side of the benchmark writes them into its
 * statements), and a hand-written `DataView` encoder and decoder of the same bytes, the
 * baseline a compiled `Struct` is held to. The hand-written code is what a program writes
 * for a function given a `Uint8Array`: it makes a `DataView` of the bytes, then calls it.
 *
 * @module
 */
import type { StructValue } from "../lib/struct.ts";

/** One layout: its format, its values, and hand-written code for the same bytes. */
export interface Layout {
  /** The format, e.g. `=iif`. */
  format: string;
  /** How many bytes it packs to, for the benchmark's labels. */
  size: number;
  /** The values, as JavaScript values. */
  values: StructValue[];
  /** The values as JavaScript source, as written in a call (`name` is {@linkcode NAME}). */
  args: string;
  /** The values as words for `bench/python/baselines.py struct`. */
  pythonWords: string[];
  /** The same bytes written into `bytes` with `DataView` calls, by hand. */
  handPackInto(bytes: Uint8Array): void;
  /** The values read back from `bytes` with `DataView` calls, by hand. */
  handUnpack(bytes: Uint8Array): StructValue[];
}

/**
 * The bytes value of the `<H10sI` layout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NAME } from "./struct_layouts.ts";
 *
 * assert.equal(new TextDecoder().decode(NAME), "eth0");
 * ```
 */
export const NAME: Uint8Array = new TextEncoder().encode("eth0");

/** A view of exactly the bytes of `bytes`. */
const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.length);

/**
 * `=iif` (two ints and a float, native order), `!BBHIQf` (a 20-byte sensor reading in
 * network order) and `<H10sI` (a port, a 10-byte name and a counter).
 *
 * @example Every hand encoder writes the bytes that `Struct` packs
 * ```ts
 * import assert from "node:assert/strict";
 * import { Struct } from "../lib/struct.ts";
 * import { LAYOUTS } from "./struct_layouts.ts";
 *
 * for (const layout of LAYOUTS) {
 *   const struct = new Struct(layout.format);
 *   const bytes = new Uint8Array(struct.size);
 *   layout.handPackInto(bytes);
 *   assert.deepEqual(bytes, struct.pack(...layout.values));
 *   assert.deepEqual(layout.handUnpack(bytes), struct.unpack(bytes));
 * }
 * ```
 */
export const LAYOUTS: readonly Layout[] = [
  {
    format: "=iif",
    size: 12,
    values: [1234, -5678, 0.5],
    pythonWords: ["1234", "-5678", "0.5"],
    args: "1234, -5678, 0.5",
    handPackInto(bytes) {
      const view = viewOf(bytes);
      view.setInt32(0, 1234, true);
      view.setInt32(4, -5678, true);
      view.setFloat32(8, 0.5, true);
    },
    handUnpack(bytes) {
      const view = viewOf(bytes);
      return [view.getInt32(0, true), view.getInt32(4, true), view.getFloat32(8, true)];
    },
  },
  {
    format: "!BBHIQf",
    size: 20,
    values: [1, 7, 4242, 1_700_000_000, 123456789012345n, 21.5],
    pythonWords: ["1", "7", "4242", "1700000000", "123456789012345", "21.5"],
    args: "1, 7, 4242, 1_700_000_000, 123456789012345n, 21.5",
    handPackInto(bytes) {
      const view = viewOf(bytes);
      view.setUint8(0, 1);
      view.setUint8(1, 7);
      view.setUint16(2, 4242);
      view.setUint32(4, 1_700_000_000);
      view.setBigUint64(8, 123456789012345n);
      view.setFloat32(16, 21.5);
    },
    handUnpack(bytes) {
      const view = viewOf(bytes);
      return [
        view.getUint8(0),
        view.getUint8(1),
        view.getUint16(2),
        view.getUint32(4),
        view.getBigUint64(8),
        view.getFloat32(16),
      ];
    },
  },
  {
    format: "<H10sI",
    size: 16,
    values: [8080, NAME, 99],
    pythonWords: ["8080", "eth0", "99"],
    args: "8080, name, 99",
    handPackInto(bytes) {
      const view = viewOf(bytes);
      view.setUint16(0, 8080, true);
      bytes.set(NAME, 2);
      bytes.fill(0, 2 + NAME.length, 12);
      view.setUint32(12, 99, true);
    },
    handUnpack(bytes) {
      const view = viewOf(bytes);
      return [view.getUint16(0, true), bytes.slice(2, 12), view.getUint32(12, true)];
    },
  },
];

/**
 * Compiles `statement` into a loop that runs it `n` times and returns the milliseconds it
 * took, the way CPython's `timeit` compiles its statement into its timing loop: the code
 * measured is the statement, not a call to a function that runs it. The statement may use
 * the names of `scope`, and `name` ({@linkcode NAME}); it assigns what it makes to `kept`,
 * which outlives the loop, so that the compiler cannot leave the making out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Struct } from "../lib/struct.ts";
 * import { LAYOUTS, timingLoop } from "./struct_layouts.ts";
 *
 * const struct = new Struct(LAYOUTS[0].format);
 * const loop = timingLoop(`kept = struct.pack(${LAYOUTS[0].args})`, { struct });
 * assert.ok(loop(1000) >= 0);
 * ```
 */
export function timingLoop(
  statement: string,
  scope: Record<string, unknown>,
): (n: number) => number {
  const names = ["name", ...Object.keys(scope)];
  const source = `let kept;
    return (n) => {
      const started = performance.now();
      for (let i = 0; i < n; i++) { ${statement}; }
      const ms = performance.now() - started;
      if (kept === null) throw new Error("unreachable"); // kept is read: it must be made
      return ms;
    };`;
  return new Function(...names, source)(NAME, ...Object.values(scope));
}
