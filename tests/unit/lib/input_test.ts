import assert from "node:assert/strict";
import { UsageError } from "../../../lib/cli.ts";
import { parseInteger } from "../../../lib/input.ts";

Deno.test("input: whole numbers in decimal, binary, octal and hex, with a sign", () => {
  assert.equal(parseInteger("12", "n"), 12);
  assert.equal(parseInteger(" -7 ", "n"), -7);
  assert.equal(parseInteger("+0b01010011", "n"), 83);
  assert.equal(parseInteger("0o17", "n"), 15);
  assert.equal(parseInteger("-0xFF", "n"), -255);
  assert.ok(Object.is(parseInteger("-0", "n"), -0), "-0 keeps its sign for two's complement");
  assert.equal(parseInteger(String(2 ** 53 - 1), "n"), 2 ** 53 - 1);
});

Deno.test("input: anything else is a usage error naming the value", () => {
  for (const text of ["", "1.5", "1e3", "0b102", "0x", "twelve", "12abc", String(2 ** 53)]) {
    assert.throws(() => parseInteger(text, "--decode"), (error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /^--decode must be a whole number/);
      assert.ok(error.message.includes(`"${text}"`));
      return true;
    });
  }
});

Deno.test("input: askLine reads one line from a piped stdin, and fails at its end", async () => {
  const program = 'import { askLine } from "./lib/input.ts";\n' +
    'console.log(JSON.stringify(await askLine("Q?")));\n' +
    "try { await askLine('again?'); } catch (e) { console.log(e.constructor.name, e.message); }";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", program],
    cwd: new URL("../../..", import.meta.url),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("12 \r\n"));
  await writer.close();
  const { stdout } = await child.output();
  assert.deepEqual(new TextDecoder().decode(stdout).split("\n"), [
    "Q?",
    '"12 "',
    "again?",
    "UsageError no answer: standard input ended",
    "",
  ]);
});
