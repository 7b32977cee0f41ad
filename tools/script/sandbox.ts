/**
 * The sandbox a lab script runs in whenever the course runs it (the grader, the checks,
 * the reports): Deno's own permissions, decided here and nowhere else.
 *
 * - **Permissions are the course's.** A script runs with the flags of the first line of
 *   the reference script of the same name (`labs/lab1/tcp_echo_server.ts` for any
 *   `…/lab1/tcp_echo_server.ts`), never with those its own first line asks for: a
 *   submission that asks for `--allow-write` or `--allow-run=bash` gets neither. A script
 *   of the course with no reference (a tool) runs with its own first line; any other
 *   script (a student's extra one) with no permission.
 * - **The course's files cannot be read**: `--deny-read` of this repository (the grader,
 *   the checks, the reference solutions) and of every folder in `LABS_DENY_READ`
 *   (`:`-separated; the class grader lists the other students' folders there). Deno does
 *   not check permissions for `import`, so this stops `Deno.readFile`, not an import.
 * - **Memory is bounded**: a V8 heap limit, and where `prlimit` exists a limit on the
 *   process's data segment (which also bounds the memory of ArrayBuffers).
 * - **The environment is cleared** to what Deno itself needs (a script has no
 *   `--allow-env` anyway; this keeps tokens of a CI runner out of its process).
 *
 * Time is bounded by whoever waits for the script (every wait in `process.ts` has a
 * deadline, and the grader kills what a check leaves running).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { courseRunFlags, referenceScript } from "./sandbox.ts";
 *
 * // A student's copy anywhere on disk runs with the reference's flags.
 * const copy = "/tmp/someone/lab1/tcp_echo_server.ts";
 * assert.match(referenceScript(copy)!, /labs\/lab1\/tcp_echo_server\.ts$/);
 * assert.deepEqual(await courseRunFlags(copy), ["--allow-net=127.0.0.1"]);
 * ```
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { programPath } from "./host.ts";
import { readRunFlags } from "./run_flags.ts";

/** The course's repository: what a graded script may not read. */
export const COURSE_ROOT: string = fileURLToPath(new URL("../..", import.meta.url));

/** The reference scripts, whose first lines declare what each task's scripts may do. */
export const REFERENCE_LABS: string = join(COURSE_ROOT, "labs");

/** The limits every script runs under. */
export const SCRIPT_LIMITS = {
  /** V8's old-space limit, in MiB: more JavaScript objects end the script ("heap limit"). */
  heapMiB: 512,
  /**
   * The data segment limit, in MiB: bounds ArrayBuffers and the heap together. Every
   * worker's isolate reserves its own code range too, so 2 GiB left a three-worker
   * server (Task 2.5) out of memory before it listened; 4 GiB holds six (eight do not).
   */
  dataMiB: 4096,
} as const;

/**
 * The reference script a script is held to: `labs/<its folder>/<its name>` when that
 * file exists and starts with a `deno run` line, else undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceScript } from "./sandbox.ts";
 *
 * assert.equal(referenceScript("/x/lab1/no_such_task.ts"), undefined);
 * assert.equal(referenceScript("/x/lab1/sensor_protocol.ts"), undefined); // a module
 * ```
 */
export function referenceScript(scriptPath: string): string | undefined {
  const path = join(REFERENCE_LABS, basename(dirname(scriptPath)), basename(scriptPath));
  try {
    const file = Deno.openSync(path);
    try {
      const start = new Uint8Array(2);
      const read = file.readSync(start);
      return read === 2 && start[0] === 0x23 && start[1] === 0x21 ? path : undefined; // "#!"
    } finally {
      file.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * The flags the course declares for a script: its reference's first line, or its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { courseRunFlags } from "./sandbox.ts";
 *
 * const flags = await courseRunFlags("/anywhere/lab1/udp_sender.ts");
 * assert.deepEqual(flags, ["--unstable-net", "--allow-net=127.0.0.1"]);
 * // A script the course has no reference for, from outside the course: no permission at all.
 * assert.deepEqual(await courseRunFlags("/anywhere/lab1/my_extra_tool.ts"), []);
 * ```
 */
export async function courseRunFlags(scriptPath: string): Promise<string[]> {
  const reference = referenceScript(scriptPath);
  if (reference) return await readRunFlags(reference);
  // A script of the course's own (a tool, the checks' helpers) declares its own flags; one
  // from elsewhere that the course does not know (a student's extra script) gets none.
  const inCourse = resolve(scriptPath).startsWith(COURSE_ROOT);
  return inCourse ? await readRunFlags(scriptPath) : [];
}

/**
 * The folders a graded script may not read: this repository, and those in `LABS_DENY_READ`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COURSE_ROOT, deniedReads } from "./sandbox.ts";
 *
 * assert.ok(deniedReads().includes(COURSE_ROOT.replace(/\/$/, "")));
 * ```
 */
export function deniedReads(): string[] {
  const extra = (Deno.env.get("LABS_DENY_READ") ?? "").split(":").filter((dir) => dir !== "");
  return [COURSE_ROOT.replace(/\/$/, ""), ...extra];
}

/**
 * The whole command that runs `scriptPath` in the sandbox: `[prlimit …] deno run
 * --no-config --no-prompt <course flags> <extraFlags> <limits> <script> <args>`.
 * `extraFlags` are those a handout tells students to add (e.g. `--allow-net=10.0.0.1`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sandboxCommand } from "./sandbox.ts";
 *
 * const command = await sandboxCommand("/tmp/a/lab1/udp_sender.ts", ["hi"]);
 * assert.ok(command.includes("--allow-net=127.0.0.1"));
 * assert.ok(command.some((word) => word.startsWith("--deny-read=")));
 * assert.deepEqual(command.slice(-2), ["/tmp/a/lab1/udp_sender.ts", "hi"]);
 * ```
 */
export async function sandboxCommand(
  scriptPath: string,
  args: readonly string[] = [],
  extraFlags: readonly string[] = [],
): Promise<string[]> {
  const graded = referenceScript(scriptPath) !== undefined;
  const limits = [`--v8-flags=--max-old-space-size=${SCRIPT_LIMITS.heapMiB}`];
  // The course's tools read the course's files (the capture tool, the reports); a lab script may not.
  if (graded) limits.push(`--deny-read=${deniedReads().join(",")}`);
  const prlimit = programPath("prlimit");
  const runner = prlimit ? [prlimit, `--data=${SCRIPT_LIMITS.dataMiB * 1024 * 1024}`, "--"] : [];
  return [
    ...runner,
    Deno.execPath(),
    "run",
    // The project's deno.json must not lend a script what the course does not declare.
    "--no-config",
    "--no-prompt",
    ...await courseRunFlags(scriptPath),
    ...extraFlags,
    ...limits,
    scriptPath,
    ...args,
  ];
}

/**
 * What Deno needs of the environment, and nothing else (no tokens, no secrets).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sandboxEnv } from "./sandbox.ts";
 *
 * assert.equal(sandboxEnv().NO_COLOR, "1");
 * assert.ok(Object.keys(sandboxEnv()).every((name) => /^(NO_COLOR|PATH|HOME|DENO_DIR|TMPDIR|LANG)$/.test(name)));
 * ```
 */
export function sandboxEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "TMPDIR", "LANG"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
