/**
 * Graded checks for Task 2.4: `wire_order.ts` shows numbers as this machine's memory
 * holds them and as network order puts them on the wire, and what a receiver that
 * assumes the wrong order reads.
 *
 * The expected bytes come from this machine's own typed arrays and DataView, not from
 * lib/struct.ts, so the check holds on a big-endian machine too.
 *
 * @module
 */
import assert from "node:assert/strict";
import { hexlify } from "../../../lib/bytes.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";

const SCRIPT = "wire_order.ts";
const VALUES = [1, 258, 305419896];

/** The values as 4-byte unsigned integers, big- or little-endian. */
function uint32Bytes(values: number[], littleEndian: boolean): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  values.forEach((value, i) => view.setUint32(4 * i, value, littleEndian));
  return new Uint8Array(view.buffer);
}

export const checks = defineChecks(2, [
  {
    id: "2.4-machine-and-wire",
    task: "2.4",
    title: "shows this machine's byte order, its memory bytes and the network-order bytes",
    points: 2,
    hint: "find the machine's order from a typed array's bytes (Uint16Array.of(1)); print a " +
      "typed array's bytes for the memory and struct.pack('!…') for the wire, as hex",
    async run({ script }) {
      const result = await runScript(script(SCRIPT), ["--code", "I", "--", ...VALUES.map(String)]);
      assertSuccess(result);
      const machine = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? "little" : "big";
      assertHasLine(result.stdout, new RegExp(`\\b${machine}-endian`, "i"));
      const memory = hexlify(new Uint8Array(Uint32Array.from(VALUES).buffer), " ");
      const wire = hexlify(uint32Bytes(VALUES, false), " ");
      assertHasLine(result.stdout, new RegExp(`memory.*${memory}`, "i"));
      assertHasLine(result.stdout, new RegExp(`(wire|network).*${wire}`, "i"));
    },
  },
  {
    id: "2.4-wrong-order",
    task: "2.4",
    title: "shows what a receiver that unpacks in the wrong order gets",
    points: 2,
    hint: "unpack the network-order bytes with '!' (the right values) and with '<' (each " +
      "number's bytes reversed) and print both tuples",
    async run({ script }) {
      const result = await runScript(script(SCRIPT), ["--code", "I", "--", ...VALUES.map(String)]);
      assertSuccess(result);
      const wire = uint32Bytes(VALUES, false);
      const view = new DataView(wire.buffer);
      const misread = VALUES.map((_, i) => view.getUint32(4 * i, true));
      assertHasLine(result.stdout, new RegExp(`\\(${VALUES.join(", ")}\\)`));
      assertHasLine(result.stdout, new RegExp(`\\(${misread.join(", ")}\\)`));
      const signed = await runScript(script(SCRIPT), ["--code", "h", "--", "-2", "300"]);
      assertSuccess(signed);
      assertHasLine(signed.stdout, /ff fe 01 2c/);
      assert.match(signed.stdout, /\(-257, 11265\)/, "-2 and 300 read little-endian");
    },
  },
  {
    id: "2.4-bad-values",
    task: "2.4",
    title: "a value out of range or an unknown code is refused in one line",
    points: 1,
    hint: "let struct check each value's range, and list the codes you accept; one line on " +
      "stderr and a non-zero exit, no stack trace",
    async run({ script }) {
      assertCleanFailure(await runScript(script(SCRIPT), ["--code", "H", "70000"]), /65535/);
      assertCleanFailure(await runScript(script(SCRIPT), ["--code", "x", "1"]), /--code/);
      assertCleanFailure(await runScript(script(SCRIPT), ["--code", "i", "one"]), /one/);
    },
  },
]);
