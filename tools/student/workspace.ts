/**
 * The student's work folder (`mywork/` by default): where it may be, how `deno task
 * start` fills it from `starters/` and `labs/` without overwriting anything, and how
 * `--reset TASK` puts one task's starters back, keeping the student's files as backups.
 *
 * The folder must sit directly inside the repository, beside `lib/`, because every
 * script in it imports `../../lib/…` as the reference scripts in `labs/labN/` do.
 *
 * @example Fill a folder, then reset a task
 * ```ts
 * import assert from "node:assert/strict";
 * import { findTask } from "./tasks.ts";
 * import { createWorkFolder, REPO_ROOT, resetTask } from "./workspace.ts";
 *
 * const dir = await Deno.makeTempDir({ dir: REPO_ROOT, prefix: ".example-work-" });
 * try {
 *   const first = await createWorkFolder(dir);
 *   assert.ok(first.created.includes("lab1/tcp_echo_server.ts"));
 *   assert.equal((await createWorkFolder(dir)).created.length, 0); // nothing overwritten
 *
 *   await Deno.writeTextFile(`${dir}/lab3/exercises.ts`, "// my answers\n");
 *   const reset = await resetTask(dir, findTask("3.4")!, new Date("2025-01-02T03:04:05Z"));
 *   assert.deepEqual(reset.backups, ["lab3/exercises.ts.bak-2025-01-02T03-04-05Z"]);
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 *
 * @module
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { equals } from "../../lib/bytes.ts";
import { UsageError } from "../../lib/errors.ts";
import { type CourseTask, TASKS } from "./tasks.ts";

/** The repository's top folder. */
export const REPO_ROOT: string = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The folder of the starters: `starters/labN/<file>`. */
export const STARTERS_DIR: string = join(REPO_ROOT, "starters");

/** The folder of the reference scripts, where the modules a task gives come from. */
export const LABS_DIR: string = join(REPO_ROOT, "labs");

/** The work folder used when none is named. */
export const DEFAULT_WORK_DIR = "mywork";

/** The repository's own top folders, which can never be a work folder. */
const COURSE_FOLDERS = new Set(["bench", "labs", "lib", "site", "starters", "tests", "tools"]);

/**
 * The folder the user typed the command in: `deno task` runs its commands from the
 * repository's top folder, and passes the user's own as `INIT_CWD`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { userCwd } from "./workspace.ts";
 *
 * assert.equal(userCwd(), Deno.env.get("INIT_CWD") ?? Deno.cwd());
 * ```
 */
export function userCwd(): string {
  return Deno.env.get("INIT_CWD") ?? Deno.cwd();
}

/**
 * `path` as the user should read it: relative to the folder they typed the command in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shownPath, userCwd } from "./workspace.ts";
 *
 * assert.equal(shownPath(`${userCwd()}/mywork/lab1`), "mywork/lab1");
 * ```
 */
export function shownPath(path: string): string {
  return relative(userCwd(), path) || ".";
}

/**
 * The absolute path of the work folder `path` (relative to `cwd`), checked to be a
 * folder directly inside the repository that is not one of the course's own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { REPO_ROOT, resolveWorkDir } from "./workspace.ts";
 *
 * assert.equal(resolveWorkDir("mywork", REPO_ROOT), `${REPO_ROOT}/mywork`);
 * assert.throws(() => resolveWorkDir("/tmp/mywork", REPO_ROOT), /directly inside/);
 * assert.throws(() => resolveWorkDir("labs", REPO_ROOT), /course's own/);
 * ```
 */
export function resolveWorkDir(path: string, cwd: string): string {
  const dir = resolve(cwd, path);
  if (dirname(dir) !== REPO_ROOT) {
    throw new UsageError(
      `${path}: the work folder must be directly inside the repository ` +
        `(${REPO_ROOT}/${basename(dir)}), so that its scripts' ../../lib/ imports resolve`,
    );
  }
  if (COURSE_FOLDERS.has(basename(dir))) {
    throw new UsageError(`${path}: that is one of the course's own folders; try mywork`);
  }
  return dir;
}

