/**
 * Differential test of lib/struct.ts against CPython's `struct` (run where python3 is
 * installed): seeded random formats and values, including out-of-range ones, are packed
 * and unpacked by both; the bytes, the values and the error messages must be identical.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  calcsize,
  pack,
  packInto,
  StructError,
  type StructValue,
  unpack,
} from "../../../lib/struct.ts";
import { hexlify, unhexlify } from "../../../lib/bytes.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { SeededRandom } from "../../../lib/random.ts";

const ORACLE = fileURLToPath(new URL("../../harness/python/struct_oracle.py", import.meta.url));
const CASES = 3000;

type Tagged = { int: string } | { float: string } | { bool: boolean } | { bytes: string };
type Answer = { hex: string } | { values: Tagged[] } | { error: string };

const INTEGER_BITS: Record<string, [bits: number, signed: boolean]> = {
  b: [8, true],
  B: [8, false],
  h: [16, true],
  H: [16, false],
  i: [32, true],
  I: [32, false],
  l: [32, true],
  L: [32, false],
  q: [64, true],
  Q: [64, false],
};
const NATIVE_ONLY_BITS: Record<string, [number, boolean]> = {
  l: [64, true],
  L: [64, false],
  n: [64, true],
  N: [64, false],
  P: [64, false],
};

function tagFloat(value: number): Tagged {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return { float: hexlify(new Uint8Array(view.buffer)) };
}

/** A tagged value as JavaScript: an integer as a `bigint`, or as a `number` if `asNumber` and exact. */
function fromTagged(tagged: Tagged, asNumber = false): StructValue {
  if ("int" in tagged) {
    return asNumber && Number.isSafeInteger(Number(tagged.int))
      ? Number(tagged.int)
      : BigInt(tagged.int);
  }
  if ("float" in tagged) return new DataView(unhexlify(tagged.float).buffer).getFloat64(0);
  if ("bool" in tagged) return tagged.bool;
  return unhexlify(tagged.bytes);
}

/** A random format and values for it: mostly valid, sometimes just out of range. */
function randomCase(random: SeededRandom): { format: string; values: Tagged[] } {
  const prefix = random.pick(["", "@", "=", "<", ">", "!"]);
  const native = prefix === "" || prefix === "@";
  const codes = native ? "xcbB?hHiIlLqQnNefdspP" : "xcbB?hHiIlLqQefdsp";
  let format = prefix;
  const values: Tagged[] = [];
  for (let items = random.integer(1, 5); items > 0; items--) {
    const code = random.pick([...codes]);
    // CPython 3.11 crashes (SystemError) unpacking "0p", so the oracle cannot judge it.
    const count = code === "p" ? random.integer(1, 3) : random.integer(0, 3);
    format += (count === 1 && random.chance(0.5) ? "" : String(count)) + code;
    const repeat = code === "s" || code === "p" ? 1 : count === 1 ? 1 : count;
    if (code === "x") continue;
    for (let i = 0; i < (code === "s" || code === "p" ? 1 : repeat); i++) {
      values.push(randomValue(random, code, native));
    }
  }
  return { format, values };
}

function randomValue(random: SeededRandom, code: string, native: boolean): Tagged {
  const integer = (native && NATIVE_ONLY_BITS[code]) || INTEGER_BITS[code];
  if (integer) {
    const [bits, signed] = integer;
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    const span = max - min + 1n;
    const choices = [
      min,
      max,
      min - 1n,
      max + 1n,
      0n,
      min + BigInt(random.integer(0, 999_999)) % span,
    ];
    return { int: String(random.pick(choices)) };
  }
  switch (code) {
    case "e":
    case "f":
    case "d":
      return tagFloat(random.pick([
        0,
        -0,
        1.5,
        -2.7,
        65504,
        65519.99,
        65520,
        1e-8,
        6e-8,
        3.4028235e38,
        3.5e38,
        1e308,
        Infinity,
        -Infinity,
        NaN,
        (random.integer(-1e6, 1e6 - 1)) / 997,
      ]));
    case "?":
      return { bool: random.chance(0.5) };
    case "c":
      return { bytes: hexlify(random.bytes(random.pick([1, 1, 1, 0, 2]))) };
    default: // s, p: any length, shorter or longer than the field
      return { bytes: hexlify(random.bytes(random.integer(0, 5))) };
  }
}

// Integers go as `bigint` to half the cases and as `number` (where exact) to the other half.
const asNumbers = (i: number) => i % 2 === 1;

function localPack(format: string, values: Tagged[], numbers: boolean): Answer {
  try {
    return { hex: hexlify(pack(format, ...values.map((v) => fromTagged(v, numbers)))) };
  } catch (error) {
    if (!(error instanceof StructError)) throw error;
    return { error: error.message };
  }
}

/** A `packInto` case: the values packed at an offset into a buffer of other bytes. */
interface PackIntoCase {
  format: string;
  values: Tagged[];
  hex: string;
  offset: number;
}

