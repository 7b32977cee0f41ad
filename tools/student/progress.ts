/**
 * The student's progress: a small JSON file in the work folder (`mywork/progress.json`)
 * that `deno task watch` updates each time it grades a task, and that `deno task
 * progress` and `deno task start` read to say what is done and what is next.
 *
 * ```json
 * {
 *   "version": 1,
 *   "tasks": {
 *     "1.1": { "score": 17, "max": 17, "passed": 11, "failed": 0,
 *              "graded": "2025-01-02T03:04:05.000Z" }
 *   }
 * }
 * ```
 *
 * `max` counts the checks that ran (those that need a missing program are left out, as
 * the grader leaves them out of its total); a task is done when it scored all of it.
 *
 * @example Record a graded task and ask what is next
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyProgress, nextTask, parseProgress, recordResult } from "./progress.ts";
 *
 * const graded = "2025-01-02T03:04:05.000Z";
 * let progress = recordResult(emptyProgress(), "1.1",
 *   { score: 17, max: 17, passed: 11, failed: 0, graded });
 * assert.equal(nextTask(progress)?.id, "1.2");
 * progress = parseProgress(JSON.stringify(progress)); // what the file holds reads back
 * assert.equal(progress.tasks["1.1"].score, 17);
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { type CourseTask, filesOf, TASKS } from "./tasks.ts";

/** The progress file's name in the work folder. */
export const PROGRESS_FILE = "progress.json";

/** How the last grading of one task went. */
export interface TaskResult {
  /** Points scored. */
  score: number;
  /** Points of the checks that ran. */
  max: number;
  /** Checks passed. */
  passed: number;
  /** Checks failed. */
  failed: number;
  /** When it was graded (ISO 8601). */
  graded: string;
}

/** What the progress file holds. */
export interface Progress {
  /** The file's format; 1 is the only one so far. */
  version: 1;
  /** The last result of every task graded, by task id. */
  tasks: Record<string, TaskResult>;
}

/** The progress file of `dir`, as text it cannot read. */
export class ProgressError extends Error {
  /** The error's name, as `error.name` reads it. */
  override name = "ProgressError";
}

/**
 * Progress with nothing graded yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyProgress } from "./progress.ts";
 *
 * assert.deepEqual(emptyProgress(), { version: 1, tasks: {} });
 * ```
 */
export function emptyProgress(): Progress {
  return { version: 1, tasks: {} };
}

const RESULT_FIELDS = ["score", "max", "passed", "failed"] as const;

/**
 * Reads the text of a progress file, checking every field; a {@linkcode ProgressError}
 * says what is wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProgress } from "./progress.ts";
 *
 * assert.deepEqual(parseProgress('{"version": 1, "tasks": {}}').tasks, {});
 * assert.throws(() => parseProgress('{"version": 2, "tasks": {}}'), /version/);
 * assert.throws(() => parseProgress("{"), /not JSON/);
 * ```
 */
export function parseProgress(text: string): Progress {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProgressError("not JSON");
  }
  const { version, tasks } = Object(data);
  if (version !== 1) throw new ProgressError(`unknown version ${JSON.stringify(version)}`);
  if (typeof tasks !== "object" || tasks === null || Array.isArray(tasks)) {
    throw new ProgressError('"tasks" must be an object');
  }
  const checked: Record<string, TaskResult> = {};
  for (const [id, result] of Object.entries(tasks)) {
    const fields = Object(result);
    for (const field of RESULT_FIELDS) {
      if (!Number.isInteger(fields[field]) || fields[field] < 0) {
        throw new ProgressError(`task ${id}: "${field}" must be a whole number`);
      }
    }
    if (typeof fields.graded !== "string" || Number.isNaN(Date.parse(fields.graded))) {
      throw new ProgressError(`task ${id}: "graded" must be a date`);
    }
    const { score, max, passed, failed, graded } = fields;
    checked[id] = { score, max, passed, failed, graded };
  }
  return { version, tasks: checked };
}

