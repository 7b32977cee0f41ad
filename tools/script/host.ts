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
