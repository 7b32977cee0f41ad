/**
 * Fuzz test of lib/struct.ts: random and damaged formats, buffers, offsets and values
 * given to every operation (parse, unpack, unpackFrom, iterUnpack, pack, packInto, codes,
 * fields) throw only `StructError`; random in-range values of random valid formats come
 * back equal from pack → unpack; time per byte of the format and the buffer stays flat.
 * (CPython's exact messages are tested by struct_python_test.ts.)
 *
 * @module
 */
import assert from "node:assert/strict";
import type { SeededRandom } from "../../../lib/random.ts";
import { formatCodes, Struct, StructError, type StructValue } from "../../../lib/struct.ts";
import { fuzzTest, mutate, pooled, randomBytes, randomText, repeatTo } from "../../harness/fuzz.ts";

type Operation = "unpack" | "unpackFrom" | "iterUnpack" | "pack" | "packInto" | "list";

interface StructInput {
  format: string;
  operation: Operation;
  bytes: Uint8Array;
  offset: number;
  values: unknown[];
}

const PREFIXES = ["", "@", "=", "<", ">", "!"];
const CODES = formatCodes.map((row) => row.code);
/** What formats are made of, and what they must not contain. */
const FORMAT_ALPHABET = [...CODES, ...PREFIXES, ..."0123456789 \t\n0123456789azZ\0é🧦"];
const OPERATIONS: Operation[] = ["unpack", "unpackFrom", "iterUnpack", "pack", "packInto", "list"];

/** A random valid format: a prefix, then up to five codes with small repeat counts. */
function validFormat(random: SeededRandom): { format: string; standard: boolean } {
  const prefix = random.pick(PREFIXES);
  const standard = prefix !== "" && prefix !== "@";
  const codes = formatCodes
    .filter((row) => !standard || row.standardSize !== null)
    .map((row) => row.code);
  let format = prefix;
  for (let n = random.integer(1, 5); n > 0; n--) {
    const code = random.pick(codes);
    // CPython cannot unpack "0p" (it has no room for its length byte).
    const count = random.integer(code === "p" ? 1 : 0, 4);
    format += (count === 1 && random.chance(0.5) ? "" : String(count)) + code;
  }
  return { format, standard };
}

/**
 * Valid formats, drawn from the first 200: each new format costs struct a compilation
 * (of code that packs and unpacks it), far more than packing; the values stay random.
 */
const pooledFormat = pooled(validFormat);

/** Values of every kind JavaScript has, most of which no code accepts. */
function anyValue(random: SeededRandom): unknown {
  return random.pick<() => unknown>([
    () => random.integer(-(2 ** 40), 2 ** 40),
    () => random.pick([NaN, Infinity, -Infinity, -0, 0.5, 2 ** 64, -(2 ** 63), 1e308]),
    () => BigInt(random.integer(-(2 ** 40), 2 ** 40)) ** BigInt(random.integer(1, 3)),
    () => random.chance(0.5),
    () => randomBytes(random, 8),
    () => randomText(random, ["a", "é"], 4),
    () => random.pick([null, undefined, {}, [], [1], Symbol("s"), () => 0, new Date(0)]),
  ])();
}

function hostileFormat(random: SeededRandom): string {
  const roll = random.next();
  if (roll < 0.4) return pooledFormat(random).format;
  if (roll < 0.7) {
    const { format } = pooledFormat(random);
    return new TextDecoder().decode(mutate(random, new TextEncoder().encode(format)));
  }
  if (roll < 0.85) return randomText(random, FORMAT_ALPHABET, 16);
  // Huge repeat counts: sizes near and past the largest a struct may have.
  const digits = random.pick(["9007199254740991", "9007199254740992", "99999999999"]);
  return `${random.pick(PREFIXES)}${digits}${random.pick(CODES)}${random.pick(["", "i", "2q"])}`;
}

/** A size that matches the struct now and then, so that unpacking gets further than its check. */
function bufferFor(random: SeededRandom, format: string): Uint8Array {
  let size = 0;
  try {
    size = new Struct(format).size;
  } catch {
    // An invalid format: any buffer will do.
  }
  if (size <= 128 && random.chance(0.5)) return random.bytes(size * random.integer(1, 2));
  return randomBytes(random, 64);
}