/** The buffer after our `packInto`, with the error if it failed, as the oracle answers. */
function localPackInto({ format, values, hex, offset }: PackIntoCase, numbers: boolean) {
  const buffer = unhexlify(hex);
  try {
    packInto(format, buffer, offset, ...values.map((v) => fromTagged(v, numbers)));
    return { hex: hexlify(buffer) };
  } catch (error) {
    if (!(error instanceof StructError)) throw error;
    return { hex: hexlify(buffer), error: error.message };
  }
}

async function askOracle(cases: object[]): Promise<Answer[]> {
  const oracle = new Deno.Command("python3", {
    args: [ORACLE],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const finished = oracle.output(); // read while writing: both pipes have limited room
  const writer = oracle.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(cases.map((c) => JSON.stringify(c)).join("\n") + "\n"),
  );
  await writer.close();
  const { stdout, success } = await finished;
  assert.ok(success, "the Python oracle failed");
  return new TextDecoder().decode(stdout).trimEnd().split("\n").map((line) => JSON.parse(line));
}

function sameValue(ours: StructValue, theirs: StructValue): boolean {
  if (typeof theirs === "number" && Number.isNaN(theirs)) return Number.isNaN(ours as number);
  if (ours instanceof Uint8Array && theirs instanceof Uint8Array) {
    return hexlify(ours) === hexlify(theirs);
  }
  if (typeof ours === "bigint" || typeof theirs === "bigint") {
    return BigInt(ours as number | bigint) === BigInt(theirs as number | bigint);
  }
  return Object.is(ours, theirs);
}

Deno.test({
  name: `struct matches CPython on ${CASES} random formats and values (pack, unpack, errors)`,
  ignore: !hasProgram("python3"),
  async fn() {
    const random = new SeededRandom(2024);
    const cases = Array.from({ length: CASES }, () => randomCase(random));
    const packed = await askOracle(cases.map((c) => ({ op: "pack", ...c })));
    const mismatches: string[] = [];
    const unpackCases: { format: string; hex: string }[] = [];
    cases.forEach(({ format, values }, i) => {
      const ours = localPack(format, values, asNumbers(i));
      if (JSON.stringify(ours) !== JSON.stringify(packed[i])) {
        mismatches.push(
          `pack('${format}', ${JSON.stringify(values)}): ours ${JSON.stringify(ours)}, CPython ${
            JSON.stringify(packed[i])
          }`,
        );
      }
      if ("hex" in packed[i]) unpackCases.push({ format, hex: packed[i].hex });
    });
    const unpacked = await askOracle(unpackCases.map((c) => ({ op: "unpack", ...c })));
    unpackCases.forEach(({ format, hex }, i) => {
      const answer = unpacked[i];
      assert.ok(
        "values" in answer,
        `CPython could not unpack its own bytes: ${JSON.stringify(answer)}`,
      );
      const ours = unpack(format, unhexlify(hex));
      const theirs = answer.values.map((value) => fromTagged(value));
      if (ours.length !== theirs.length || ours.some((v, j) => !sameValue(v, theirs[j]))) {
        mismatches.push(`unpack('${format}', ${hex}): ours ${ours}, CPython ${theirs}`);
      }
    });
    assert.ok(unpackCases.length > CASES / 4, `too few valid cases: ${unpackCases.length}`);
    assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} mismatches`);
  },
});
Deno.test({
  name: `struct's packInto matches CPython's pack_into on ${CASES} random cases, failures included`,
  ignore: !hasProgram("python3"),
  async fn() {
    // Another seed than the test above: other formats and values.
    const random = new SeededRandom(7);
    const cases: PackIntoCase[] = [];
    for (let i = 0; i < CASES; i++) {
      const { format, values } = randomCase(random);
      let size;
      try {
        size = calcsize(format);
      } catch {
        continue; // a bad format: the test above compares its error
      }
      // The struct between other bytes, at an offset from the start or from the end.
      const hex = hexlify(random.bytes(size + 4));
      cases.push({ format, values, hex, offset: random.chance(0.5) ? 2 : -size - 2 });
    }
    const answers = await askOracle(cases.map((c) => ({ op: "pack_into", ...c })));
    const mismatches = cases.flatMap((c, i) => {
      const ours = localPackInto(c, asNumbers(i));
      return JSON.stringify(ours) === JSON.stringify(answers[i]) ? [] : [
        `pack_into('${c.format}', ${c.hex}, ${c.offset}, ${JSON.stringify(c.values)}): ` +
        `ours ${JSON.stringify(ours)}, CPython ${JSON.stringify(answers[i])}`,
      ];
    });
    assert.ok(answers.filter((a) => !("error" in a)).length > CASES / 4, "too few valid cases");
    assert.ok(answers.some((a) => "error" in a), "no case failed: the failures go untested");
    assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} mismatches`);
  },
});
if (!hasProgram("python3")) {
  console.log("skipping the CPython struct comparison: python3 is not installed");
}
