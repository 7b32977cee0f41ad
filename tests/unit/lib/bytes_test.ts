import assert from "node:assert/strict";
import {
  compare,
  concat,
  equals,
  hexdump,
  hexlify,
  indexOf,
  previewBytes,
  reprBytes,
  unhexlify,
  utf8Decode,
  utf8DecodeStrict,
  utf8Encode,
} from "../../../lib/bytes.ts";

const b = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => utf8Encode(text);
const range = (start: number, end: number) =>
  Uint8Array.from({ length: end - start }, (_, i) => start + i);

Deno.test("concat joins chunks in order into a new array", () => {
  const first = b(1, 2);
  const joined = concat(first, b(), b(3), b(4, 5));
  assert.deepEqual(joined, b(1, 2, 3, 4, 5));
  joined[0] = 99;
  assert.equal(first[0], 1, "result must not share memory with the inputs");
});

Deno.test("concat of nothing is empty", () => {
  assert.deepEqual(concat(), b());
});

Deno.test("concat respects subarray views", () => {
  const base = b(0, 1, 2, 3, 4);
  assert.deepEqual(concat(base.subarray(1, 3), base.subarray(4)), b(1, 2, 4));
});

Deno.test("equals compares length and contents", () => {
  assert.equal(equals(b(1, 2, 3), b(1, 2, 3)), true);
  assert.equal(equals(b(), b()), true);
  assert.equal(equals(b(1, 2, 3), b(1, 2, 4)), false);
  assert.equal(equals(b(1, 2), b(1, 2, 3)), false);
  assert.equal(equals(b(1, 2, 3), b(1, 2)), false);
});

Deno.test("compare orders like Python bytes", () => {
  assert.equal(compare(b(1, 2), b(1, 3)), -1);
  assert.equal(compare(b(1, 3), b(1, 2)), 1);
  assert.equal(compare(b(1, 2), b(1, 2)), 0);
  assert.equal(compare(b(), b()), 0);
  assert.equal(compare(b(1), b(1, 0)), -1, "a proper prefix sorts first");
  assert.equal(compare(b(1, 0), b(1)), 1);
  assert.equal(compare(b(), b(0)), -1);
  assert.equal(compare(b(0x80), b(0x7f)), 1, "bytes are unsigned");
  assert.equal(compare(b(2), b(1, 9, 9)), 1, "first difference wins over length");
});

Deno.test("compare works as a sort comparator", () => {
  const sorted = [ascii("b"), ascii("ab"), ascii(""), ascii("a")].sort(compare);
  assert.deepEqual(sorted.map((x) => utf8Decode(x)), ["", "a", "ab", "b"]);
});

Deno.test("indexOf finds the first occurrence at or after fromIndex", () => {
  const data = b(1, 2, 3, 1, 2, 3);
  assert.equal(indexOf(data, b(2, 3)), 1);
  assert.equal(indexOf(data, b(2, 3), 1), 1);
  assert.equal(indexOf(data, b(2, 3), 2), 4);
  assert.equal(indexOf(data, b(2, 3), 5), -1);
  assert.equal(indexOf(data, b(3, 1, 2, 3)), 2);
  assert.equal(indexOf(data, b(4)), -1);
  assert.equal(indexOf(data, b(3, 4)), -1);
  assert.equal(indexOf(b(1, 2), b(1, 2, 3)), -1, "needle longer than haystack");
  assert.equal(indexOf(b(1, 1, 1, 2), b(1, 1, 2)), 1, "overlapping partial match");
});

Deno.test("indexOf with a negative fromIndex counts from the end, like Python", () => {
  const data = b(1, 2, 3, 1, 2, 3);
  assert.equal(indexOf(data, b(1), -3), 3);
  assert.equal(indexOf(data, b(1), -100), 0);
});

Deno.test("indexOf with an empty needle returns the clamped start, like Python find", () => {
  const data = b(1, 2, 3);
  assert.equal(indexOf(data, b()), 0);
  assert.equal(indexOf(data, b(), 2), 2);
  assert.equal(indexOf(data, b(), 3), 3);
  assert.equal(indexOf(data, b(), -1), 2);
  assert.equal(indexOf(data, b(), -10), 0);
  assert.equal(indexOf(data, b(), 4), -1, "start beyond the end finds nothing");
  assert.equal(indexOf(b(), b()), 0);
});

Deno.test("indexOf rejects a non-integer fromIndex", () => {
  assert.throws(() => indexOf(b(1), b(1), 0.5), {
    name: "RangeError",
    message: "fromIndex must be an integer, got 0.5",
  });
  assert.throws(() => indexOf(b(1), b(1), NaN), RangeError);
});

