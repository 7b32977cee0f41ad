import assert from "node:assert/strict";
import {
  bitLength,
  clearBit,
  fromTwosComplement,
  packBitFields,
  popCount,
  setBit,
  testBit,
  toBinary,
  toggleBit,
  toTwosComplement,
  unpackBitFields,
} from "../../../lib/bits.ts";

// Classic exercises

Deno.test("exercise: 0b11110000 is 240", () => {
  assert.equal(0b11110000, 240);
  assert.equal(toBinary(240, 8), "11110000");
});

Deno.test("exercise: test bits 2 and 7 of 0b01010011", () => {
  const value = 0b01010011;
  assert.equal(testBit(value, 2), false);
  assert.equal(testBit(value, 7), false);
  assert.equal(testBit(value, 6), true);
  assert.equal(testBit(value, 0), true);
  assert.equal(testBit(value, 1), true);
  const setBits = [0, 1, 2, 3, 4, 5, 6, 7].filter((bit) => testBit(value, bit));
  assert.deepEqual(setBits, [0, 1, 4, 6]);
});

Deno.test("exercise: 8-bit two's complement of -1, -127 and 1", () => {
  assert.equal(toBinary(toTwosComplement(-1, 8), 8), "11111111");
  assert.equal(toBinary(toTwosComplement(-127, 8), 8), "10000001");
  assert.equal(toBinary(toTwosComplement(1, 8), 8), "00000001");
  assert.equal(toBinary(-1, 8), "11111111");
  assert.equal(toBinary(-127, 8), "10000001");
  assert.equal(toBinary(-128, 8), "10000000");
});

Deno.test("exercise: read signed bytes back", () => {
  assert.equal(fromTwosComplement(0b11111111, 8), -1);
  assert.equal(fromTwosComplement(0b10000001, 8), -127);
  assert.equal(fromTwosComplement(0b10000000, 8), -128);
  assert.equal(fromTwosComplement(0b01111111, 8), 127);
  assert.equal(fromTwosComplement(0b00000001, 8), 1);
});

Deno.test("exercise: set, clear and toggle flags in a byte", () => {
  let flags = 0;
  flags = setBit(flags, 3);
  flags = setBit(flags, 0);
  assert.equal(toBinary(flags, 8), "00001001");
  flags = toggleBit(flags, 7);
  assert.equal(toBinary(flags, 8), "10001001");
  flags = clearBit(flags, 0);
  assert.equal(toBinary(flags, 8), "10001000");
  flags = toggleBit(flags, 7);
  assert.equal(flags, 0b1000);
});

// Single bits

Deno.test("setBit, clearBit and toggleBit leave other bits alone", () => {
  assert.equal(setBit(0b1010, 0), 0b1011);
  assert.equal(setBit(0b1010, 1), 0b1010, "already set");
  assert.equal(clearBit(0b1010, 1), 0b1000);
  assert.equal(clearBit(0b1010, 0), 0b1010, "already clear");
  assert.equal(toggleBit(0b1010, 1), 0b1000);
  assert.equal(toggleBit(0b1010, 2), 0b1110);
});

Deno.test("bit 31 works and results are never negative", () => {
  assert.equal(setBit(0, 31), 0x80000000);
  assert.equal(toggleBit(0, 31), 0x80000000);
  assert.equal(toggleBit(0x80000000, 31), 0);
  assert.equal(clearBit(0xffffffff, 0), 0xfffffffe);
  assert.equal(clearBit(0xffffffff, 31), 0x7fffffff);
  assert.equal(setBit(0xffffffff, 5), 0xffffffff);
  assert.equal(testBit(0x80000000, 31), true);
  assert.equal(testBit(0x7fffffff, 31), false);
});

Deno.test("negative 32-bit values are read as their two's complement pattern", () => {
  assert.equal(testBit(-1, 31), true);
  assert.equal(testBit(-2, 0), false);
  assert.equal(clearBit(-1, 31), 0x7fffffff);
  assert.equal(setBit(-(2 ** 31), 0), 0x80000001);
  assert.equal(toggleBit(~0b101, 0), 0xfffffffb, "result of ~ can be passed in");
});

Deno.test("single-bit functions reject bad bit positions", () => {
  for (const fn of [testBit, setBit, clearBit, toggleBit]) {
    for (const bit of [-1, 32, 1.5, NaN]) {
      assert.throws(() => fn(1, bit), {
        name: "RangeError",
        message: `bit position must be an integer from 0 to 31, got ${bit}`,
      }, `${fn.name}(1, ${bit})`);
    }
  }
});

Deno.test("single-bit functions reject values that are not 32-bit integers", () => {
  for (const fn of [testBit, setBit, clearBit, toggleBit]) {
    for (const value of [2 ** 32, -(2 ** 31) - 1, 0.5, NaN, Infinity]) {
      assert.throws(() => fn(value, 0), {
        name: "RangeError",
        message: `value must be an integer from -2147483648 to 4294967295 (32 bits), got ${value}`,
      }, `${fn.name}(${value}, 0)`);
    }
  }
});

// Two's complement

