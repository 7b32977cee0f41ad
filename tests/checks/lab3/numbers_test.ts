/**
 * Graded checks for Task 3.2: `number_sizes.ts` and `byte_order.ts`. The sizes are
 * those of Python's `struct` documentation.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";

const SIZES = "number_sizes.ts";
const ORDER = "byte_order.ts";

/** Standard sizes (`!`, `<`, `>`, `=`) of the codes, from Python's documentation. */
const STANDARD_SIZES: Record<string, number> = {
  x: 1,
  c: 1,
  b: 1,
  B: 1,
  "?": 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  q: 8,
  Q: 8,
  e: 2,
  f: 4,
  d: 8,
};

/** The hex bytes `byte_order.ts` printed for one prefix and value block. */
function bytesFor(stdout: string, value: string, prefixAndCode: string): string {
  const block = stdout.split(/\n(?=\S)/).find((b) => b.startsWith(`${value} `));
  assert.ok(block, `no block for ${value}:\n${stdout}`);
  const line = block.split("\n").find((l) => l.trim().startsWith(`${prefixAndCode} `));
  assert.ok(line, `no line for ${prefixAndCode} under ${value}:\n${block}`);
  return line.match(/((?:[0-9a-f]{2} )*[0-9a-f]{2})$/)?.[1] ?? "";
}

export const checks = defineChecks(3, [
  {
    id: "3.2-text-vs-packed",
    task: "3.2",
    title: "number_sizes: the largest u64 is 20 bytes as text and 8 packed",
    points: 2,
    hint: "for each sample, print the length of the value written as text and the length of " +
      "pack('!' + code, value), and the packed bytes in hex",
    async run({ script }) {
      const result = await runScript(script(SIZES));
      assertSuccess(result);
      assertHasLine(
        result.stdout,
        /^18446744073709551615\s+Q\s+20 B\s+8 B\s+ff ff ff ff ff ff ff ff$/m,
      );
      assertHasLine(result.stdout, /^255\s+B\s+3 B\s+1 B\s+ff$/m);
      assertHasLine(result.stdout, /^65535\s+H\s+5 B\s+2 B\s+ff ff$/m);
    },
  },
  {
    id: "3.2-code-sizes",
    task: "3.2",
    title: "number_sizes lists the standard and native size of every format code",
    points: 2,
    hint: "loop over formatCodes from lib/struct.ts and print calcsize('!' + code) and " +
      "calcsize(code) for each; codes without a standard size are native only",
    async run({ script }) {
      const result = await runScript(script(SIZES));
      assertSuccess(result);
      for (const [code, size] of Object.entries(STANDARD_SIZES)) {
        const escaped = code.replace(/[?]/, "\\?");
        assertHasLine(result.stdout, new RegExp(`^${escaped} .* ${size} B\\s+\\d+ B$`, "m"));
      }
      assertHasLine(result.stdout, /^n .*native only\s+\d+ B$/m);
    },
  },
  {
    id: "3.2-custom-values",
    task: "3.2",
    title: "number_sizes packs values given with --code, refusing one out of range",
    points: 1,
    hint: "read each value for the code given (lib/values.ts parseValue), let pack() check " +
      "the range, and print nothing until every value is known to fit",
    async run({ script }) {
      const ok = await runScript(script(SIZES), ["--code", "H", "--", "7", "300", "65535"]);
      assertSuccess(ok);
      assertHasLine(ok.stdout, /^7\s+H\s+1 B\s+2 B\s+00 07$/m);
      assertHasLine(ok.stdout, /^300\s+H\s+3 B\s+2 B\s+01 2c$/m);
      const bad = await runScript(script(SIZES), ["--code", "H", "--", "7", "70000"]);
      assertCleanFailure(bad, /0 <= number <= 65535/);
      assert.equal(bad.stdout, "", "nothing should be printed before the error");
    },
  },
  {
    id: "3.2-byte-order",
    task: "3.2",
    title: "byte_order: 1024 and 0xABCDEF big-endian with ! and > and little-endian with <",
    points: 3,
    hint: "pack the value with each prefix (! > < = @) and the code; '!' and '>' put the most " +
      "significant byte first, '<' the least significant",
    async run({ script }) {
      const result = await runScript(script(ORDER));
      assertSuccess(result);
      assert.equal(bytesFor(result.stdout, "1024", "!l"), "00 00 04 00");
      assert.equal(bytesFor(result.stdout, "1024", ">l"), "00 00 04 00");
      assert.equal(bytesFor(result.stdout, "1024", "<l"), "00 04 00 00");
      assert.equal(bytesFor(result.stdout, "11259375", "!l"), "00 ab cd ef");
      assert.equal(bytesFor(result.stdout, "11259375", "<l"), "ef cd ab 00");
      const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
      assert.equal(bytesFor(result.stdout, "1024", "=l"), little ? "00 04 00 00" : "00 00 04 00");
      const other = await runScript(script(ORDER), ["--code", "H", "--", "258"]);
      assertSuccess(other);
      assert.equal(bytesFor(other.stdout, "258", "!H"), "01 02");
      assert.equal(bytesFor(other.stdout, "258", "<H"), "02 01");
    },
  },
  {
    id: "3.2-byte-order-bad-code",
    task: "3.2",
    title: "byte_order refuses a code that is not a standard-size integer",
    points: 1,
    hint: "check --code before packing: only b B h H i I l L q Q have a byte order to show",
    async run({ script }) {
      assertCleanFailure(await runScript(script(ORDER), ["--code", "f", "--", "1"]), /f/);
      assertCleanFailure(await runScript(script(ORDER), ["--code", "n", "--", "1"]), /n/);
    },
  },
]);
