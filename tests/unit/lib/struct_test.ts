/**
 * Tests of `lib/struct.ts`. Every expected byte string and error message
 * below was produced by CPython 3.11's `struct` module on x86_64 Linux.
 */

import assert from "node:assert/strict";
import {
  calcsize,
  formatCodes,
  iterUnpack,
  pack,
  packInto,
  Struct,
  StructError,
  type StructValue,
  unpack,
  unpackFrom,
} from "../../../lib/struct.ts";

/** Hex text of some bytes, as Python's `bytes.hex()`. */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

function ascii(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/** Asserts that `fn` throws a StructError with exactly `message`. */
function assertStructError(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StructError, `not a StructError: ${error}`);
    assert.equal(error.message, message);
    return true;
  });
}

/** Calls a function with an argument its types forbid, as untyped callers can. */
function untyped<T>(value: unknown): T {
  return value as T;
}

const OUT = "argument out of range";
const BIG = "int too large to convert";

Deno.test("examples from Python's struct documentation", () => {
  assert.equal(hex(pack(">bhl", 1, 2, 3)), "01000200000003");
  assert.deepEqual(unpack(">bhl", fromHex("01000200000003")), [1, 2, 3]);
  assert.equal(calcsize(">bhl"), 7);

  // Native alignment pads between members only.
  assert.equal(hex(pack("@ci", ascii("*"), 0x12131415)), "2a00000015141312");
  assert.equal(hex(pack("@ic", 0x12131415, ascii("*"))), "151413122a");
  assert.equal(calcsize("@ci"), 8);
  assert.equal(calcsize("@ic"), 5);
  // A trailing zero-count code aligns the end.
  assert.equal(calcsize("@llh"), 18);
  assert.equal(calcsize("@llh0l"), 24);
  assert.equal(hex(pack("@llh0l", 1, 2, 3)), "010000000000000002000000000000000300000000000000");

  assert.equal(hex(pack("<e", 1.0)), "003c");
  assert.equal(hex(pack("11p", ascii("hello world"))), "0a68656c6c6f20776f726c");
  assert.equal(hex(pack("9s", ascii("abc"))), "616263000000000000");
  const pascal = pack("1000p", new Uint8Array(2000).fill(0x61));
  assert.equal(pascal.length, 1000);
  assert.equal(hex(pascal.subarray(0, 3)), "ff6161");
  assert.deepEqual(unpack("1000p", pascal), [new Uint8Array(255).fill(0x61)]);
  assertStructError(() => pack(">e", 65520.0), "float too large to pack with e format");

  const record = ascii("raymond   \x32\x12\x08\x01\x08");
  assert.deepEqual(unpack("<10sHHb", record), [ascii("raymond   "), 4658, 264, 8]);
  assert.deepEqual([...iterUnpack(">IB", Uint8Array.from({ length: 10 }, (_, i) => i))], [
    [66051, 4],
    [84281096, 9],
  ]);
  assert.equal(hex(pack(">h", 1023)), "03ff");
  assert.equal(hex(pack("<h", 1023)), "ff03");
});

Deno.test("calcsize matches CPython", () => {
  const sizes: [string, number][] = [
    ["", 0],
    ["<", 0],
    ["@lhl", 24],
    ["=lhl", 10],
    ["<qh6xq", 24],
    ["0s", 0],
    ["3x0q", 8],
    ["bP", 16],
    ["@hi", 8],
    ["@hq", 16],
    ["=hq", 10],
    ["c0i", 4],
    ["b0e", 2],
    ["b?", 2],
    ["bf", 8],
    ["bd", 16],
    ["3s0q", 8],
    ["0q", 0],
    [" 4h ", 8],
    ["<\t", 0],
    ["1000000000000i", 4000000000000],
    ["@3s2i?", 13],
    ["<2hx3s", 8],
  ];
  for (const [format, size] of sizes) assert.equal(calcsize(format), size, format);
});