function decode(input: StructInput): unknown {
  const struct = new Struct(input.format);
  const values = input.values as StructValue[];
  switch (input.operation) {
    case "unpack":
      return struct.unpack(input.bytes);
    case "unpackFrom":
      return struct.unpackFrom(input.bytes, input.offset);
    case "iterUnpack":
      return [...struct.iterUnpack(input.bytes)];
    case "pack":
      return struct.pack(...values);
    case "packInto":
      return struct.packInto(input.bytes, input.offset, ...values);
    case "list":
      return [struct.codes.length, struct.fields.length];
  }
}

/** A random value that `code` packs and unpacks unchanged. */
function validValue(
  random: SeededRandom,
  code: string,
  width: number,
  standard: boolean,
): StructValue {
  const row = formatCodes.find((r) => r.code === code)!;
  const size = (standard ? row.standardSize : row.nativeSize)!;
  switch (row.kind) {
    case "integer": {
      const bits = 8 * size;
      const unsigned = BigInt.asUintN(
        bits,
        BigInt(random.integer(0, 2 ** 32 - 1)) << 32n |
          BigInt(random.integer(0, 2 ** 32 - 1)),
      );
      const value = row.signed ? BigInt.asIntN(bits, unsigned) : unsigned;
      return size === 8 ? value : Number(value);
    }
    case "float": {
      // Any bit pattern of the width but a NaN (whose payload JavaScript may not keep).
      const view = new DataView(random.bytes(8).buffer);
      const value = size === 2
        ? view.getFloat16(0)
        : size === 4
        ? view.getFloat32(0)
        : view.getFloat64(0);
      return Number.isNaN(value) ? 0 : value;
    }
    case "bool":
      return random.chance(0.5);
    default: // c, s, p
      return random.bytes(code === "c" ? 1 : code === "s" ? width : Math.min(width - 1, 255));
  }
}

fuzzTest<StructInput>({
  name: "struct",
  throws: [StructError],
  decode,
  input(random) {
    const format = hostileFormat(random);
    const operation = random.pick(OPERATIONS);
    const bytes = bufferFor(random, format);
    const offset = random.pick([0, 1, -1, random.integer(-100, 100), 2 ** 63, 1.5, -(2 ** 53)]);
    const values = Array.from({ length: random.integer(0, 6) }, () => anyValue(random));
    return { format, operation, bytes, offset, values };
  },
  roundTrip(random) {
    const { format, standard } = pooledFormat(random);
    const struct = new Struct(format);
    const values = struct.fields.map(({ code, size }) => validValue(random, code, size, standard));
    const unpacked = struct.unpack(struct.pack(...values));
    assert.equal(unpacked.length, values.length, format);
    unpacked.forEach((value, i) => {
      if (value instanceof Uint8Array) assert.deepEqual(value, values[i], format);
      else assert.ok(Object.is(value, values[i]), `${format}: ${value} is not ${values[i]}`);
    });
  },
  shapes: {
    "one code per value": (n) => ({ ...unpackAll(repeatTo("B", n), n) }),
    "aligned pairs": (n) => unpackAll(`@${repeatTo("bi", n - 1)}`, n),
    "spaces": (n) => unpackAll(`${" ".repeat(n - 1)}B`, 1),
    "a long repeat count": (n) => unpackAll(`${"1".repeat(n - 1)}B`, 1),
    "non-ASCII": (n) => unpackAll(`B${"é".repeat(n - 1)}`, 1),
    "a long string field": (n) => unpackAll(`${n}s`, n),
    "records to iterate": (n) => ({ ...unpackAll("4B", n), operation: "iterUnpack" }),
  },
  show: (input) =>
    JSON.stringify(
      { ...input, bytes: input.bytes.length },
      (_, v) => typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? String(v) : v,
    ),
});

/** An `unpack` of `size` bytes with `format` (whose size may differ: then it fails). */
function unpackAll(format: string, size: number): StructInput {
  return { format, operation: "unpack", bytes: new Uint8Array(size), offset: 0, values: [] };
}
