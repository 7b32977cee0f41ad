/**
 * A guard over every script in `labs/` and `tools/` (the course's own tools: capture,
 * traffic report, impairment proxy, report generators): a file whose first line is a
 * `deno run` shebang must be executable (so `./labs/lab1/x.ts` runs it), must not ask
 * for more than it needs, must answer `--help` with a usage line that names each of its
 * flags, and must reject an unknown flag in one line. Modules without a shebang (shared
 * protocol code) are not scripts and are left alone.
 *
 * @module
 */
import assert from "node:assert/strict";
import { REFERENCE_DIR, TOOLS_DIR } from "../../harness/checks.ts";
import { assertCleanFailure, assertUsageNamesEveryFlag } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";
import {
  overlyBroadFlags,
  parseRunFlags,
  SHEBANG_PREFIX,
} from "../../../tools/script/run_flags.ts";

/** The scripts in `labs/*\/` and `tools/*\/`: the files that start with `#!`. */
async function* scripts(): AsyncGenerator<string> {
  for (const root of [REFERENCE_DIR, TOOLS_DIR]) {
    for await (const folder of Deno.readDir(root)) {
      if (!folder.isDirectory) continue;
      for await (const file of Deno.readDir(`${root}/${folder.name}`)) {
        const path = `${root}/${folder.name}/${file.name}`;
        if (file.isFile && file.name.endsWith(".ts")) {
          if ((await Deno.readTextFile(path)).startsWith("#!")) yield path;
        }
      }
    }
  }
}

Deno.test("every script is executable and asks only for what its task needs", async () => {
  let count = 0;
  for await (const path of scripts()) {
    count++;
    const source = await Deno.readTextFile(path);
    assert.ok(source.startsWith(SHEBANG_PREFIX), `${path}: line 1 must be "${SHEBANG_PREFIX} …"`);
    const flags = parseRunFlags(source, path);
    assert.deepEqual(overlyBroadFlags(flags), [], `${path} asks for too much: ${flags.join(" ")}`);
    const mode = (await Deno.stat(path)).mode ?? 0;
    assert.equal(mode & 0o111, 0o111, `${path} is not executable: chmod +x it`);
  }
  assert.ok(count >= 8, `found only ${count} scripts`);
});

Deno.test("every script answers --help with a usage line naming each flag, and rejects an unknown flag in one line", async () => {
  const paths = await Array.fromAsync(scripts());
  // A few at a time: each is a Deno process of its own.
  for (let i = 0; i < paths.length; i += 4) {
    await Promise.all(
      paths.slice(i, i + 4).map(async (path) => {
        const help = await runScript(path, ["--help"]);
        assert.equal(help.code, 0, `${path} --help exited ${help.code}:\n${help.stderr}`);
        assertUsageNamesEveryFlag(help.stdout, `${path} --help`);
        assertCleanFailure(await runScript(path, ["--no-such-flag"]), /--no-such-flag/, 2);
      }),
    );
  }
});