Deno.test("hexlify gives lower-case pairs, optionally separated", () => {
  assert.equal(hexlify(b(0xde, 0xad, 0xbe, 0xef, 0x00, 0x0f)), "deadbeef000f");
  assert.equal(hexlify(b(1, 2, 0xff), ":"), "01:02:ff");
  assert.equal(hexlify(b(1, 2), " - "), "01 - 02");
  assert.equal(hexlify(b(1), ":"), "01");
  assert.equal(hexlify(b(), ":"), "");
});

Deno.test("unhexlify accepts either case and whitespace between pairs", () => {
  assert.deepEqual(unhexlify("deadBEEF"), b(0xde, 0xad, 0xbe, 0xef));
  assert.deepEqual(unhexlify(" de ad\tbe\nef\r\n"), b(0xde, 0xad, 0xbe, 0xef));
  assert.deepEqual(unhexlify("\v\f00"), b(0));
  assert.deepEqual(unhexlify(""), b());
  assert.deepEqual(unhexlify("   "), b());
});

Deno.test("unhexlify round-trips every byte value", () => {
  const all = range(0, 256);
  assert.deepEqual(unhexlify(hexlify(all)), all);
  assert.deepEqual(unhexlify(hexlify(all, " ")), all);
});

Deno.test("unhexlify names the position of a non-hex character, in Python's wording", () => {
  const cases: [string, number][] = [
    ["0g", 1],
    ["g0", 0],
    ["a b", 1], // whitespace inside a pair
    ["abc ", 3], // the lone digit's partner is a space
    ["ab:cd", 2], // separators are not accepted
    ["0x12", 1],
  ];
  for (const [input, position] of cases) {
    assert.throws(() => unhexlify(input), {
      name: "Error",
      message: `non-hexadecimal number found in fromhex() arg at position ${position}`,
    }, JSON.stringify(input));
  }
});

Deno.test("unhexlify rejects an odd number of digits, naming the unpaired digit", () => {
  assert.throws(() => unhexlify("abc"), {
    message:
      "fromhex() arg must contain an even number of hexadecimal digits (digit at position 2 has no pair)",
  });
  assert.throws(() => unhexlify("a"), /digit at position 0 has no pair/);
  assert.throws(() => unhexlify("ab c"), /digit at position 3 has no pair/);
});

Deno.test("hexdump of empty input is empty, like hexdump -C", () => {
  assert.equal(hexdump(b()), "");
});

Deno.test("hexdump matches hexdump -C for a short line", () => {
  assert.equal(
    hexdump(ascii("Hello\n")),
    [
      "00000000  48 65 6c 6c 6f 0a                                 |Hello.|",
      "00000006",
    ].join("\n"),
  );
});

Deno.test("hexdump matches hexdump -C around the 8-byte group boundary", () => {
  assert.equal(
    hexdump(ascii("ABCDEFGH")),
    [
      "00000000  41 42 43 44 45 46 47 48                           |ABCDEFGH|",
      "00000008",
    ].join("\n"),
  );
  assert.equal(
    hexdump(ascii("ABCDEFGHI")),
    [
      "00000000  41 42 43 44 45 46 47 48  49                       |ABCDEFGHI|",
      "00000009",
    ].join("\n"),
  );
  assert.equal(
    hexdump(ascii("0123456789abcdef")),
    [
      "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|",
      "00000010",
    ].join("\n"),
  );
});

Deno.test("hexdump matches hexdump -C for every byte value", () => {
  assert.equal(
    hexdump(range(0, 256)),
    [
      "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|",
      "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|",
      "00000020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|",
      "00000030  30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f  |0123456789:;<=>?|",
      "00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|",
      "00000050  50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f  |PQRSTUVWXYZ[\\]^_|",
      "00000060  60 61 62 63 64 65 66 67  68 69 6a 6b 6c 6d 6e 6f  |`abcdefghijklmno|",
      "00000070  70 71 72 73 74 75 76 77  78 79 7a 7b 7c 7d 7e 7f  |pqrstuvwxyz{|}~.|",
      "00000080  80 81 82 83 84 85 86 87  88 89 8a 8b 8c 8d 8e 8f  |................|",
      "00000090  90 91 92 93 94 95 96 97  98 99 9a 9b 9c 9d 9e 9f  |................|",
      "000000a0  a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af  |................|",
      "000000b0  b0 b1 b2 b3 b4 b5 b6 b7  b8 b9 ba bb bc bd be bf  |................|",
      "000000c0  c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf  |................|",
      "000000d0  d0 d1 d2 d3 d4 d5 d6 d7  d8 d9 da db dc dd de df  |................|",
      "000000e0  e0 e1 e2 e3 e4 e5 e6 e7  e8 e9 ea eb ec ed ee ef  |................|",
      "000000f0  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  |................|",
      "00000100",
    ].join("\n"),
  );
});

