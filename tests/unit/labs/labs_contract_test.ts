/**
 * A guard over every reference script in `labs/`, the course's own tools included
 * (capture, traffic report): a file whose first line is a `deno run` shebang must be
 * executable (so `./labs/lab1/x.ts` runs it), must not ask for more than a lab task
 * needs, must answer `--help`, and must reject an unknown flag in one line. Modules
 * without a shebang (shared protocol code) are not scripts and are left alone.
 *
 * @module
 */
import assert from "node:assert/strict";
import { REFERENCE_DIR } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";
import {
  overlyBroadFlags,
  parseRunFlags,
  SHEBANG_PREFIX,
} from "../../../tools/script/run_flags.ts";

async function* labScripts(): AsyncGenerator<string> {
  for await (const lab of Deno.readDir(REFERENCE_DIR)) {
    if (!lab.isDirectory) continue;
    for await (const file of Deno.readDir(`${REFERENCE_DIR}/${lab.name}`)) {
      const path = `${REFERENCE_DIR}/${lab.name}/${file.name}`;
      if (file.isFile && file.name.endsWith(".ts")) {
        if ((await Deno.readTextFile(path)).startsWith("#!")) yield path;
      }
    }
  }
}

Deno.test("every lab script is executable and asks only for what its task needs", async () => {
  let count = 0;
  for await (const path of labScripts()) {
    count++;
    const source = await Deno.readTextFile(path);
    assert.ok(source.startsWith(SHEBANG_PREFIX), `${path}: line 1 must be "${SHEBANG_PREFIX} …"`);
    const flags = parseRunFlags(source, path);
    assert.deepEqual(overlyBroadFlags(flags), [], `${path} asks for too much: ${flags.join(" ")}`);
    const mode = (await Deno.stat(path)).mode ?? 0;
    assert.equal(mode & 0o111, 0o111, `${path} is not executable: chmod +x it`);
  }
  assert.ok(count >= 8, `found only ${count} lab scripts`);
});

Deno.test("every lab script answers --help and rejects an unknown flag in one line", async () => {
  const scripts: string[] = [];
  for await (const path of labScripts()) scripts.push(path);
  // A few at a time: each is a Deno process of its own.
  for (let i = 0; i < scripts.length; i += 4) {
    await Promise.all(
      scripts.slice(i, i + 4).map(async (path) => {
        const help = await runScript(path, ["--help"]);
        assert.equal(help.code, 0, `${path} --help exited ${help.code}:\n${help.stderr}`);
        assertHasLine(help.stdout, /usage:/i, `${path} --help`);
        assertCleanFailure(await runScript(path, ["--no-such-flag"]), /--no-such-flag/, 2);
      }),
    );
  }
});