/**
 * Fails with a {@linkcode UsageError} unless work folder `dir` exists.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { REPO_ROOT, requireWorkDir } from "./workspace.ts";
 *
 * await assert.rejects(requireWorkDir(`${REPO_ROOT}/no-such-work`), /deno task start/);
 * ```
 */
export async function requireWorkDir(dir: string): Promise<void> {
  try {
    if ((await Deno.stat(dir)).isDirectory) return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new UsageError(`${shownPath(dir)} does not exist: run deno task start first`);
}

/**
 * Where a task's file comes from: its starter for a file the student writes, the
 * reference module for one the task gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findTask } from "./tasks.ts";
 * import { sourceOf } from "./workspace.ts";
 *
 * const task = findTask("3.4")!;
 * assert.match(sourceOf(task, "exercises.ts"), /starters\/lab3\/exercises\.ts$/);
 * assert.match(sourceOf(task, "count_bits.ts"), /labs\/lab3\/count_bits\.ts$/);
 * ```
 */
export function sourceOf(task: CourseTask, name: string): string {
  if (task.write.includes(name)) return join(STARTERS_DIR, `lab${task.lab}`, name);
  if (task.given.includes(name)) return join(LABS_DIR, `lab${task.lab}`, name);
  throw new Error(`task ${task.id} neither writes nor gives ${name}`);
}

/** The files of `task` that its starter set holds, as `labN/name`. */
function ownFiles(task: CourseTask): string[] {
  return [...task.write, ...task.given].map((name) => `lab${task.lab}/${name}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** What {@linkcode createWorkFolder} did, file by file (`labN/name`). */
export interface CreatedFolder {
  /** Files copied in. */
  created: string[];
  /** Files already there, left as they were. */
  kept: string[];
}

/**
 * Copies every task's starters and given modules into `dir`, creating the folders it
 * needs; a file that is already there is kept as it is, never overwritten.
 */
export async function createWorkFolder(dir: string): Promise<CreatedFolder> {
  const result: CreatedFolder = { created: [], kept: [] };
  for (const task of TASKS) {
    for (const file of ownFiles(task)) {
      const target = join(dir, file);
      if (await exists(target)) {
        result.kept.push(file);
        continue;
      }
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.copyFile(sourceOf(task, basename(file)), target);
      result.created.push(file);
    }
  }
  return result;
}

/** What {@linkcode resetTask} did (`labN/name` paths). */
export interface ResetTask {
  /** Files put back as the starter set has them. */
  restored: string[];
  /** The backups of the student's versions that differed. */
  backups: string[];
}

/** `when` as a file-name-safe stamp: `2025-01-02T03-04-05Z`. */
function stamp(when: Date): string {
  return when.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
}

/**
 * Puts `task`'s starters and given modules back in `dir`. A file the student changed
 * is first renamed to `<file>.bak-<time>` (never overwriting an older backup).
 */
export async function resetTask(
  dir: string,
  task: CourseTask,
  when = new Date(),
): Promise<ResetTask> {
  const result: ResetTask = { restored: [], backups: [] };
  for (const file of ownFiles(task)) {
    const target = join(dir, file);
    const source = sourceOf(task, basename(file));
    if (await exists(target)) {
      const [mine, original] = await Promise.all([Deno.readFile(target), Deno.readFile(source)]);
      if (equals(mine, original)) continue; // already the starter: nothing to restore
      let backup = `${file}.bak-${stamp(when)}`;
      for (let n = 2; await exists(join(dir, backup)); n++) {
        backup = `${file}.bak-${stamp(when)}-${n}`;
      }
      await Deno.rename(target, join(dir, backup));
      result.backups.push(backup);
    }
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.copyFile(source, target);
    result.restored.push(file);
  }
  return result;
}