Deno.test("every code round-trips under each byte-order prefix", () => {
  const nativeHex =
    "0041fbc801002efb31d40000eb32a4f8152b2cba00000000feffffffffffffff0300000000000000" +
    "00000000000000c00500000000000080f9ffffffffffffff0800000000000000003e0000000080be" +
    "182d4454fb2109406162630268690000efbeadde00000000";
  const littleHex = "0041fbc8012efb31d4eb32a4f8152b2cbafeffffff0300000000000000000000c0050000" +
    "0000000080003e000080be182d4454fb210940616263026869";
  const bigHex = "0041fbc801fb2ed431f8a432ebba2c2b15fffffffe00000003c0000000000000008000000000" +
    "0000053e00be800000400921fb54442d18616263026869";
  const cases: [string, string][] = [
    ["", nativeHex],
    ["@", nativeHex],
    ["=", littleHex],
    ["<", littleHex],
    [">", bigHex],
    ["!", bigHex],
  ];
  for (const [prefix, expected] of cases) {
    const native = prefix === "" || prefix === "@";
    const format = prefix + (native ? "xcbB?hHiIlLqQnNefd3s3pP" : "xcbB?hHiIlLqQefd3s3p");
    // Under @ the C long is 8 bytes wide, so l and L unpack to bigint.
    const values: StructValue[] = [
      ascii("A"),
      -5,
      200,
      true,
      -1234,
      54321,
      -123456789,
      3123456789,
      native ? -2n : -2,
      native ? 3n : 3,
      -(2n ** 62n),
      2n ** 63n + 5n,
      ...(native ? [-7n, 8n] : []),
      1.5,
      -0.25,
      Math.PI,
      ascii("abc"),
      ascii("hi"),
      ...(native ? [0xdeadbeefn] : []),
    ];
    const bytes = pack(format, ...values);
    assert.equal(hex(bytes), expected, format);
    assert.equal(calcsize(format), native ? 104 : 61);
    assert.deepEqual(unpack(format, bytes), values, format);
  }
});

