/**
 * The layout's promise, checked on every import: `labs → lib`, `tools → lib, labs`,
 * `site → lib, tools`, `bench → lib, tools`, and nothing outside `tests/` imports from it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The top-level folders each folder may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  labs: ["lib"],
  lib: [],
  tools: ["lib", "labs"],
  site: ["lib", "tools"],
  bench: ["lib", "tools"],
};

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']/gm;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    if (["node_modules", "cache", "dist"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.(ts|vue)$/.test(entry.name)) yield path;
  }
}

/** The top-level folder a relative import of `file` lands in, if it leaves the file's own. */
export function importedFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined; // node:, npm packages, bare names
  const target = normalize(join(dirname(file), specifier));
  return relative(ROOT, join(ROOT, target)).split("/")[0];
}

Deno.test("imports point one way: labs → lib, tools → lib and labs, nothing into tests/", async () => {
  const wrong: string[] = [];
  let imports = 0;
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    for await (const file of sourceFiles(folder)) {
      const source = await Deno.readTextFile(join(ROOT, file));
      for (const match of source.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2];
        const target = importedFolder(file, specifier);
        if (target === undefined) continue;
        imports++;
        if (target !== folder && !allowed.includes(target)) {
          wrong.push(`${file} imports ${specifier} (${folder}/ may import ${allowed.join(", ")})`);
        }
      }
    }
  }
  assert.ok(imports > 100, `found only ${imports} relative imports: is the scan broken?`);
  assert.deepEqual(wrong, []);
});

Deno.test("the import scan sees a forbidden import", () => {
  assert.equal(
    importedFolder("tools/capture/capture.ts", "../../tests/harness/checks.ts"),
    "tests",
  );
  assert.equal(importedFolder("labs/lab1/a.ts", "../../lib/cli.ts"), "lib");
  assert.equal(importedFolder("labs/lab1/a.ts", "./sensor_protocol.ts"), "labs");
  assert.equal(importedFolder("labs/lab1/a.ts", "node:util"), undefined);
});
