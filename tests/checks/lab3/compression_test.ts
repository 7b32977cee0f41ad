/**
 * Graded checks for Task 3.5: `compression_ratios.ts` and `zlib_tool.ts`, including
 * interoperability with Python's `zlib` module when `python3` is installed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { deflateSync, inflateSync } from "node:zlib";
import { equals, unhexlify } from "../../../lib/bytes.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertNoStackTrace, assertSuccess } from "../../harness/expect.ts";
import { seededBytes } from "../../harness/peers.ts";
import { runScript } from "../../../tools/script/process.ts";
import { programToStart } from "../../../tools/script/host.ts";
import { type BinaryResult, runWithBytes } from "../../harness/binary_io.ts";

const RATIOS = "compression_ratios.ts";
const TOOL = "zlib_tool.ts";

/** Some text with structure (compressible) followed by random bytes (not compressible). */
function sampleData(): Uint8Array {
  const text = Array.from({ length: 2000 }, (_, i) => `reading ${i}: ${(i * 7) % 101} C\n`);
  const bytes = new TextEncoder().encode(text.join(""));
  const mixed = new Uint8Array(bytes.length + 50_000);
  mixed.set(bytes);
  mixed.set(seededBytes(50_000, 3), bytes.length);
  return mixed;
}

/** The compressed and original sizes printed for the sample whose name matches `name`. */
function sizes(stdout: string, name: RegExp): [number, number] {
  const line = stdout.split("\n").find((l) => name.test(l));
  const match = line?.match(/(\d+) B\s+(\d+) B/);
  assert.ok(match, `no line matching ${name} with two sizes:\n${stdout}`);
  return [Number(match[1]), Number(match[2])];
}

function assertBinarySuccess(result: BinaryResult): void {
  assert.equal(result.code, 0, `expected exit code 0, got ${result.code}\n${result.stderr}`);
  assertNoStackTrace(result.stderr);
}

/** Runs a short Python program with `input` on stdin and returns its stdout bytes. */
async function python(program: string, input: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(programToStart("python3"), {
    args: ["-c", program],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 0, `python3 failed: ${new TextDecoder().decode(stderr)}`);
  return stdout;
}

export const checks = defineChecks(3, [
  {
    id: "3.5-ratios",
    task: "3.5",
    title: "compression_ratios: JSON shrinks, tiny, random and compressed data do not",
    points: 2,
    hint: "compress each sample with zlib and print original and compressed sizes: structured " +
      "text should shrink a lot; random or already compressed bytes grow a little",
    async run({ script }) {
      const result = await runScript(script(RATIOS));
      assertSuccess(result);
      const [tiny, tinyCompressed] = sizes(result.stdout, /This is a test/);
      assert.equal(tiny, 14);
      assert.ok(tinyCompressed > tiny, "14 bytes cannot shrink: zlib adds a header and checksum");
      const [json, jsonCompressed] = sizes(result.stdout, /JSON(?!, already)/);
      assert.ok(
        jsonCompressed < json / 4,
        `JSON should shrink below a quarter: ${json} → ${jsonCompressed}`,
      );
      const [random, randomCompressed] = sizes(result.stdout, /random/);
      assert.ok(randomCompressed >= random, "random bytes should not shrink");
      const [again, againCompressed] = sizes(result.stdout, /already compressed/);
      assert.ok(againCompressed >= again, "compressed data should not shrink again");
      const best = await runScript(script(RATIOS), ["--level", "9"]);
      assert.ok(sizes(best.stdout, /JSON(?!, already)/)[1] <= jsonCompressed, "level 9 ≤ level 6");
    },
  },
  {
    id: "3.5-round-trip",
    task: "3.5",
    title: "zlib_tool compresses and decompresses stdin to stdout in the zlib format",
    points: 3,
    hint: "read all of stdin as bytes, deflateSync/inflateSync from node:zlib (the zlib format, " +
      "not gzip or raw deflate), and write the bytes to stdout without any text around them",
    async run({ script }) {
      const data = sampleData();
      const compressed = await runWithBytes(script(TOOL), ["compress"], data);
      assertBinarySuccess(compressed);
      assert.equal(compressed.stdout[0], 0x78, "a zlib stream starts with 0x78");
      assert.ok(equals(inflateSync(compressed.stdout), data), "inflating gives back the input");
      assert.ok(compressed.stdout.length < data.length, "the text part should have shrunk");
      const restored = await runWithBytes(script(TOOL), ["decompress"], deflateSync(data));
      assertBinarySuccess(restored);
      assert.ok(equals(restored.stdout, data), "decompressing gives back the original");
      const empty = await runWithBytes(script(TOOL), ["compress"], new Uint8Array());
      assert.equal(inflateSync(empty.stdout).length, 0, "empty input is a valid empty stream");
    },
  },
  {
    id: "3.5-corrupt",
    task: "3.5",
    title: "zlib_tool refuses data that is not zlib, or is cut short, in one line",
    points: 2,
    hint: "inflateSync throws on a bad header, a bad checksum or a missing end: report it as " +
      "one line and exit non-zero instead of printing partial data",
    async run({ script }) {
      const good = deflateSync(new TextEncoder().encode("x".repeat(10_000)));
      const corrupt = good.slice();
      corrupt[corrupt.length - 1] ^= 0xff; // break the Adler-32 checksum
      for (
        const [what, input] of [
          ["text", new TextEncoder().encode("hello, not compressed\n")],
          ["a stream missing its last byte", good.subarray(0, good.length - 1)],
          ["a wrong checksum", corrupt],
        ] as const
      ) {
        const result = await runWithBytes(script(TOOL), ["decompress"], input);
        assertCleanFailure({ ...result, signal: null, stdout: "" }, /./);
        assert.equal(result.stdout.length, 0, `nothing should be written for ${what}`);
      }
    },
  },
  {
    id: "3.5-python-zlib",
    task: "3.5",
    title: "Python's zlib reads what zlib_tool compresses, and zlib_tool reads Python's",
    points: 2,
    kind: "interoperability",
    requires: "python3",
    hint: "use the zlib format (RFC 1950, what Python's zlib.compress writes): node:zlib's " +
      "deflateSync/inflateSync, not gzip or deflateRaw",
    async run({ script }) {
      const data = sampleData();
      const ours = await runWithBytes(script(TOOL), ["compress"], data);
      assertBinarySuccess(ours);
      const readByPython = await python(
        "import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))",
        ours.stdout,
      );
      assert.ok(equals(readByPython, data), "Python's zlib.decompress gave back the input");
      const theirs = await python(
        "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))",
        data,
      );
      const readByUs = await runWithBytes(script(TOOL), ["decompress"], theirs);
      assertBinarySuccess(readByUs);
      assert.ok(equals(readByUs.stdout, data), "we gave back what Python compressed");
      // "This is a test" as CPython 3.11's zlib.compress wrote it (zlib 1.2.13).
      const lecture = unhexlify("789c0bc9c82c5600a2448592d4e21200247304f6");
      const decoded = await runWithBytes(script(TOOL), ["decompress"], lecture);
      assert.equal(new TextDecoder().decode(decoded.stdout), "This is a test");
    },
  },
]);
