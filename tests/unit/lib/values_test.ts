import assert from "node:assert/strict";
import { UsageError } from "../../../lib/cli.ts";
import {
  formatTuple,
  formatValue,
  parseValue,
  parseValues,
  reprFloat,
} from "../../../lib/values.ts";

Deno.test("reprFloat prints floats exactly as Python's repr", () => {
  // Expected strings produced by CPython 3.11's repr().
  const vectors: [number, string][] = [
    [2.700000047683716, "2.700000047683716"],
    [1e16, "1e+16"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [123456789012345678, "1.2345678901234568e+17"],
    [1.5, "1.5"],
    [-0, "-0.0"],
    [0, "0.0"],
    [100, "100.0"],
    [1e15, "1000000000000000.0"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [0.1, "0.1"],
    [-2.5e-7, "-2.5e-07"],
    [9999999999999998, "9999999999999998.0"],
    [0.00012345, "0.00012345"],
    [1234.5678, "1234.5678"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ];
  for (const [value, expected] of vectors) assert.equal(reprFloat(value), expected, String(value));
});

Deno.test("formatValue and formatTuple follow Python's notation", () => {
  assert.equal(formatValue("i", 1), "1");
  assert.equal(formatValue("q", 9000000000n), "9000000000");
  assert.equal(formatValue("d", 2), "2.0");
  assert.equal(formatValue("?", true), "True");
  assert.equal(formatValue("s", new TextEncoder().encode("ab\n")), "b'ab\\n'");
  assert.equal(
    formatTuple(["i", "i", "f"], [1, 4, 2.700000047683716]),
    "(1, 4, 2.700000047683716)",
  );
  assert.equal(formatTuple(["h"], [7]), "(7,)");
  assert.equal(formatTuple([], []), "()");
});

Deno.test("parseValue reads each kind of format code", () => {
  assert.equal(parseValue("i", "-7"), -7n);
  assert.equal(parseValue("Q", "18446744073709551615"), 18446744073709551615n);
  assert.equal(parseValue("f", "2.7"), 2.7);
  assert.equal(parseValue("d", "-1e-3"), -0.001);
  assert.equal(parseValue("e", ".5"), 0.5);
  assert.equal(parseValue("d", "inf"), Infinity);
  assert.equal(parseValue("d", "-Infinity"), -Infinity);
  assert.ok(Number.isNaN(parseValue("f", "nan")));
  assert.equal(parseValue("?", "true"), true);
  assert.equal(parseValue("?", "0"), false);
  assert.deepEqual(parseValue("s", "hé"), new Uint8Array([0x68, 0xc3, 0xa9]));
});

Deno.test("parseValue and parseValues reject words that do not fit, as usage errors", () => {
  const cases: [string, string, RegExp][] = [
    ["i", "2.5", /'i' needs a whole number, got "2.5"/],
    ["i", "", /whole number/],
    ["f", "abc", /'f' needs a number, got "abc"/],
    ["d", "1e", /needs a number/],
    ["?", "yes", /true\/false/],
    ["z", "1", /unknown format code 'z'/],
    ["q", "9".repeat(4301), /at most 4300 digits, got 4301 digits/],
  ];
  for (const [code, word, message] of cases) {
    assert.throws(() => parseValue(code, word), (error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      return true;
    });
  }
  assert.throws(() => parseValues(["i", "i", "f"], ["1", "4"]), /needs 3 values, got 2/);
  assert.throws(() => parseValues(["h"], ["1", "2"]), /needs 1 value, got 2/);
  assert.deepEqual(parseValues(["h", "?"], ["300", "true"]), [300n, true]);
  assert.equal(parseValue("Q", `-${"9".repeat(4300)}`), -(10n ** 4300n - 1n), "as Python's int()");
});
