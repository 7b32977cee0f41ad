/**
 * Benchmarks of `lib/struct.ts`: for three layouts, packing and unpacking
 * with the module-level functions (which parse the format on every call),
 * with a reused `Struct`, and with a hand-written `DataView` codec of the
 * same layout, the baseline each group is measured against.
 *
 * Allocating the new `ArrayBuffer` that `pack` returns costs more than the
 * encoding itself, and costs every variant the same, so the `packInto`
 * groups, which write into an existing buffer, show the encoder's overhead.
 *
 * Run with `deno bench bench/struct_bench.ts`.
 *
 * @module
 */

import { pack, packInto, Struct, type StructValue, unpack } from "../lib/struct.ts";

/** One layout: its format, sample values, and a hand-written codec. */
interface Layout {
  name: string;
  format: string;
  values: StructValue[];
  /** Writes the values into `bytes`, which must be zeroed where nothing is written. */
  handPackInto(bytes: Uint8Array, values: StructValue[]): void;
  handUnpack(bytes: Uint8Array): StructValue[];
}

/** A view of exactly the bytes of `bytes`. */
function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `=iif`: two ints and a float, native order (little-endian here). */
const pair: Layout = {
  name: "=iif (12 bytes)",
  format: "=iif",
  values: [1234, -5678, 0.5],
  handPackInto(bytes, [a, b, c]) {
    const view = viewOf(bytes);
    view.setInt32(0, a as number, true);
    view.setInt32(4, b as number, true);
    view.setFloat32(8, c as number, true);
  },
  handUnpack(bytes) {
    const view = viewOf(bytes);
    return [view.getInt32(0, true), view.getInt32(4, true), view.getFloat32(8, true)];
  },
};

/** `!BBHIQf`: a 20-byte sensor reading in network order. */
const sensor: Layout = {
  name: "!BBHIQf (20 bytes)",
  format: "!BBHIQf",
  values: [1, 7, 4242, 1_700_000_000, 123456789012345n, 21.5],
  handPackInto(bytes, [version, kind, sequence, time, id, reading]) {
    const view = viewOf(bytes);
    view.setUint8(0, version as number);
    view.setUint8(1, kind as number);
    view.setUint16(2, sequence as number);
    view.setUint32(4, time as number);
    view.setBigUint64(8, id as bigint);
    view.setFloat32(16, reading as number);
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
};

/** `<H10sI`: a port, a 10-byte name and a counter. */
const named: Layout = {
  name: "<H10sI (16 bytes)",
  format: "<H10sI",
  values: [8080, new TextEncoder().encode("eth0"), 99],
  handPackInto(bytes, [port, name, counter]) {
    const view = viewOf(bytes);
    view.setUint16(0, port as number, true);
    bytes.set((name as Uint8Array).subarray(0, 10), 2);
    view.setUint32(12, counter as number, true);
  },
  handUnpack(bytes) {
    const view = viewOf(bytes);
    return [view.getUint16(0, true), bytes.slice(2, 12), view.getUint32(12, true)];
  },
};

for (const layout of [pair, sensor, named]) {
  const struct = new Struct(layout.format);
  const bytes = struct.pack(...layout.values);
  const target = new Uint8Array(struct.size);
  const groups = {
    pack: `pack ${layout.name}`,
    packInto: `packInto ${layout.name}`,
    unpack: `unpack ${layout.name}`,
  };

  Deno.bench({
    name: `DataView by hand: pack ${layout.format}`,
    group: groups.pack,
    baseline: true,
    fn: () => {
      layout.handPackInto(new Uint8Array(struct.size), layout.values);
    },
  });
  Deno.bench({
    name: `Struct#pack ${layout.format}`,
    group: groups.pack,
    fn: () => {
      struct.pack(...layout.values);
    },
  });
  Deno.bench({
    name: `pack("${layout.format}") (parses per call)`,
    group: groups.pack,
    fn: () => {
      pack(layout.format, ...layout.values);
    },
  });

  Deno.bench({
    name: `DataView by hand: packInto ${layout.format}`,
    group: groups.packInto,
    baseline: true,
    fn: () => {
      layout.handPackInto(target, layout.values);
    },
  });
  Deno.bench({
    name: `Struct#packInto ${layout.format}`,
    group: groups.packInto,
    fn: () => {
      struct.packInto(target, 0, ...layout.values);
    },
  });
  Deno.bench({
    name: `packInto("${layout.format}") (parses per call)`,
    group: groups.packInto,
    fn: () => {
      packInto(layout.format, target, 0, ...layout.values);
    },
  });

  Deno.bench({
    name: `DataView by hand: unpack ${layout.format}`,
    group: groups.unpack,
    baseline: true,
    fn: () => {
      layout.handUnpack(bytes);
    },
  });
  Deno.bench({
    name: `Struct#unpack ${layout.format}`,
    group: groups.unpack,
    fn: () => {
      struct.unpack(bytes);
    },
  });
  Deno.bench({
    name: `unpack("${layout.format}") (parses per call)`,
    group: groups.unpack,
    fn: () => {
      unpack(layout.format, bytes);
    },
  });
}