/**
 * The progress recorded in work folder `dir`: nothing graded when it has no progress
 * file yet; a {@linkcode ProgressError} naming the file when it cannot be read.
 */
export async function readProgress(dir: string): Promise<Progress> {
  const path = join(dir, PROGRESS_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return emptyProgress();
    throw error;
  }
  try {
    return parseProgress(text);
  } catch (error) {
    throw new ProgressError(
      `${path}: ${(error as Error).message} (delete it to start the record over)`,
    );
  }
}

/** Writes `progress` to work folder `dir`, whole or not at all (a new file, renamed). */
export async function writeProgress(dir: string, progress: Progress): Promise<void> {
  const path = join(dir, PROGRESS_FILE);
  const partial = `${path}.partial`;
  await Deno.writeTextFile(partial, JSON.stringify(progress, null, 2) + "\n");
  await Deno.rename(partial, path);
}

/**
 * `progress` with `result` as task `id`'s latest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyProgress, recordResult } from "./progress.ts";
 *
 * const result = { score: 3, max: 17, passed: 2, failed: 9, graded: new Date().toISOString() };
 * assert.equal(recordResult(emptyProgress(), "1.1", result).tasks["1.1"], result);
 * ```
 */
export function recordResult(progress: Progress, id: string, result: TaskResult): Progress {
  return { ...progress, tasks: { ...progress.tasks, [id]: result } };
}

/**
 * Whether a result is a finished task: every check that ran passed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDone } from "./progress.ts";
 *
 * const graded = new Date().toISOString();
 * assert.equal(isDone({ score: 5, max: 5, passed: 2, failed: 0, graded }), true);
 * assert.equal(isDone({ score: 3, max: 5, passed: 1, failed: 1, graded }), false);
 * assert.equal(isDone(undefined), false);
 * ```
 */
export function isDone(result: TaskResult | undefined): boolean {
  return result !== undefined && result.max > 0 && result.failed === 0;
}

/**
 * The task to work on next: the first task not done, in the handouts' order, the
 * optional ones after all the others; `undefined` when all are done. Tasks for which
 * `gradable` says no (none of their checks can run here) are passed over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyProgress, nextTask } from "./progress.ts";
 *
 * assert.equal(nextTask(emptyProgress())?.id, "1.1");
 * assert.equal(nextTask(emptyProgress(), (task) => task.id !== "1.1")?.id, "1.2");
 * ```
 */
export function nextTask(
  progress: Progress,
  gradable: (task: CourseTask) => boolean = () => true,
): CourseTask | undefined {
  const open = TASKS.filter((task) => gradable(task) && !isDone(progress.tasks[task.id]));
  return open.find((task) => !task.optional) ?? open[0];
}

/**
 * What to do next, in a few lines: the task, the files to write in work folder `dir`
 * (as the user should see its path, e.g. `mywork`), and the handout section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeNext } from "./progress.ts";
 * import { findTask } from "./tasks.ts";
 *
 * assert.deepEqual(describeNext(findTask("2.4"), "mywork"), [
 *   "Next: Task 2.4 — Byte order",
 *   "  write   mywork/lab2/wire_order.ts",
 *   "  read    the handout, /lab2/task-2-4#task-2-4 (deno task serve opens the site)",
 * ]);
 * assert.deepEqual(describeNext(undefined, "mywork"), ["Every task is done. Well done!"]);
 * ```
 */
export function describeNext(task: CourseTask | undefined, dir: string): string[] {
  if (task === undefined) return ["Every task is done. Well done!"];
  const label = /^\d/.test(task.id) ? `Task ${task.id}` : task.id;
  return [
    `Next: ${label} — ${task.title}`,
    `  write   ${filesOf(task).map((file) => `${dir}/${file}`).join(", ")}`,
    `  read    the handout, ${task.handout} (deno task serve opens the site)`,
  ];
}
