/**
 * Times `lib/struct.ts` on one layout of `struct_layouts.ts` in a process of its own, as
 * `python/baselines.py struct` times CPython's `struct` in one of its own: a fresh
 * process, whatever the benchmark did before. Prints one JSON line: the best time of one
 * `pack`, `unpack` and `packInto`, and of the hand-written `DataView` encoder (`hand`),
 * in nanoseconds.
 *
 * Run: deno run bench/struct_times.ts FORMAT LOOPS       (e.g. "=iif" 200000)
 *
 * @module
 */
import { Struct } from "../lib/struct.ts";
import { bestNanoseconds } from "./measure.ts";
import { LAYOUTS, timingLoop } from "./struct_layouts.ts";

const [format, loopsText] = Deno.args;
const layout = LAYOUTS.find((layout) => layout.format === format);
if (layout === undefined) {
  console.error(`unknown layout "${format}" (use ${LAYOUTS.map((l) => l.format).join(", ")})`);
  Deno.exit(2);
}
const loops = Number(loopsText ?? 200_000);
const struct = new Struct(layout.format);
const packed = struct.pack(...layout.values).slice();
const target = new Uint8Array(struct.size);
// Each statement is compiled into its own loop, as timeit does with CPython's.
const time = (statement: string) =>
  bestNanoseconds(timingLoop(statement, { struct, packed, target, layout }), loops);
console.log(JSON.stringify({
  pack: time(`kept = struct.pack(${layout.args})`),
  unpack: time("kept = struct.unpack(packed)"),
  packInto: time(`struct.packInto(target, 0, ${layout.args})`),
  hand: time("layout.handPackInto(target)"),
}));
