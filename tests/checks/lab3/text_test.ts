/**
 * Graded checks for Task 3.1: `text_bytes.ts` and `wrong_encoding.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";

const BYTES = "text_bytes.ts";
const WRONG = "wrong_encoding.ts";

export const checks = defineChecks(3, [
  {
    id: "3.1-hello-bytes",
    task: "3.1",
    title: 'text_bytes shows the 11 bytes of "Hello World" and their hex dump',
    points: 2,
    hint: "encode the text as UTF-8, print the byte values as a list with their count, and the " +
      "bytes as `hexdump -C` shows them (hexdump() in lib/bytes.ts)",
    async run({ script }) {
      const result = await runScript(script(BYTES));
      assertSuccess(result);
      assertHasLine(
        result.stdout,
        /\[72, 101, 108, 108, 111, 32, 87, 111, 114, 108, 100\] \(11 bytes\)/,
      );
      const dump = "00000000  48 65 6c 6c 6f 20 57 6f  72 6c 64" + " ".repeat(17) +
        "|Hello World|\n0000000b\n";
      assert.ok(result.stdout.includes(dump), `expected the hex dump\n${dump}in\n${result.stdout}`);
    },
  },
  {
    id: "3.1-utf8-lengths",
    task: "3.1",
    title: "text_bytes counts characters and UTF-8 bytes apart for non-ASCII text",
    points: 2,
    hint: "count characters by code point ([...text]) and bytes after encoding: ñ takes 2 bytes " +
      "(c3 b1) and 日 takes 3 (e6 97 a5)",
    async run({ script }) {
      const result = await runScript(script(BYTES), ["¡Hola, señor! 日本"]);
      assertSuccess(result);
      assertHasLine(result.stdout, /\(16 characters\)/);
      assertHasLine(result.stdout, /\(22 bytes\)/);
      assertHasLine(result.stdout, /^ñ\s+U\+00F1\s+c3 b1$/m);
      assertHasLine(result.stdout, /^日\s+U\+65E5\s+e6 97 a5$/m);
      assert.ok(result.stdout.includes("\n00000010  e6 97 a5 e6 9c ac"), "hex dump line 2");
    },
  },
  {
    id: "3.1-wrong-decoders",
    task: "3.1",
    title: "wrong_encoding decodes UTF-8 bytes with other encodings and names latin1's real one",
    points: 3,
    hint: "decode the same UTF-8 bytes with new TextDecoder(label) for each label and print " +
      "decoder.encoding next to the label when it differs (latin1 → windows-1252)",
    async run({ script }) {
      const text = "Grüße, señor";
      const labels = ["utf-8", "latin1", "koi8-r", "shift_jis", "utf-16le"];
      const result = await runScript(script(WRONG), ["--encodings", labels.join(","), text]);
      assertSuccess(result);
      const bytes = new TextEncoder().encode(text);
      for (const label of labels) {
        const decoder = new TextDecoder(label);
        const garbled = decoder.decode(bytes).replace(/\p{Cc}/gu, "·");
        const line = result.stdout.split("\n").find((l) => l.startsWith(`${label} `));
        assert.ok(line, `no line for ${label}:\n${result.stdout}`);
        assert.ok(line.endsWith(` ${garbled}`), `${label} should show "${garbled}": ${line}`);
      }
      assertHasLine(result.stdout, /^latin1 \(= windows-1252\) +GrÃ¼ÃŸe, seÃ±or$/m);
      assertHasLine(result.stdout, /^utf-8 +Grüße, señor$/m);
    },
  },
  {
    id: "3.1-wrong-bad-label",
    task: "3.1",
    title: "wrong_encoding rejects an unknown encoding label in one line",
    points: 1,
    hint: "new TextDecoder(label) throws a RangeError for an unknown label: check every label " +
      "before printing anything and report the bad one",
    async run({ script }) {
      const result = await runScript(script(WRONG), ["--encodings", "latin1,klingon", "x"]);
      assertCleanFailure(result, /klingon/);
      assert.equal(result.stdout, "", "nothing should be printed before the error");
    },
  },
]);
