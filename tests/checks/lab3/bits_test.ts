/**
 * Graded checks for Task 3.3: `bit_fields.ts`, `bit_ops.ts`, `twos_complement.ts` and
 * `to_binary.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { runScript, startScript } from "../../../tools/script/process.ts";

const FIELDS = "bit_fields.ts";
const OPS = "bit_ops.ts";
const TWOS = "twos_complement.ts";
const TO_BINARY = "to_binary.ts";

/** The decimal and binary `bit_ops.ts` printed for one expression. */
function result(stdout: string, expression: string): [number, string] {
  const line = stdout.split("\n").find((l) => l.startsWith(`${expression} `));
  const match = line?.match(/=\s+(-?\d+)\s+([01]+)/);
  assert.ok(match, `no line for "${expression}" with a value and its bits:\n${stdout}`);
  return [Number(match[1]), match[2]];
}

export const checks = defineChecks(3, [
  {
    id: "3.3-fields-encode",
    task: "3.3",
    title: "bit_fields packs a direction (2 bits) and a player (4 bits) into one byte",
    points: 2,
    hint: "directions Up, Left, Right, Down are 0..3 and player n is stored as n - 1: the byte " +
      "is (direction << 4) | (player - 1), printed as 0bxxxxxxxx = 0xNN = N",
    async run({ script }) {
      const cases: [string, string, string][] = [
        ["Right", "10", "0b00101001 = 0x29 = 41"],
        ["Up", "1", "0b00000000 = 0x00 = 0"],
        ["Down", "10", "0b00111001 = 0x39 = 57"],
        ["left", "4", "0b00010011 = 0x13 = 19"],
      ];
      for (const [direction, player, byte] of cases) {
        const run = await runScript(script(FIELDS), [direction, player]);
        assertSuccess(run);
        assert.ok(
          run.stdout.includes(`command byte ${byte}`),
          `${direction} ${player}:\n${run.stdout}`,
        );
      }
    },
  },
  {
    id: "3.3-fields-decode",
    task: "3.3",
    title: "bit_fields unpacks a byte with shifts and masks, and refuses impossible ones",
    points: 2,
    hint: "direction = (byte >> 4) & 0b11, player id = byte & 0b1111; a byte with bits 6-7 set " +
      "or a player id above 9 is not a command",
    async run({ script }) {
      const ok = await runScript(script(FIELDS), ["--decode", "0x29"]);
      assertSuccess(ok);
      assertHasLine(ok.stdout, /direction bits 10 = Right/);
      assertHasLine(ok.stdout, /player bits 1001 = player 10/);
      const down = await runScript(script(FIELDS), ["--decode", "0b00110000"]);
      assertHasLine(down.stdout, /= Down/);
      assertHasLine(down.stdout, /= player 1$/m);
      for (const args of [["--decode", "64"], ["--decode", "0x2f"], ["North", "3"], ["Up", "11"]]) {
        assertCleanFailure(await runScript(script(FIELDS), args), /./);
      }
    },
  },
  {
    id: "3.3-operators",
    task: "3.3",
    title: "bit_ops: AND, OR, XOR, NOT and shifts of 10 and 9 in decimal and 8-bit binary",
    points: 2,
    hint: "print a & b, a | b, a ^ b, ~a, a << 1 and a >> 1 with the value and its 8-bit " +
      "pattern (~a is negative: its pattern is the two's complement)",
    async run({ script }) {
      const run = await runScript(script(OPS), ["10", "9"]);
      assertSuccess(run);
      assert.deepEqual(result(run.stdout, "a & b"), [8, "00001000"]);
      assert.deepEqual(result(run.stdout, "a | b"), [11, "00001011"]);
      assert.deepEqual(result(run.stdout, "a ^ b"), [3, "00000011"]);
      assert.deepEqual(result(run.stdout, "~a"), [-11, "11110101"]);
      assert.deepEqual(result(run.stdout, "a << 1"), [20, "00010100"]);
      assert.deepEqual(result(run.stdout, "a >> 1"), [5, "00000101"]);
    },
  },
  {
    id: "3.3-masks",
    task: "3.3",
    title: "bit_ops tests, sets, clears and flips bit N of 0b01010011 with a mask",
    points: 2,
    hint: "mask = 1 << N; test with a & mask, set with a | mask, clear with a & ~mask, flip " +
      "with a ^ mask",
    async run({ script }) {
      const run = await runScript(script(OPS), ["--bit", "2", "0b01010011", "0b10100"]);
      assertSuccess(run);
      assert.deepEqual(result(run.stdout, "a & b"), [16, "00010000"]);
      assert.deepEqual(result(run.stdout, "a & mask"), [0, "00000000"]);
      assert.deepEqual(result(run.stdout, "a | mask"), [87, "01010111"]);
      assert.deepEqual(result(run.stdout, "a & ~mask"), [83, "01010011"]);
      assert.deepEqual(result(run.stdout, "a ^ mask"), [87, "01010111"]);
      const six = await runScript(script(OPS), ["--bit", "6", "0b01010011", "0"]);
      assert.deepEqual(result(six.stdout, "a & ~mask"), [19, "00010011"]);
      assertHasLine(six.stdout, /bit 6 of a is set/);
    },
  },
  {
    id: "3.3-twos-complement",
    task: "3.3",
    title: "twos_complement shows both directions: -10 is 11110110, and back",
    points: 2,
    hint: "negative: |n| in binary, flip every bit, add 1, keep 8 bits; a pattern starting " +
      "with 1: flip, add 1, negate",
    async run({ script }) {
      for (
        const [value, stored] of [
          ["-10", "11110110"],
          ["-1", "11111111"],
          ["-0", "00000000"],
          ["-128", "10000000"],
          ["127", "01111111"],
        ]
      ) {
        const run = await runScript(script(TWOS), ["--", value]);
        assertSuccess(run);
        assertHasLine(run.stdout, new RegExp(`^stored as: ${stored}$`, "m"));
      }
      const steps = await runScript(script(TWOS), ["--", "-10"]);
      assertHasLine(steps.stdout, /flip every bit:\s+11110101/);
      const back = await runScript(script(TWOS), ["--pattern", "11110110"]);
      assertSuccess(back);
      assertHasLine(back.stdout, /flip every bit:\s+00001001/);
      assertHasLine(back.stdout, /^value: -10$/m);
      assertCleanFailure(await runScript(script(TWOS), ["--", "200"]), /-128 to 127/);
    },
  },
  {
    id: "3.3-to-binary",
    task: "3.3",
    title: "to_binary converts by doubling and by shifting, from an argument or a prompt",
    points: 2,
    hint: "doubling: for counter = 1, 2, 4… while counter <= n, prepend n & counter ? 1 : 0; " +
      "shifting: prepend n & 1, then n >>= 1 until 0; without an argument, ask and read stdin",
    async run({ script }) {
      for (const n of [12, 1, 255, 1000, 2147483647]) {
        const run = await runScript(script(TO_BINARY), [String(n)]);
        assertSuccess(run);
        assertHasLine(run.stdout, new RegExp(`^by doubling: ${n.toString(2)}$`, "m"));
        assertHasLine(run.stdout, new RegExp(`^by shifting: ${n.toString(2)}$`, "m"));
      }
      const asked = await startScript(script(TO_BINARY), [], { stdin: true });
      await asked.waitFor(/number/i);
      await asked.write("12\n");
      const done = await asked.finished();
      assertSuccess(done);
      assertHasLine(done.stdout, /^by doubling: 1100$/m);
      assertHasLine(done.stdout, /^by shifting: 1100$/m);
    },
  },
]);