Deno.test("integer codes accept exactly their range, with CPython's messages", () => {
  // [format, min, max, error below min, above max, at -(2**64) - 1, at 2**64]
  // deno-fmt-ignore
  const limits: [string, bigint, bigint, string, string, string, string][] = [
    ["b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    ["B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    ["h", -32768n, 32767n, "short format requires -32768 <= number <= 32767", "short format requires -32768 <= number <= 32767", OUT, OUT],
    ["H", 0n, 65535n, "ushort format requires 0 <= number <= 65535", "ushort format requires 0 <= number <= 65535", OUT, OUT],
    ["i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["l", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["L", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["q", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["Q", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["n", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["N", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["P", -9223372036854775808n, 18446744073709551615n, BIG, BIG, BIG, BIG],
    ["@b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    ["@B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    ["@h", -32768n, 32767n, "short format requires -32768 <= number <= 32767", "short format requires -32768 <= number <= 32767", OUT, OUT],
    ["@H", 0n, 65535n, "ushort format requires 0 <= number <= 65535", "ushort format requires 0 <= number <= 65535", OUT, OUT],
    ["@i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["@I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["@l", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["@L", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["@q", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["@Q", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["@n", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["@N", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["@P", -9223372036854775808n, 18446744073709551615n, BIG, BIG, BIG, BIG],
    ["=b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    ["=B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    ["=h", -32768n, 32767n, "short format requires -32768 <= number <= 32767", "short format requires -32768 <= number <= 32767", OUT, OUT],
    ["=H", 0n, 65535n, "ushort format requires 0 <= number <= 65535", "ushort format requires 0 <= number <= 65535", OUT, OUT],
    ["=i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["=I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["=l", -2147483648n, 2147483647n, "'l' format requires -2147483648 <= number <= 2147483647", "'l' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["=L", 0n, 4294967295n, OUT, "'L' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["=q", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["=Q", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    ["<b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    ["<B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    ["<h", -32768n, 32767n, "short format requires -32768 <= number <= 32767", "short format requires -32768 <= number <= 32767", OUT, OUT],
    ["<H", 0n, 65535n, "ushort format requires 0 <= number <= 65535", "ushort format requires 0 <= number <= 65535", OUT, OUT],
    ["<i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["<I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["<l", -2147483648n, 2147483647n, "'l' format requires -2147483648 <= number <= 2147483647", "'l' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["<L", 0n, 4294967295n, OUT, "'L' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["<q", -9223372036854775808n, 9223372036854775807n, OUT, OUT, OUT, OUT],
    ["<Q", 0n, 18446744073709551615n, OUT, OUT, OUT, OUT],
    [">b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    [">B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    [">h", -32768n, 32767n, "'h' format requires -32768 <= number <= 32767", "'h' format requires -32768 <= number <= 32767", OUT, OUT],
    [">H", 0n, 65535n, OUT, "'H' format requires 0 <= number <= 65535", OUT, OUT],
    [">i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    [">I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    [">l", -2147483648n, 2147483647n, "'l' format requires -2147483648 <= number <= 2147483647", "'l' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    [">L", 0n, 4294967295n, OUT, "'L' format requires 0 <= number <= 4294967295", OUT, OUT],
    [">q", -9223372036854775808n, 9223372036854775807n, BIG, BIG, BIG, BIG],
    [">Q", 0n, 18446744073709551615n, BIG, BIG, BIG, BIG],
    ["!b", -128n, 127n, "byte format requires -128 <= number <= 127", "byte format requires -128 <= number <= 127", OUT, OUT],
    ["!B", 0n, 255n, "ubyte format requires 0 <= number <= 255", "ubyte format requires 0 <= number <= 255", OUT, OUT],
    ["!h", -32768n, 32767n, "'h' format requires -32768 <= number <= 32767", "'h' format requires -32768 <= number <= 32767", OUT, OUT],
    ["!H", 0n, 65535n, OUT, "'H' format requires 0 <= number <= 65535", OUT, OUT],
    ["!i", -2147483648n, 2147483647n, "'i' format requires -2147483648 <= number <= 2147483647", "'i' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["!I", 0n, 4294967295n, OUT, "'I' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["!l", -2147483648n, 2147483647n, "'l' format requires -2147483648 <= number <= 2147483647", "'l' format requires -2147483648 <= number <= 2147483647", OUT, OUT],
    ["!L", 0n, 4294967295n, OUT, "'L' format requires 0 <= number <= 4294967295", OUT, OUT],
    ["!q", -9223372036854775808n, 9223372036854775807n, BIG, BIG, BIG, BIG],
    ["!Q", 0n, 18446744073709551615n, BIG, BIG, BIG, BIG],
  ];
  for (const [format, min, max, belowMin, aboveMax, farBelow, farAbove] of limits) {
    const wide = calcsize(format) === 8;
    for (const limit of [min, max]) {
      // P packs signed but unpacks as an unsigned pointer.
      const unpacked = format.endsWith("P") && limit < 0n ? limit + 2n ** 64n : limit;
      const bytes = pack(format, limit);
      assert.deepEqual(unpack(format, bytes), [wide ? unpacked : Number(unpacked)], format);
      // A number packs the same as the bigint it equals (where one exists).
      if (BigInt(Number(limit)) === limit) assert.deepEqual(pack(format, Number(limit)), bytes);
    }
    assertStructError(() => pack(format, min - 1n), belowMin);
    assertStructError(() => pack(format, max + 1n), aboveMax);
    assertStructError(() => pack(format, -(2n ** 64n) - 1n), farBelow);
    assertStructError(() => pack(format, 2n ** 64n), farAbove);
    assertStructError(() => pack(format, -(2 ** 70)), farBelow);
    assertStructError(() => pack(format, 2 ** 70), farAbove);
  }
});

Deno.test("integer codes take integral numbers, bigints and booleans only", () => {
  assert.equal(hex(pack(">hhh", true, false, -0)), "000100000000");
  assert.equal(hex(pack("<q", 2 ** 53 + 2)), "0200000000002000");
  assert.equal(hex(pack("<Q", 2 ** 63)), "0000000000000080");
  assert.equal(hex(pack("<q", -1)), "ffffffffffffffff");
  assert.equal(hex(pack(">q", -(2 ** 40) - 3)), "fffffefffffffffd");
  for (const bad of [1.5, NaN, Infinity, -Infinity, "1", null, undefined, ascii("\x01"), [1]]) {
    for (const code of "bBhHiIlLqQnNP") {
      assertStructError(() => pack(code, untyped(bad)), "required argument is not an integer");
    }
  }
});

Deno.test("half floats round half to even and overflow as CPython", () => {
  const vectors: [number, string][] = [
    [1.0, "003c"],
    [2049.0, "0068"],
    [2051.0, "0268"],
    [2 ** -24, "0100"],
    [2 ** -25, "0000"],
    [2 ** -25 * 1.5, "0100"],
    [2 ** -26, "0000"],
    [65504.0, "ff7b"],
    [65519.99, "ff7b"],
    [Infinity, "007c"],
    [-Infinity, "00fc"],
    [NaN, "007e"],
    [-0.0, "0080"],
    [0.1, "662e"],
    [1 / 3, "5535"],
    [2 ** -14, "0004"],
    [6.1e-05, "ff03"],
  ];
  for (const [value, expected] of vectors) {
    assert.equal(hex(pack("<e", value)), expected, `${value}`);
  }
  assert.equal(hex(pack(">e", -2.5)), "c100");
  assert.equal(hex(pack("<e", true)), "003c");
  for (const format of ["<e", ">e", "e"]) {
    assertStructError(() => pack(format, 65520.0), "float too large to pack with e format");
    assertStructError(() => pack(format, -65520.0), "float too large to pack with e format");
    assertStructError(() => pack(format, 1e300), "float too large to pack with e format");
    // A Python int that overflows reports itself differently.
    assertStructError(() => pack(format, 70000n), BIG);
  }
  const decoded: [string, number][] = [
    ["0100", 5.960464477539063e-08],
    ["0004", 6.103515625e-05],
    ["ff7b", 65504.0],
    ["007c", Infinity],
    ["00fc", -Infinity],
    ["007e", NaN],
    ["0080", -0.0],
  ];
  for (const [bytes, value] of decoded) assert.deepEqual(unpack("<e", fromHex(bytes)), [value]);
});

Deno.test("single floats round to nearest even; only standard modes check overflow", () => {
  const vectors: [number, string][] = [
    [1 / 3, "abaaaa3e"],
    [16777217.0, "0000804b"],
    [16777219.0, "0200804b"],
    [3.4028234663852886e38, "ffff7f7f"],
    [Infinity, "0000807f"],
    [NaN, "0000c07f"],
    [1e-46, "00000000"],
    [7.006492321624085e-46, "00000000"],
    [7.1e-46, "01000000"],
    [0.1, "cdcccc3d"],
  ];
  for (const [value, expected] of vectors) {
    assert.equal(hex(pack("<f", value)), expected, `${value}`);
  }
  for (const format of ["<f", "=f", ">f", "!f"]) {
    assertStructError(
      () => pack(format, 3.4028235677973366e38),
      "float too large to pack with f format",
    );
    assertStructError(() => pack(format, 1e39), "float too large to pack with f format");
    assertStructError(() => pack(format, 2n ** 1023n), BIG);
  }
  // Native f is a plain C cast: too large becomes infinity.
  for (const value of [3.4028235677973366e38, 1e39, 1e300, 2n ** 1023n]) {
    assert.equal(hex(pack("f", value)), "0000807f");
  }
  assert.deepEqual(unpack(">f", fromHex("3eaaaaab")), [0.3333333432674408]);
  assert.deepEqual(unpack(">f", fromHex("00000001")), [1.401298464324817e-45]);
});

Deno.test("doubles, and bigints with Python int semantics for float codes", () => {
  assert.equal(hex(pack(">d", 0.1)), "3fb999999999999a");
  assert.equal(hex(pack(">d", -0.0)), "8000000000000000");
  assert.equal(hex(pack(">d", 5e-324)), "0000000000000001");
  assert.equal(hex(pack(">d", 1.7976931348623157e308)), "7fefffffffffffff");
  assert.deepEqual(unpack("<d", fromHex("0000000000000080")), [-0.0]);
  // A bigint is rounded to the nearest double, as Python's int-to-float.
  assert.equal(hex(pack("<d", 2n ** 53n + 1n)), "0000000000004043");
  assert.equal(hex(pack("<f", 2n ** 24n + 1n)), "0000804b");
  assert.equal(hex(pack("<d", 2n ** 1024n - 2n ** 970n - 1n)), "ffffffffffffef7f");
  for (const format of ["<d", "<f", "f", "<e"]) {
    assertStructError(
      () => pack(format, 2n ** 1024n - 2n ** 970n),
      "required argument is not a float",
    );
    assertStructError(() => pack(format, 10n ** 400n), "required argument is not a float");
    for (const bad of ["1.0", null, ascii("a"), undefined]) {
      assertStructError(() => pack(format, untyped(bad)), "required argument is not a float");
    }
  }
});

Deno.test("? packs Python truthiness and unpacks any nonzero byte as true", () => {
  const values = [true, false, 2, 0, -0, NaN, 0n, 5n, ascii(""), ascii("\x00"), "", "a", null];
  assert.equal(
    hex(pack("13?", ...values.map((value) => untyped<StructValue>(value)))),
    "01000100000100010001000100",
  );
  assert.deepEqual(unpack("<5?", fromHex("00010280ff")), [false, true, true, true, true]);
  assert.deepEqual(unpack(">?", fromHex("80")), [true]);
});

Deno.test("c, s and p handle bytes like CPython", () => {
  assert.equal(hex(pack("2c?", ascii("a"), ascii("b"), true)), "616201");
  for (const bad of [ascii(""), ascii("ab"), "a", 1]) {
    assertStructError(
      () => pack("c", untyped(bad)),
      "char format requires a bytes object of length 1",
    );
  }
  assert.equal(hex(pack("3s", ascii("abcdef"))), "616263");
  assert.equal(hex(pack("0s", ascii("x"))), "");
  assert.deepEqual(unpack("0s", new Uint8Array(0)), [new Uint8Array(0)]);
  assert.equal(hex(pack("5p", ascii("ab"))), "0261620000");
  assert.equal(hex(pack("1p", ascii("ab"))), "00");
  assert.equal(hex(pack("300p", new Uint8Array(299).fill(0x61)).subarray(0, 2)), "ff61");
  assert.deepEqual(unpack("5p", fromHex("0961626364")), [ascii("abcd")]);
  assert.deepEqual(unpack("5p", fromHex("0261626364")), [ascii("ab")]);
  assertStructError(() => pack("3s", untyped("abc")), "argument for 's' must be a bytes object");
  assertStructError(() => pack("3p", untyped("abc")), "argument for 'p' must be a bytes object");
  // A 0p field has no room for its length byte; CPython writes it anyway,
  // past the field, and can never unpack it.
  assert.equal(hex(pack("0px", ascii(""))), "ff");
  assert.equal(hex(pack("B0p", 1, ascii(""))), "01");
  assertStructError(
    () => unpack("B0p", fromHex("01")),
    "Negative size passed to PyBytes_FromStringAndSize",
  );
  // Unpacked bytes are copies, as Python's bytes are.
  const source = ascii("xyz");
  const [copy] = unpack("3s", source);
  source[0] = 0;
  assert.deepEqual(copy, ascii("xyz"));
});

Deno.test("format strings are parsed as CPython parses them", () => {
  // deno-fmt-ignore
  const errors: [string, string][] = [
    ["4", "repeat count given without format specifier"],
    ["4 h", "bad char in struct format"],
    ["<<h", "bad char in struct format"],
    [" <h", "bad char in struct format"],
    ["z", "bad char in struct format"],
    ["5x 5z", "bad char in struct format"],
    ["h\x1c", "bad char in struct format"],
    ["<n", "bad char in struct format"],
    ["=N", "bad char in struct format"],
    ["!P", "bad char in struct format"],
    ["h\x00h", "embedded null character"],
    ["hé", "'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in range(128)"],
    ["h\u1234", "'ascii' codec can't encode character '\\u1234' in position 1: ordinal not in range(128)"],
    ["h\u{1F600}", "'ascii' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(128)"],
    ["h\u{1F600}\u{1F600}é", "'ascii' codec can't encode characters in position 1-3: ordinal not in range(128)"],
    ["h\x00é", "'ascii' codec can't encode character '\\xe9' in position 2: ordinal not in range(128)"],
    ["99999999999999999999", "total struct size too long"],
    ["99999999999999999999z", "total struct size too long"],
    ["9223372036854775808x", "total struct size too long"],
  ];
  for (const [format, message] of errors) assertStructError(() => calcsize(format), message);
  assertStructError(
    () => calcsize(untyped(5)),
    "Struct() argument 1 must be a str or bytes object, not int",
  );
  assertStructError(
    () => new Struct(untyped(null)),
    "Struct() argument 1 must be a str or bytes object, not NoneType",
  );
  assert.equal(calcsize(" \t\n\r\v\f2h "), 4);
  assert.equal(calcsize(String(Number.MAX_SAFE_INTEGER) + "x"), Number.MAX_SAFE_INTEGER);
});

Deno.test("pack checks the number of values", () => {
  assertStructError(() => pack("hh", 1), "pack expected 2 items for packing (got 1)");
  assertStructError(() => pack("hh", 1, 2, 3), "pack expected 2 items for packing (got 3)");
  assertStructError(() => pack("3i", 1, 2), "pack expected 3 items for packing (got 2)");
  assertStructError(() => pack("x", 1), "pack expected 0 items for packing (got 1)");
  assertStructError(() => pack("0s0p"), "pack expected 2 items for packing (got 0)");
  assert.equal(hex(pack("3x")), "000000");
  assert.equal(hex(pack("")), "");
  assert.deepEqual(unpack("3x", ascii("abc")), []);
});

Deno.test("unpack needs exactly the struct's size and respects views", () => {
  assertStructError(() => unpack("3i", new Uint8Array(4)), "unpack requires a buffer of 12 bytes");
  assertStructError(() => unpack("", ascii("x")), "unpack requires a buffer of 0 bytes");
  assertStructError(() => unpack("h", untyped("ab")), "a bytes-like object is required, not 'str'");
  assertStructError(
    () => unpack("h", untyped(null)),
    "a bytes-like object is required, not 'NoneType'",
  );
  assertStructError(
    () => unpack("h", untyped([1, 2])),
    "a bytes-like object is required, not 'list'",
  );
  const outer = fromHex("aa0102bb");
  assert.deepEqual(unpack(">H", outer.subarray(1, 3)), [0x0102]);
  assert.deepEqual(unpack(">H", new DataView(outer.buffer, 1, 2)), [0x0102]);
  assert.deepEqual(unpack(">H", outer.buffer.slice(1, 3)), [0x0102]);
  assert.deepEqual(unpack("<I", new SharedArrayBuffer(4)), [0]);
  assert.deepEqual(unpack("<hH", new Int16Array([-2, -1])), [-2, 65535]);
});

Deno.test("unpackFrom reads at an offset, negative from the end", () => {
  const buffer = fromHex("0001020304050607");
  assert.deepEqual(unpackFrom(">H", buffer), [0x0001]);
  assert.deepEqual(unpackFrom(">H", buffer, 6), [0x0607]);
  assert.deepEqual(unpackFrom(">H", buffer, -2), [0x0607]);
  assert.deepEqual(unpackFrom(">i", buffer, -8), [0x00010203]);
  assert.deepEqual(unpackFrom(">H", buffer.subarray(2), 1), [0x0304]);
  assert.deepEqual(unpackFrom("", new Uint8Array(2), -2), []);
  const b8 = new Uint8Array(8);
  assertStructError(() => unpackFrom("i", b8, -20), "offset -20 out of range for 8-byte buffer");
  assertStructError(
    () => unpackFrom("i", b8, -2),
    "not enough data to unpack 4 bytes at offset -2",
  );
  assertStructError(
    () => unpackFrom("i", b8, 6),
    "unpack_from requires a buffer of at least 10 bytes for unpacking 4 bytes at offset 6 (actual buffer size is 8)",
  );
  assertStructError(
    () => unpackFrom("3i", ascii("abcd")),
    "unpack_from requires a buffer of at least 12 bytes for unpacking 12 bytes at offset 0 (actual buffer size is 4)",
  );
  assertStructError(
    () => unpackFrom("", new Uint8Array(0), 1),
    "unpack_from requires a buffer of at least 1 bytes for unpacking 0 bytes at offset 1 (actual buffer size is 0)",
  );
  assertStructError(
    () => unpackFrom("", new Uint8Array(0), -1),
    "offset -1 out of range for 0-byte buffer",
  );
  assertStructError(
    () => unpackFrom("h", new Uint8Array(2), -(2 ** 63)),
    "offset -9223372036854775808 out of range for 2-byte buffer",
  );
  assertStructError(
    () => unpackFrom("h", new Uint8Array(2), 2 ** 63),
    "Python int too large to convert to C ssize_t",
  );
  assertStructError(
    () => unpackFrom("h", new Uint8Array(2), 1.5),
    "'float' object cannot be interpreted as an integer",
  );
  assertStructError(
    () => unpackFrom("h", new Uint8Array(2), untyped("0")),
    "'str' object cannot be interpreted as an integer",
  );
  assertStructError(
    () => unpackFrom("h", untyped("ab"), 1.5),
    "a bytes-like object is required, not 'str'",
  );
});

Deno.test("packInto writes at an offset, negative from the end", () => {
  const buffer = new Uint8Array(6);
  packInto(">H", buffer, -2, 0x1234);
  packInto(">H", buffer, 1, 0xabcd);
  assert.equal(hex(buffer), "00abcd001234");
  // A view is written only inside its own window.
  const outer = new Uint8Array(6).fill(0xee);
  packInto("<H", outer.subarray(2, 4), 0, 0x0102);
  assert.equal(hex(outer), "eeee0201eeee");
  packInto(">I", outer.buffer, 2, 1);
  assert.equal(hex(outer), "eeee00000001");
  packInto(">H", new DataView(outer.buffer, 1, 2), 0, 0x0a0b);
  assert.equal(hex(outer), "ee0a0b000001");
  const b8 = new Uint8Array(8);
  assertStructError(() => packInto("i", b8, -20, 1), "offset -20 out of range for 8-byte buffer");
  assertStructError(() => packInto("i", b8, -2, 1), "no space to pack 4 bytes at offset -2");
  assertStructError(
    () => packInto("i", b8, 6, 1),
    "pack_into requires a buffer of at least 10 bytes for packing 4 bytes at offset 6 (actual buffer size is 8)",
  );
  assertStructError(
    () => packInto("3i", b8, 0, 1, 2, 3),
    "pack_into requires a buffer of at least 12 bytes for packing 12 bytes at offset 0 (actual buffer size is 8)",
  );
  assertStructError(
    () => packInto("3i", b8, 100, 1, 2),
    "pack_into expected 3 items for packing (got 2)",
  );
  assertStructError(
    () => packInto("", b8, 9),
    "pack_into requires a buffer of at least 9 bytes for packing 0 bytes at offset 9 (actual buffer size is 8)",
  );
  assertStructError(() => packInto("", b8, -9), "offset -9 out of range for 8-byte buffer");
  assertStructError(
    () => packInto("h", b8, 2 ** 64, 1),
    "cannot fit 'int' into an index-sized integer",
  );
  assertStructError(
    () => packInto("h", b8, 1.5, 1),
    "'float' object cannot be interpreted as an integer",
  );
  assertStructError(
    () => packInto("h", untyped("ab"), 0, 1),
    "argument must be read-write bytes-like object, not str",
  );
  assertStructError(
    () => packInto("h", untyped(null), 0, 1),
    "argument must be read-write bytes-like object, not None",
  );
  assert.equal(hex(b8), "0000000000000000");
});

Deno.test("packInto zeroes the struct first and keeps CPython's partial writes", () => {
  const filled = () => new Uint8Array(8).fill(0xff);
  let buffer = filled();
  packInto("bxh", buffer, 0, 1, 2);
  assert.equal(hex(buffer), "01000200ffffffff");
  // The values before a bad one stay written, the rest stay zeroed.
  buffer = filled();
  assertStructError(
    () => packInto("hhh", buffer, 1, 1, 99999, 3),
    "short format requires -32768 <= number <= 32767",
  );
  assert.equal(hex(buffer), "ff010000000000ff");
  // Checks done before packing leave the buffer alone.
  buffer = filled();
  assertStructError(
    () => packInto("hhh", buffer, 4, 1, 2, 3),
    "pack_into requires a buffer of at least 10 bytes for packing 6 bytes at offset 4 (actual buffer size is 8)",
  );
  assert.equal(hex(buffer), "ffffffffffffffff");
  // Big-endian q and Q copy the low 64 bits of a too-large integer first.
  const partial: [string, bigint, string][] = [
    [">q", 2n ** 63n + 1n, "ee8000000000000001ee"],
    [">q", 2n ** 70n + 0x0102030405060708n, "ee0102030405060708ee"],
    [">q", -(2n ** 64n) - 0x0102030405060708n, "eefefdfcfbfaf9f8f8ee"],
    ["!Q", 2n ** 64n + 5n, "ee0000000000000005ee"],
    ["!Q", -1n, "ee0000000000000000ee"],
    ["<q", 2n ** 63n, "ee0000000000000000ee"],
  ];
  for (const [format, value, expected] of partial) {
    const bytes = new Uint8Array(10).fill(0xee);
    assertStructError(
      () => packInto(format, bytes, 1, value),
      format.endsWith("q") && format[0] === "<" ? OUT : BIG,
    );
    assert.equal(hex(bytes), expected, `${format} ${value}`);
  }
  // A 0p field writes its 0xff length byte past itself, inside the buffer.
  buffer = new Uint8Array(8);
  packInto("B0p", buffer, 2, 5, ascii("abc"));
  assert.equal(hex(buffer), "000005ff00000000");
});

Deno.test("iterUnpack checks eagerly and unpacks lazily", () => {
  assertStructError(
    () => iterUnpack("d", ascii("123")),
    "iterative unpacking requires a buffer of a multiple of 8 bytes",
  );
  assertStructError(
    () => iterUnpack("i", ascii("123")),
    "iterative unpacking requires a buffer of a multiple of 4 bytes",
  );
  assertStructError(
    () => iterUnpack("", new Uint8Array(0)),
    "cannot iteratively unpack with a struct of length 0",
  );
  assertStructError(
    () => iterUnpack("0s", untyped("ab")),
    "cannot iteratively unpack with a struct of length 0",
  );
  assertStructError(
    () => iterUnpack("h", untyped("ab")),
    "a bytes-like object is required, not 'str'",
  );
  assert.deepEqual([...iterUnpack("<h", new Uint8Array(0))], []);
  const records = iterUnpack("B0p", fromHex("01"));
  assertStructError(() => records.next(), "Negative size passed to PyBytes_FromStringAndSize");
  const iterator = new Struct("<H").iterUnpack(fromHex("01000200"));
  assert.equal(iterator[Symbol.iterator](), iterator);
  assert.deepEqual(iterator.next(), { value: [1], done: false });
  assert.deepEqual([...iterator], [[2]]);
});

Deno.test("a Struct is reusable and describes its values", () => {
  const struct = new Struct("<2hx3s?");
  assert.equal(struct.format, "<2hx3s?");
  assert.equal(struct.size, 9);
  assert.deepEqual(struct.codes, ["h", "h", "s", "?"]);
  assert.equal(struct.codes, struct.codes);
  assert.ok(Object.isFrozen(struct.codes));
  for (let i = 1; i <= 3; i++) {
    const bytes = struct.pack(i, -i, ascii(`n${i}`), i % 2 === 1);
    assert.deepEqual(struct.unpack(bytes), [i, -i, ascii(`n${i}\x00`), i % 2 === 1]);
    const target = new Uint8Array(12);
    struct.packInto(target, 2, i, -i, ascii(`n${i}`), false);
    assert.deepEqual(struct.unpackFrom(target, 2), [i, -i, ascii(`n${i}\x00`), false]);
  }
  assert.deepEqual(new Struct("@2h0i3sx?0p4x2e").codes, ["h", "h", "s", "?", "p", "e", "e"]);
  assert.deepEqual(new Struct("").codes, []);
  assert.deepEqual(new Struct("0s0i").codes, ["s"]);
  // A huge repeat count is fine until its values are needed.
  assert.equal(new Struct("1000000000000x").size, 1000000000000);
  assertStructError(() => new Struct("3i").pack(1), "pack expected 3 items for packing (got 1)");
});

/** A value for `code` whose packed bytes are all 0xff (none exists for floats: `-NaN`). */
function allOnes(code: string, size: number): StructValue {
  const info = formatCodes.find((row) => row.code === code)!;
  switch (info.kind) {
    case "integer":
      return info.signed ? -1n : 2n ** BigInt(8 * size) - 1n;
    case "bytes":
      // `p` stores its length (at most 255) in the first byte.
      return new Uint8Array(code === "p" ? 255 : size).fill(0xff);
    case "bool":
      return true;
    default:
      return -NaN;
  }
}

Deno.test("a Struct's fields are where pack writes each value", () => {
  const formats = [
    // (Not "0p": CPython writes its length byte, 0xff, just past the empty field.)
    "@2h0i3sx?4x2e",
    "!BxHi",
    "@bhiqlLnNP",
    "=bhilq",
    "<3s2p?f",
    "@ci",
    "@llh0l",
    "@?d",
    "",
  ];
  for (const format of formats) {
    const struct = new Struct(format);
    assert.deepEqual(struct.fields.map((field) => field.code), struct.codes, format);
    assert.ok(Object.isFrozen(struct.fields) && struct.fields.every(Object.isFrozen));
    let end = 0;
    for (const [index, { code, offset, size }] of struct.fields.entries()) {
      assert.ok(
        offset >= end && offset + size <= struct.size,
        `${format}: field ${index} in order`,
      );
      end = offset + size;
      // Pack this value alone as all ones: exactly its bytes change (floats: within them).
      const values: StructValue[] = struct.codes.map((c) =>
        c === "?" ? false : c === "c" ? new Uint8Array(1) : "sp".includes(c) ? new Uint8Array() : 0
      );
      values[index] = allOnes(code, size);
      const written = [...struct.pack(...values).entries()].filter(([, byte]) => byte !== 0)
        .map(([position]) => position);
      const span = Array.from({ length: size }, (_, i) => offset + i);
      if ("efd".includes(code)) {
        assert.ok(
          written.length > 0 && written.every((p) => span.includes(p)),
          `${format}: ${code}`,
        );
      } else {
        assert.deepEqual(written, span, `${format}: bytes of field ${index} (${code})`);
      }
    }
  }
});

Deno.test("unpacked values have the documented JavaScript types", () => {
  const wide = unpack("@lLqQnNP", new Uint8Array(56).fill(0xff));
  assert.deepEqual(wide, [
    -1n,
    2n ** 64n - 1n,
    -1n,
    2n ** 64n - 1n,
    -1n,
    2n ** 64n - 1n,
    2n ** 64n - 1n,
  ]);
  assert.deepEqual(unpack("=lLbB", new Uint8Array(10).fill(0xff)), [-1, 4294967295, -1, 255]);
  const [char, flag, half] = unpack("<c?e", fromHex("41010000"));
  assert.ok(char instanceof Uint8Array);
  assert.equal(flag, true);
  assert.equal(half, 0);
});

Deno.test("formatCodes describes every code as the library lays it out", () => {
  assert.equal(formatCodes.map((row) => row.code).join(""), "xcbB?hHiIlLqQnNefdspP");
  assert.ok(Object.isFrozen(formatCodes) && formatCodes.every((row) => Object.isFrozen(row)));
  for (const row of formatCodes) {
    assert.equal(calcsize("@" + row.code), row.nativeSize, row.code);
    assert.equal(calcsize("@b" + row.code) - row.nativeSize, Math.max(1, row.nativeAlignment));
    if (row.standardSize === null) {
      assertStructError(() => calcsize("<" + row.code), "bad char in struct format");
    } else {
      assert.equal(calcsize("<" + row.code), row.standardSize, row.code);
    }
    assert.equal(
      row.signed,
      row.kind === "integer" && row.code !== "P" && row.code === row.code.toLowerCase(),
    );
  }
  const short = formatCodes.find((row) => row.code === "h");
  assert.deepEqual(short, {
    code: "h",
    cType: "short",
    pythonType: "integer",
    jsType: "number",
    kind: "integer",
    signed: true,
    standardSize: 2,
    nativeSize: 2,
    nativeAlignment: 2,
  });
});

Deno.test("StructError is an Error named StructError", () => {
  const error = new StructError("bad char in struct format");
  assert.ok(error instanceof Error);
  assert.equal(error.name, "StructError");
  assert.equal(String(error), "StructError: bad char in struct format");
});
