/**
 * Graded checks for Task 3.4: the bit exercises in `exercises.ts` (of the folder being
 * graded, imported in a sandboxed process) and the `count_bits.ts` program around `countOneBits`.
 *
 * Each check tests an answer by what it does, not by how it is written: a mask is right
 * when it tests, sets or clears exactly the asked bits of every 8-bit value. Students
 * start from `starters/lab3/exercises.ts`, which `deno task start` copies into their folder
 * (tests/unit/student/ checks that every check fails on it).
 *
 * @module
 */
import assert from "node:assert/strict";
import { clearBit, popCount, setBit, testBit } from "../../../lib/bits.ts";
import { type CheckContext, defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { type SandboxedModule, withModule } from "../../harness/sandboxed_module.ts";
import { runScript, startScript } from "../../../tools/script/process.ts";

const EXERCISES = "exercises.ts";
const PROGRAM = "count_bits.ts";
const STARTER_NOTE = "run deno task start: it puts the starter in mywork/lab3/ for you to fill in";

/**
 * Runs `body` with the graded folder's `exercises.ts`, imported in a sandboxed process of
 * its own (the student's code never runs in the grader).
 */
async function withExercises<T>(
  { script }: CheckContext,
  body: (module: SandboxedModule) => Promise<T>,
): Promise<T> {
  const path = script(EXERCISES);
  try {
    await Deno.stat(path);
  } catch {
    throw new Error(`${path} does not exist: ${STARTER_NOTE}`);
  }
  return await withModule(path, body);
}

/** The values the graded `exercises.ts` exports: its answers. */
async function exercises(context: CheckContext): Promise<Record<string, unknown>> {
  return await withExercises(context, async (module) => {
    const values: Record<string, unknown> = {};
    for (const name of module.exports) values[name] = await module.get(name);
    return values;
  });
}

/** An answer that must be a number (not the starter's null). */
function numberAnswer(module: Record<string, unknown>, name: string): number {
  const value = module[name];
  assert.notEqual(value, null, `${name} is not answered yet (still null)`);
  assert.ok(Number.isInteger(value), `${name} must be a whole number, got ${String(value)}`);
  return value as number;
}

const BYTES = Array.from({ length: 256 }, (_, i) => i);

export const checks = defineChecks(3, [
  {
    id: "3.4-stored-patterns",
    task: "3.4",
    title: "exercise 1: how -1, -0, -127 and 1 are stored in 8 bits",
    points: 2,
    hint: "a negative n: write |n| in 8 bits, flip every bit, add 1 (dropping any carry out " +
      'of the 8 bits); a non-negative n is plain binary; answer with 8 digits, e.g. "00000001"',
    async run(context) {
      const { storedPatterns } = await exercises(context) as {
        storedPatterns?: Record<string, unknown>;
      };
      assert.ok(storedPatterns, "exercises.ts must export storedPatterns");
      const expected = { "-1": "11111111", "-0": "00000000", "-127": "10000001", "1": "00000001" };
      for (const [number, pattern] of Object.entries(expected)) {
        const answer: unknown = storedPatterns[number];
        assert.notEqual(answer, null, `${number} is not answered yet (still null)`);
        assert.match(String(answer), /^[01]{8}$/, `${number}: answer with exactly 8 binary digits`);
        assert.equal(answer, pattern, `${number} is not stored as ${answer}`);
      }
    },
  },
  {
    id: "3.4-decimal-values",
    task: "3.4",
    title: "exercise 2: the decimal values of 11110000 and 00001111",
    points: 2,
    hint: "a leftmost 1 means negative: flip every bit, add 1, convert, and put a minus in " +
      "front; a leftmost 0 is plain binary",
    async run(context) {
      const { decimalValues } = await exercises(context) as {
        decimalValues?: Record<string, unknown>;
      };
      assert.ok(decimalValues, "exercises.ts must export decimalValues");
      for (const [pattern, value] of [["11110000", -16], ["00001111", 15]] as const) {
        assert.notEqual(decimalValues[pattern], null, `${pattern} is not answered yet`);
        assert.equal(decimalValues[pattern], value, `${pattern} is not ${decimalValues[pattern]}`);
      }
    },
  },
  {
    id: "3.4-not",
    task: "3.4",
    title: "exercise 3: ~7 and ~-7",
    points: 2,
    hint: "~ flips every bit; read the 8-bit result as two's complement (a leftmost 1 means " +
      "negative: flip, add 1, negate)",
    async run(context) {
      const module = await exercises(context);
      assert.equal(numberAnswer(module, "notSeven"), -8, "~7 is not that");
      assert.equal(numberAnswer(module, "notMinusSeven"), 6, "~-7 is not that");
    },
  },
  {
    id: "3.4-test-masks",
    task: "3.4",
    title: "exercise 4: masks that test bits 2 and 7, and h & 0b10100",
    points: 2,
    hint: "the mask for bit n has only bit n set (2**n, 1 << n): h & mask is non-zero exactly " +
      "when bit n of h is 1; for h & 0b10100 keep only the bits set in both",
    async run(context) {
      const module = await exercises(context);
      for (const [name, bit] of [["testBit2Mask", 2], ["testBit7Mask", 7]] as const) {
        const mask = numberAnswer(module, name);
        for (const x of BYTES) {
          assert.equal(
            (x & mask) !== 0,
            testBit(x, bit),
            `${name} does not test bit ${bit} of ${x}`,
          );
        }
      }
      assert.equal(
        numberAnswer(module, "hAnd10100"),
        0b01010011 & 0b10100,
        "h & 0b10100 is not that",
      );
    },
  },
  {
    id: "3.4-set-masks",
    task: "3.4",
    title: "exercise 5: masks that set bit 2, and bits 2 and 3",
    points: 2,
    hint: "x | mask sets the bits where the mask has a 1 and leaves the others: the mask has " +
      "a 1 exactly at each bit to set",
    async run(context) {
      const module = await exercises(context);
      for (const [name, bits] of [["setBit2Mask", [2]], ["setBits2And3Mask", [2, 3]]] as const) {
        const mask = numberAnswer(module, name);
        for (const x of BYTES) {
          const expected = bits.reduce((value, bit) => setBit(value, bit), x);
          assert.equal(x | mask, expected, `${name}: ${x} | mask should be ${expected}`);
        }
      }
    },
  },
  {
    id: "3.4-clear-masks",
    task: "3.4",
    title: "exercise 6: masks that clear bit 1, and bits 7 and 6",
    points: 2,
    hint: "x & mask keeps only the bits where the mask has a 1: the mask is all 1s except at " +
      "the bits to clear",
    async run(context) {
      const module = await exercises(context);
      for (
        const [name, bits] of [["clearBit1Mask", [1]], ["clearBits7And6Mask", [7, 6]]] as const
      ) {
        const mask = numberAnswer(module, name);
        for (const x of BYTES) {
          const expected = bits.reduce((value, bit) => clearBit(value, bit), x);
          assert.equal(x & mask, expected, `${name}: ${x} & mask should be ${expected}`);
        }
      }
    },
  },
  {
    id: "3.4-count-function",
    task: "3.4",
    title: "exercise 7: countOneBits counts the 1 bits with tests and shifts, no logarithms",
    points: 3,
    hint: "loop while n > 0: add n & 1 to the count, then n >>= 1; do not use Math.log, " +
      "toString(2) or a library function",
    async run(context) {
      await withExercises(context, async (module) => {
        assert.ok(module.exports.includes("countOneBits"), "exercises.ts must export countOneBits");
        const source = await module.source("countOneBits");
        const forbidden = /Math\.log|log2|clz32|toString\(\s*2\s*\)|popCount|bitLength|bit_count/;
        assert.doesNotMatch(source, forbidden, "count with bit tests and shifts only");
        const samples = [0, 1, 2, 3, 10, 12, 255, 256, 1023, 0x55555555, 0x7fffffff];
        for (let i = 0; i < 200; i++) samples.push((i * 2654435761) % 0x80000000);
        for (const n of samples) {
          const count = await module.call("countOneBits", n);
          assert.equal(count, popCount(n), `countOneBits(${n}) should be ${popCount(n)}`);
        }
      });
    },
  },
  {
    id: "3.4-count-program",
    task: "3.4",
    title: "count_bits asks for a number and prints how many of its bits are 1",
    points: 2,
    hint: "print a question, read one line from stdin (or take the argument), and print " +
      "`<n> has <count> bits set` using countOneBits; refuse what is not a whole number",
    async run({ script }) {
      const asked = await startScript(script(PROGRAM), [], { stdin: true });
      await asked.waitFor(/number/i);
      await asked.write("10\n");
      const done = await asked.finished();
      assertSuccess(done);
      assertHasLine(done.stdout, /^10 has 2 bits set/m);
      const big = await runScript(script(PROGRAM), ["2147483647"]);
      assertHasLine(big.stdout, /^2147483647 has 31 bits set/m);
      assertCleanFailure(await runScript(script(PROGRAM), ["ten"]), /whole number/);
    },
  },
]);