Deno.test("toTwosComplement covers the whole signed range of a width", () => {
  assert.equal(toTwosComplement(0, 8), 0);
  assert.equal(toTwosComplement(127, 8), 127);
  assert.equal(toTwosComplement(-128, 8), 128);
  assert.equal(toTwosComplement(-1, 1), 1);
  assert.equal(toTwosComplement(0, 1), 0);
  assert.equal(toTwosComplement(-1, 16), 0xffff);
  assert.equal(toTwosComplement(-1, 32), 0xffffffff);
  assert.equal(toTwosComplement(-(2 ** 31), 32), 0x80000000);
  assert.equal(toTwosComplement(2 ** 31 - 1, 32), 0x7fffffff);
});

Deno.test("toTwosComplement and fromTwosComplement are inverses for every 8-bit value", () => {
  for (let value = -128; value <= 127; value++) {
    const bits = toTwosComplement(value, 8);
    assert.ok(bits >= 0 && bits <= 255);
    assert.equal(fromTwosComplement(bits, 8), value);
    // The same bit pattern as a JavaScript Int8Array would store.
    assert.equal(new Int8Array(new Uint8Array([bits]).buffer)[0], value);
  }
});

Deno.test("toTwosComplement rejects values outside the signed range", () => {
  assert.throws(() => toTwosComplement(-129, 8), {
    name: "RangeError",
    message: "value must be an integer from -128 to 127 to fit in 8 signed bits, got -129",
  });
  assert.throws(() => toTwosComplement(128, 8), /from -128 to 127 .* got 128/);
  assert.throws(() => toTwosComplement(1, 1), /from -1 to 0 to fit in 1 signed bits/);
  assert.throws(() => toTwosComplement(2 ** 31, 32), RangeError);
  assert.throws(() => toTwosComplement(1.5, 8), RangeError);
  assert.throws(() => toTwosComplement(NaN, 8), RangeError);
});

Deno.test("fromTwosComplement handles 1, 16 and 32 bits", () => {
  assert.equal(fromTwosComplement(1, 1), -1);
  assert.equal(fromTwosComplement(0, 1), 0);
  assert.equal(fromTwosComplement(0xfffe, 16), -2);
  assert.equal(fromTwosComplement(0x7fff, 16), 32767);
  assert.equal(fromTwosComplement(0xffffffff, 32), -1);
  assert.equal(fromTwosComplement(0x80000000, 32), -(2 ** 31));
});

Deno.test("fromTwosComplement rejects patterns wider than the width", () => {
  assert.throws(() => fromTwosComplement(256, 8), {
    name: "RangeError",
    message: "bits must be an integer from 0 to 255 to fit in 8 bits, got 256",
  });
  assert.throws(() => fromTwosComplement(-1, 8), RangeError);
  assert.throws(() => fromTwosComplement(0.5, 8), RangeError);
});

Deno.test("width must be 1..32 for every width-taking function", () => {
  const calls: [string, (width: number) => unknown][] = [
    ["toTwosComplement", (width) => toTwosComplement(0, width)],
    ["fromTwosComplement", (width) => fromTwosComplement(0, width)],
    ["toBinary", (width) => toBinary(0, width)],
    ["packBitFields", (width) => packBitFields([{ value: 0, width }])],
    ["unpackBitFields", (width) => unpackBitFields(0, [width])],
  ];
  for (const [name, call] of calls) {
    for (const width of [0, 33, -1, 2.5, NaN]) {
      assert.throws(() => call(width), {
        name: "RangeError",
        message: `width must be an integer from 1 to 32, got ${width}`,
      }, `${name} with width ${width}`);
    }
  }
});

// Counting bits

Deno.test("bitLength matches Python int.bit_length", () => {
  const cases: [number | bigint, number][] = [
    [0, 0],
    [1, 1],
    [2, 2],
    [255, 8],
    [256, 9],
    [-1, 1],
    [-5, 3],
    [-256, 9],
    [0xffffffff, 32],
    [2 ** 32, 33],
    [Number.MAX_SAFE_INTEGER, 53],
    [2 ** 60, 61],
    [0n, 0],
    [2n ** 100n, 101],
    [-(2n ** 100n), 101],
  ];
  for (const [value, expected] of cases) {
    assert.equal(bitLength(value), expected, `bitLength(${value})`);
  }
});

Deno.test("popCount matches Python int.bit_count", () => {
  const cases: [number | bigint, number][] = [
    [0, 0],
    [0b01010011, 4],
    [255, 8],
    [256, 1],
    [-1, 1],
    [-7, 3],
    [0xffffffff, 32],
    [Number.MAX_SAFE_INTEGER, 53],
    [2n ** 64n - 1n, 64],
    [-(2n ** 100n), 1],
  ];
  for (const [value, expected] of cases) {
    assert.equal(popCount(value), expected, `popCount(${value})`);
  }
});

Deno.test("bitLength and popCount reject non-integers", () => {
  for (const fn of [bitLength, popCount]) {
    for (const value of [1.5, NaN, Infinity, -Infinity]) {
      assert.throws(() => fn(value), {
        name: "RangeError",
        message: `value must be an integer, got ${value}`,
      });
    }
  }
});

