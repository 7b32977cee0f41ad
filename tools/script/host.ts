/**
 * What this machine offers a check or a tool: programs on PATH, and whether we are root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasProgram } from "./host.ts";
 *
 * assert.equal(hasProgram("surely-no-such-program"), false);
 * ```
 *
 * @module
 */

const seen = new Map<string, string | undefined>();

/** Whether a program can be found on PATH (cached: it does not change during a run). */
export function hasProgram(name: string): boolean {
  return programPath(name) !== undefined;
}

/**
 * Where a program is on PATH, or undefined (cached). A command that runs under another
 * PATH (a check may hide programs from a script) names its programs by this full path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { programPath } from "./host.ts";
 *
 * assert.equal(programPath("surely-no-such-program"), undefined);
 * ```
 */
export function programPath(name: string): string | undefined {
  if (!seen.has(name)) {
    const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((dir) => dir !== "");
    seen.set(name, dirs.map((dir) => `${dir}/${name}`).find(isFile));
  }
  return seen.get(name);
}

/**
 * The file to start for program `name`: for `python3`, the interpreter itself, asked once
 * (where `python3` on PATH is a version manager's shim, as pyenv's is, each start first
 * runs a dozen shell processes: about 0.4 s of CPU, dozens of times per graded lab); any
 * other program as named.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { programToStart } from "./host.ts";
 *
 * assert.equal(programToStart("sleep"), "sleep");
 * ```
 */
export function programToStart(name: string): string {
  if (name !== "python3" || !hasProgram(name)) return name;
  if (!interpreters.has(name)) {
    const { success, stdout } = new Deno.Command(name, {
      args: ["-c", "import sys; print(sys.executable)"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const path = new TextDecoder().decode(stdout).trim();
    interpreters.set(name, success && isFile(path) ? path : name);
  }
  return interpreters.get(name)!;
}

const interpreters = new Map<string, string>();

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Whether this process runs as root (false where the user id cannot be read). */
export function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}
