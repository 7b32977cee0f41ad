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

/**
 * A file of `/proc`, read by `cat`: Deno lets a program read those files itself only
 * with every permission (`--allow-all`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readProcFile } from "./measure.ts";
 *
 * assert.match(await readProcFile("/proc/cpuinfo"), /processor/);
 * ```
 */
export async function readProcFile(path: string): Promise<string> {
  const output = await new Deno.Command("cat", { args: [path], stderr: "piped" }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr).trim());
  return new TextDecoder().decode(output.stdout);
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * The CPU seconds (user and system, all threads) process `pid` has used so far, from
 * `/proc/<pid>/stat` (Linux).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processCpuSeconds } from "./measure.ts";
 *
 * assert.ok(await processCpuSeconds(Deno.pid) >= 0);
 * ```
 */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readProcFile(`/proc/${pid}/stat`);
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [user, system] = [fields[11], fields[12]].map(Number); // utime, stime
  return (user + system) / TICKS_PER_SECOND;
}

/**
 * The most memory process `pid` has held in RAM since it started (its peak resident set,
 * `VmHWM` in `/proc/<pid>/status`), in MiB.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peakResidentMiB } from "./measure.ts";
 *
 * assert.ok(await peakResidentMiB(Deno.pid) > 1);
 * ```
 */
export async function peakResidentMiB(pid: number): Promise<number> {
  const status = await readProcFile(`/proc/${pid}/status`);
  const kib = status.match(/^VmHWM:\s+(\d+) kB/m);
  if (!kib) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib[1]) / 1024;
}

/**
 * The middle value (the mean of the two middle ones for an even count).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./measure.ts";
 *
 * assert.equal(median([3, 1, 2]), 2);
 * assert.equal(median([4, 1, 2, 3]), 2.5);
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The best of five runs of `loop(loops)` (which returns the milliseconds it took), in
 * nanoseconds per iteration: the least disturbed by other work, as CPython's `timeit`
 * reports it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestNanoseconds } from "./measure.ts";
 *
 * const loop = (n: number) => {
 *   const started = performance.now();
 *   for (let i = 0; i < n; i++) Math.sqrt(i);
 *   return performance.now() - started;
 * };
 * assert.ok(bestNanoseconds(loop, 1000) < 1e6);
 * ```
 */
export function bestNanoseconds(loop: (n: number) => number, loops: number): number {
  let best = Infinity;
  for (let repeat = 0; repeat < 5; repeat++) best = Math.min(best, (loop(loops) * 1e6) / loops);
  return best;
}