// Binary strings

Deno.test("toBinary zero-pads unsigned values to the width", () => {
  assert.equal(toBinary(0, 1), "0");
  assert.equal(toBinary(1, 1), "1");
  assert.equal(toBinary(5, 8), "00000101");
  assert.equal(toBinary(255, 8), "11111111");
  assert.equal(toBinary(0xabcd, 16), "1010101111001101");
  assert.equal(toBinary(0xffffffff, 32), "1".repeat(32));
  assert.equal(toBinary(-(2 ** 31), 32), "1" + "0".repeat(31));
});

Deno.test("toBinary rejects values that do not fit", () => {
  assert.throws(() => toBinary(256, 8), {
    name: "RangeError",
    message: "value must be an integer from 0 to 255 to fit in 8 bits, got 256",
  });
  assert.throws(() => toBinary(-129, 8), {
    name: "RangeError",
    message: "value must be an integer from -128 to 127 to fit in 8 signed bits, got -129",
  });
  assert.throws(() => toBinary(2.5, 8), RangeError);
  assert.throws(() => toBinary(NaN, 8), RangeError);
});

// Bit fields

Deno.test("packBitFields: direction and player id share one byte, right-aligned", () => {
  const packed = packBitFields([{ value: 2, width: 2 }, { value: 9, width: 4 }]);
  assert.equal(packed, 41);
  assert.equal(toBinary(packed, 8), "00101001", "top two bits of the byte are unused");
  assert.deepEqual(unpackBitFields(packed, [2, 4]), [2, 9]);
});

Deno.test("packBitFields puts the first field in the most significant bits", () => {
  assert.equal(packBitFields([{ value: 1, width: 1 }, { value: 0, width: 7 }]), 0b10000000);
  assert.equal(packBitFields([{ value: 0, width: 7 }, { value: 1, width: 1 }]), 0b00000001);
  assert.equal(
    packBitFields([
      { value: 192, width: 8 },
      { value: 168, width: 8 },
      { value: 0, width: 8 },
      { value: 1, width: 8 },
    ]),
    0xc0a80001,
  );
});

Deno.test("packBitFields fills all 32 bits without going negative", () => {
  assert.equal(packBitFields([{ value: 1, width: 1 }, { value: 0, width: 31 }]), 0x80000000);
  assert.equal(packBitFields([{ value: 0xffffffff, width: 32 }]), 0xffffffff);
  assert.equal(packBitFields([]), 0);
});

Deno.test("packBitFields rejects values that do not fit their width", () => {
  assert.throws(() => packBitFields([{ value: 4, width: 2 }]), {
    name: "RangeError",
    message: "field 0 value must be an integer from 0 to 3 to fit in 2 bits, got 4",
  });
  assert.throws(() => packBitFields([{ value: 1, width: 2 }, { value: -1, width: 4 }]), {
    message: "field 1 value must be an integer from 0 to 15 to fit in 4 bits, got -1",
  });
  assert.throws(() => packBitFields([{ value: 0.5, width: 4 }]), RangeError);
});

Deno.test("packBitFields and unpackBitFields reject layouts over 32 bits", () => {
  assert.throws(
    () => packBitFields([{ value: 0, width: 16 }, { value: 0, width: 17 }]),
    { name: "RangeError", message: "bit fields total 33 bits, more than 32" },
  );
  assert.throws(() => unpackBitFields(0, [8, 8, 8, 9]), {
    name: "RangeError",
    message: "bit fields total 33 bits, more than 32",
  });
});

Deno.test("unpackBitFields splits fields from most to least significant", () => {
  assert.deepEqual(unpackBitFields(0xc0a80001, [8, 8, 8, 8]), [192, 168, 0, 1]);
  assert.deepEqual(unpackBitFields(0b101_0011, [3, 4]), [0b101, 0b0011]);
  assert.deepEqual(unpackBitFields(0xffffffff, [1, 31]), [1, 0x7fffffff]);
  assert.deepEqual(unpackBitFields(0x80000000, [32]), [0x80000000]);
  assert.deepEqual(unpackBitFields(0, []), []);
});

Deno.test("unpackBitFields reverses packBitFields", () => {
  const widths = [3, 1, 5, 7, 16];
  const values = [5, 1, 17, 100, 54321];
  const packed = packBitFields(widths.map((width, i) => ({ value: values[i], width })));
  assert.deepEqual(unpackBitFields(packed, widths), values);
});

Deno.test("unpackBitFields rejects a packed value with bits above the fields", () => {
  assert.throws(() => unpackBitFields(0b1000000, [2, 4]), {
    name: "RangeError",
    message: "packed value must be an integer from 0 to 63 to fit in 6 bits, got 64",
  });
  assert.throws(() => unpackBitFields(-1, [8]), RangeError);
  assert.throws(() => unpackBitFields(1.5, [8]), RangeError);
  assert.throws(() => unpackBitFields(1, []), /from 0 to 0 to fit in 0 bits, got 1/);
});
