/**
 * A guard over every reference script in `labs/` and every tool in `tools/`: a file whose
 * first line is a `deno run` shebang must be executable (so `./labs/lab1/x.ts` runs it),
 * must not ask for more than a lab task needs, must answer `--help` with a usage line that
 * names each of its flags, and must reject an unknown flag in one line. Modules (no shebang) are not scripts: in `labs/`, each is
 * imported by a script of its lab, and its name does not read as a script's.
 *
 * @module
 */
import assert from "node:assert/strict";
import { REFERENCE_DIR, TOOLS_DIR } from "../../harness/checks.ts";
import { assertCleanFailure, assertUsageNamesEveryFlag } from "../../harness/expect.ts";
import { eachAtMost } from "../../harness/pool.ts";
import { runScript } from "../../../tools/script/process.ts";
import {
  overlyBroadFlags,
  parseRunFlags,
  SHEBANG_PREFIX,
} from "../../../tools/script/run_flags.ts";

/** Every `.ts` file below `dir` (starters and other sub-folders included). */
async function* typescriptFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* typescriptFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

async function* labScripts(): AsyncGenerator<string> {
  for (const dir of [REFERENCE_DIR, TOOLS_DIR]) {
    for await (const path of typescriptFiles(dir)) {
      if ((await Deno.readTextFile(path)).startsWith("#!")) yield path;
    }
  }
}

/** Names that say "run me": a module named like this would be mistaken for a script. */
const SCRIPT_ROLE = /_(server|client|sender|receiver|collector|proxy|generator)\.ts$/;

Deno.test("every module in labs/ reads as a module and serves a script of its lab", async () => {
  let modules = 0;
  for await (const lab of Deno.readDir(REFERENCE_DIR)) {
    if (!lab.isDirectory) continue;
    const dir = `${REFERENCE_DIR}/${lab.name}`;
    const sources = new Map<string, string>();
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".ts")) {
        sources.set(entry.name, await Deno.readTextFile(`${dir}/${entry.name}`));
      }
    }
    for (const [name, source] of sources) {
      if (source.startsWith("#!")) continue;
      modules++;
      assert.doesNotMatch(name, SCRIPT_ROLE, `${lab.name}/${name} is a module named like a script`);
      const users = [...sources].filter(([, other]) => other.includes(`"./${name}"`));
      assert.ok(users.length > 0, `${lab.name}/${name} is a module no file of its lab imports`);
    }
  }
  assert.ok(modules >= 5, `found only ${modules} modules`);
});

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

Deno.test("every script answers --help with a usage line naming each flag, and rejects an unknown flag in one line", async () => {
  const scripts: string[] = [];
  for await (const path of labScripts()) scripts.push(path);
  // A few at a time: each is a Deno process of its own.
  await eachAtMost(scripts, 4, async (path) => {
    const help = await runScript(path, ["--help"]);
    assert.equal(help.code, 0, `${path} --help exited ${help.code}:\n${help.stderr}`);
    assertUsageNamesEveryFlag(help.stdout, `${path} --help`);
    assertCleanFailure(await runScript(path, ["--no-such-flag"]), /--no-such-flag/, 2);
  });
});
