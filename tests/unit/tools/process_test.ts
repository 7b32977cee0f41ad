/**
 * Tests of running a program as the checks do (`tools/script/process.ts`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { startProgram } from "../../../tools/script/process.ts";

Deno.test("waitFor: a program that ends without printing the line fails the wait at once", async () => {
  const program = startProgram(Deno.execPath(), ["eval", "console.log('bye'); Deno.exit(3)"]);
  const started = performance.now();
  await assert.rejects(program.waitFor(/listening on/, 20_000), /ended before printing/);
  const waited = performance.now() - started;
  assert.ok(waited < 10_000, `noticed only after ${waited.toFixed(0)} ms, not when it ended`);
  assert.equal((await program.finished()).code, 3);
});

Deno.test("waitFor: the line a program prints before it ends is found", async () => {
  const program = startProgram(Deno.execPath(), ["eval", "console.log('listening on x:1')"]);
  assert.equal((await program.waitFor(/listening on (\S+)/))[1], "x:1");
  assert.equal((await program.finished()).code, 0);
});