Deno.test("hexdump collapses repeated lines into * like hexdump -C", () => {
  const data = concat(
    new Uint8Array(16),
    ascii("x".repeat(16)),
    new Uint8Array(48),
    ascii("x".repeat(16)),
    ascii("tail"),
  );
  assert.equal(
    hexdump(data),
    [
      "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
      "00000010  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
      "00000020  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
      "*",
      "00000050  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
      "00000060  74 61 69 6c                                       |tail|",
      "00000064",
    ].join("\n"),
  );
});

Deno.test("hexdump does not collapse a short final line that starts like the previous", () => {
  assert.equal(
    hexdump(new Uint8Array(24)),
    [
      "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
      "00000010  00 00 00 00 00 00 00 00                           |........|",
      "00000018",
    ].join("\n"),
  );
  assert.equal(
    hexdump(new Uint8Array(32)),
    [
      "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
      "*",
      "00000020",
    ].join("\n"),
  );
});

Deno.test("reprBytes matches Python repr for plain text and escapes", () => {
  assert.equal(reprBytes(ascii("Hello, world")), "b'Hello, world'");
  assert.equal(reprBytes(b(0, 1)), "b'\\x00\\x01'");
  assert.equal(reprBytes(b()), "b''");
  assert.equal(reprBytes(ascii("\\")), "b'\\\\'");
  assert.equal(
    reprBytes(b(0x09, 0x0a, 0x0d, 0x0b, 0x0c, 0x7f, 0x80, 0xff, 0x20, 0x7e)),
    "b'\\t\\n\\r\\x0b\\x0c\\x7f\\x80\\xff ~'",
  );
  assert.equal(reprBytes(ascii("hé")), "b'h\\xc3\\xa9'");
});

Deno.test("reprBytes chooses quotes like Python", () => {
  assert.equal(reprBytes(ascii("it's")), `b"it's"`, "only ' inside: use double quotes");
  assert.equal(reprBytes(ascii('say "hi"')), `b'say "hi"'`, 'only " inside: single quotes');
  assert.equal(reprBytes(ascii(`'"`)), `b'\\'"'`, "both inside: single quotes, ' escaped");
});

Deno.test("reprBytes matches Python repr for every byte value", () => {
  const printable = " !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_" +
    "`abcdefghijklmnopqrstuvwxyz{|}~";
  const hexEscapes = (bytes: Uint8Array) =>
    Array.from(bytes, (byte) => `\\x${byte.toString(16).padStart(2, "0")}`).join("");
  const expected = "b'" + hexEscapes(range(0, 9)) + "\\t\\n\\x0b\\x0c\\r" +
    hexEscapes(range(0x0e, 0x20)) + printable + hexEscapes(range(0x7f, 0x100)) + "'";
  assert.equal(reprBytes(range(0, 256)), expected);
});

Deno.test("utf8Encode and utf8Decode round-trip text", () => {
  assert.deepEqual(
    utf8Encode("hé€😀"),
    b(0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80),
  );
  assert.equal(utf8Decode(utf8Encode("hé€😀")), "hé€😀");
  assert.equal(utf8Decode(b()), "");
});

Deno.test("utf8Decode replaces invalid sequences instead of failing", () => {
  assert.equal(utf8Decode(b(0x68, 0xff, 0x69)), "h\uFFFDi");
  assert.equal(utf8Decode(b(0x68, 0xc3)), "h\uFFFD", "truncated sequence");
});

Deno.test("utf8DecodeStrict decodes valid UTF-8", () => {
  assert.equal(utf8DecodeStrict(utf8Encode("hé")), "hé");
  assert.equal(utf8DecodeStrict(b()), "");
});

Deno.test("utf8DecodeStrict throws a clear Error on invalid UTF-8", () => {
  assert.throws(() => utf8DecodeStrict(b(0x68, 0xff)), {
    name: "Error",
    message: "invalid UTF-8 data (2 bytes)",
  });
  assert.throws(() => utf8DecodeStrict(b(0xc3)), /invalid UTF-8/);
  // Decoders with state must not carry a failed sequence into the next call.
  assert.equal(utf8DecodeStrict(utf8Encode("ok")), "ok");
});

Deno.test("previewBytes shows short data whole and cuts long data with a count", () => {
  assert.equal(previewBytes(utf8Encode("Hello, world")), "b'Hello, world'");
  assert.equal(previewBytes(new Uint8Array(64)), reprBytes(new Uint8Array(64)));
  assert.equal(previewBytes(utf8Encode("abcdef"), 4), "b'abcd' … (2 more bytes)");
});
