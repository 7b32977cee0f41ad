/**
 * Micro-benchmarks of `lib/struct.ts` (`deno task bench:struct`): for the layouts of
 * `struct_layouts.ts`, packing, packing into a buffer and unpacking with a reused
 * `Struct`, with the module-level functions (whose layouts come from a cache), and with
 * the hand-written `DataView` code of the same bytes, each group's baseline. The ratios
 * against CPython are in `deno task bench` (bench/performance.ts).
 *
 * @module
 */
import { pack, Struct, unpack } from "../lib/struct.ts";
import { LAYOUTS } from "./struct_layouts.ts";

for (const layout of LAYOUTS) {
  const struct = new Struct(layout.format);
  const bytes = struct.pack(...layout.values).slice();
  const target = new Uint8Array(struct.size);
  const group = (operation: string) => `${operation} ${layout.format} (${layout.size} bytes)`;

  Deno.bench({
    name: `DataView by hand: a new buffer, then ${layout.format}`,
    group: group("pack"),
    baseline: true,
    fn: () => {
      layout.handPackInto(new Uint8Array(layout.size));
    },
  });
  Deno.bench({
    name: `Struct#pack ${layout.format}`,
    group: group("pack"),
    fn: () => void struct.pack(...layout.values),
  });
  Deno.bench({
    name: `pack("${layout.format}")`,
    group: group("pack"),
    fn: () => void pack(layout.format, ...layout.values),
  });

  Deno.bench({
    name: `DataView by hand: packInto ${layout.format}`,
    group: group("packInto"),
    baseline: true,
    fn: () => layout.handPackInto(target),
  });
  Deno.bench({
    name: `Struct#packInto ${layout.format}`,
    group: group("packInto"),
    fn: () => struct.packInto(target, 0, ...layout.values),
  });

  Deno.bench({
    name: `DataView by hand: unpack ${layout.format}`,
    group: group("unpack"),
    baseline: true,
    fn: () => void layout.handUnpack(bytes),
  });
  Deno.bench({
    name: `Struct#unpack ${layout.format}`,
    group: group("unpack"),
    fn: () => void struct.unpack(bytes),
  });
  Deno.bench({
    name: `unpack("${layout.format}")`,
    group: group("unpack"),
    fn: () => void unpack(layout.format, bytes),
  });
}
