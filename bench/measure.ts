/**
 * What the benchmark reads about processes: CPU time and memory.
 *
 * @module
 */
import process from "node:process";

/**
 * The CPU seconds (user and system) this process has used so far.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cpuSeconds } from "./measure.ts";
 *
 * assert.ok(cpuSeconds() > 0);
 * ```
 */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
