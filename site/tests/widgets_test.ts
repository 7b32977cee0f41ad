// What the Lab 3 widgets compute, without a browser: the bit explorer's views and the values a
// reader types, and the struct playground's bytes, fields and errors. browser.ts checks that the
// pages show these in chromium.
import assert from "node:assert/strict";
import { pack, Struct, StructError } from "../../lib/struct.ts";
import {
  narrow,
  NotationError,
  parseView,
  VIEWS,
  views,
  WIDTHS,
} from "../.vitepress/theme/widgets/bit-explorer.ts";
import {
  MAX_BYTES,
  packTyped,
  splitValues,
} from "../.vitepress/theme/widgets/struct-playground.ts";

/** A few patterns of each width: the extremes, one bit, alternating bits. */
function samples(width: number): number[] {
  const top = 2 ** (width - 1);
  return [0, 1, 0x53, top - 1, top, top + 1, 2 ** width - 1, Math.floor((2 ** width - 1) / 3)];
}

Deno.test("bit explorer: each view writes the pattern in its notation", () => {
  for (let bits = 0; bits < 256; bits++) {
    assert.deepEqual(views(bits, 8), {
      unsigned: String(bits),
      signed: String(bits < 128 ? bits : bits - 256),
      hex: `0x${bits < 16 ? "0" : ""}${bits.toString(16)}`,
      binary: bits.toString(2).padStart(8, "0"),
    });
  }
  assert.deepEqual(views(0x8000_0000, 32), {
    unsigned: "2147483648",
    signed: "-2147483648",
    hex: "0x80000000",
    binary: `1${"0".repeat(31)}`,
  });
  assert.throws(() => views(256, 8), RangeError);
});

Deno.test("bit explorer: what is typed into a view reads back as the same pattern", () => {
  for (const width of WIDTHS) {
    for (const bits of samples(width)) {
      for (const view of VIEWS) {
        assert.equal(parseView(view, views(bits, width)[view], width), bits, `${view} ${bits}`);
      }
    }
  }
  // Prefixes are optional, digits may be grouped, case does not matter.
  assert.equal(parseView("hex", " 7F ", 8), 0x7f);
  assert.equal(parseView("binary", "0b0101_0011", 8), 0x53);
  assert.equal(parseView("binary", "0101 0011", 8), 0x53);
  assert.equal(parseView("signed", "-1", 16), 0xffff);
  assert.equal(parseView("unsigned", "+83", 8), 83);
});

Deno.test("bit explorer: a wrong notation and a number too wide are told apart", () => {
  for (
    const [view, text] of [["unsigned", "-1"], ["hex", "0x"], ["binary", "102"], ["signed", "1.5"]]
  ) {
    assert.throws(
      () => parseView(view as (typeof VIEWS)[number], text, 8),
      (error) => error instanceof NotationError && error.view === view,
    );
  }
  // Out of range: lib/bits.ts's message, naming the range of the width.
  assert.throws(() => parseView("unsigned", "256", 8), /from 0 to 255 to fit in 8 bits, got 256/);
  assert.throws(() => parseView("hex", "0x1ff", 8), /from 0 to 255 to fit in 8 bits, got 511/);
  assert.throws(() => parseView("signed", "128", 8), /from -128 to 127 to fit in 8 signed bits/);
  assert.throws(() => parseView("signed", "-32769", 16), RangeError);
});

Deno.test("bit explorer: a narrower width keeps the low bits", () => {
  assert.equal(narrow(0x1234, 8), 0x34);
  assert.equal(narrow(0xdead_beef, 16), 0xbeef);
  assert.equal(narrow(0xff, 32), 0xff);
});

Deno.test("struct playground: values one per line, or separated by commas on one line", () => {
  assert.deepEqual(splitValues("7, 1024,-2"), ["7", "1024", "-2"]);
  assert.deepEqual(splitValues("a, b\n\n c \n"), ["a, b", "c"]);
  assert.deepEqual(splitValues("  \n"), []);
  assert.deepEqual(splitValues(""), []);
});

Deno.test("struct playground: the packed bytes, each owned by its field or padding", () => {
  const cases = [
    { format: "!BxHi", text: "7, 1024, -2", values: [7, 1024, -2] },
    { format: "@bq?", text: "-1\n300\ntrue", values: [-1, 300n, true] },
    { format: "<2s f", text: "hi, 2.7", values: [new TextEncoder().encode("hi"), 2.7] },
  ];
  for (const { format, text, values } of cases) {
    const outcome = packTyped(format, text);
    assert.equal(outcome.kind, "packed", format);
    if (outcome.kind !== "packed") continue;
    const expected = pack(format, ...values);
    assert.deepEqual(outcome.bytes, expected, format);
    const cells = outcome.rows.flat();
    assert.deepEqual(cells.map((cell) => parseInt(cell.hex, 16)), [...expected], format);
    assert.ok(outcome.rows.every((row) => row.length <= 16));
    const { fields } = new Struct(format);
    for (const cell of cells) {
      const owner = fields.findIndex((f) =>
        cell.offset >= f.offset && cell.offset < f.offset + f.size
      );
      assert.equal(cell.field, owner === -1 ? null : owner, `${format}: byte ${cell.offset}`);
    }
  }
  const floats = packTyped("!f", "2.7");
  assert.equal(floats.kind === "packed" && floats.fields[0].value, "2.700000047683716");
  const padded = packTyped("@bq", "1, 2");
  assert.equal(
    padded.kind === "packed" && padded.rows.flat().filter((c) => c.field === null).length,
    7,
  );
});

Deno.test("struct playground: errors are the library's, name and message", () => {
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as Error;
    }
    throw new Error("expected an error");
  };
  const badFormat = thrown(() => new Struct("!Bz"));
  assert.ok(badFormat instanceof StructError);
  assert.deepEqual(packTyped("!Bz", "1"), {
    kind: "error",
    name: "StructError",
    message: badFormat.message,
  });
  assert.deepEqual(packTyped("!h", "40000"), {
    kind: "error",
    name: "StructError",
    message: thrown(() => pack("!h", 40000)).message,
  });
  assert.deepEqual(packTyped("!hh", "1"), {
    kind: "error",
    name: "UsageError",
    message: "the format needs 2 values, got 1",
  });
  assert.deepEqual(packTyped("!h", "one"), {
    kind: "error",
    name: "UsageError",
    message: `'h' needs a whole number, got "one"`,
  });
  assert.deepEqual(packTyped(`${MAX_BYTES + 1}x`, ""), { kind: "too-large", size: MAX_BYTES + 1 });
});
