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

const seen = new Map<string, boolean>();

/** Whether a program can be found on PATH (cached: it does not change during a run). */
export function hasProgram(name: string): boolean {
  if (!seen.has(name)) {
    const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((dir) => dir !== "");
    seen.set(name, dirs.some((dir) => isFile(`${dir}/${name}`)));
  }
  return seen.get(name)!;
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
