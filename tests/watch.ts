/**
 * `deno task watch`: grades a task again each time you save one of its files in your
 * work folder, shows its checks with their hints, your progress in that lab and the
 * next task, and records the result in the folder's progress file (`progress.json`,
 * which `deno task progress` prints).
 *
 *   deno task watch                   # mywork/
 *   deno task watch --dir other
 *
 * Saves that come close together (an editor writes a file in several steps) are graded
 * once, 200 ms after the last; a save during a grading is graded when it ends. Each
 * grading is `deno task grade --dir DIR --task T` in a process of its own: the checks
 * import some of your files as modules (exercises.ts, game_wire.ts), and a process
 * imports a module once, so a grader that stayed running would keep your first version.
 *
 * @module
 */
import { join, relative } from "node:path";
import { exitOnSignal, parseCommandLine, runMain } from "../lib/cli.ts";
import {
  type Progress,
  readProgress,
  recordResult,
  writeProgress,
} from "../tools/student/progress.ts";
import { findTask, TASKS, tasksOfFile } from "../tools/student/tasks.ts";
import {
  DEFAULT_WORK_DIR,
  REPO_ROOT,
  requireWorkDir,
  resolveWorkDir,
  shownPath,
  userCwd,
} from "../tools/student/workspace.ts";
import { loadChecks, runnablePoints } from "./grading/catalog.ts";
import { labSummary, nextSteps } from "./grading/progress_report.ts";
import { taskResults } from "./grading/results.ts";

const { values } = parseCommandLine({
  summary: "Grades a task again each time you save one of its files, and keeps your progress.",
  name: "deno task watch",
  options: {
    dir: { default: DEFAULT_WORK_DIR, description: "your work folder (deno task start made it)" },
  },
});

/** How long a burst of file events may last before its tasks are graded. */
const DEBOUNCE_MS = 200;
/** Where the grader writes its results for us (its own JSON), in the work folder. */
const RESULTS_FILE = ".grading.json";

await runMain(async () => {
  const dir = resolveWorkDir(values.dir, userCwd());
  await requireWorkDir(dir);
  const shown = shownPath(dir);
  const checks = await loadChecks();
  let progress: Progress = await readProgress(dir);
  let grader: Deno.ChildProcess | undefined;

  const watcher = Deno.watchFs(dir, { recursive: true });
  exitOnSignal(() => {
    watcher.close();
    grader?.kill("SIGTERM");
  });
  const waiting = () => console.log(`\nWatching ${shown}/: save a file to grade its task.`);
  console.log(nextSteps(progress, checks, shown));
  waiting();

  /** Runs the grader on one task and records how it went. */
  async function grade(id: string, file: string): Promise<void> {
    const task = findTask(id)!;
    const label = /^\d/.test(id) ? `Task ${id}` : id;
    console.log(`\n── ${label} — ${task.title} (${file} changed) ──`);
    if (runnablePoints(checks, id) === 0) {
      console.log("None of its checks can run on this machine (they need root or a program).");
      return;
    }
    const results = join(dir, RESULTS_FILE);
    await Deno.remove(results).catch(() => {});
    grader = new Deno.Command("deno", {
      args: ["task", "--quiet", "grade", "--dir", dir, "--task", id, "--results", results],
      cwd: REPO_ROOT,
      stdin: "null",
    }).spawn();
    const { code } = await grader.status;
    grader = undefined;
    let json: string;
    try {
      json = await Deno.readTextFile(results);
      await Deno.remove(results);
    } catch {
      console.log(`The grader stopped before the end (exit code ${code}).`);
      return;
    }
    const result = taskResults(json, new Date()).get(id);
    if (result === undefined) return;
    progress = recordResult(progress, id, result);
    await writeProgress(dir, progress);
    console.log(`\n${labSummary(task.lab, progress, checks)}`);
    console.log(nextSteps(progress, checks, shown));
  }

  // The tasks whose files changed, each with one of those files (to name it).
  const pending = new Map<string, string>();
  let grading: Promise<void> | undefined;
  async function gradePending(): Promise<void> {
    while (pending.size > 0) {
      const task = TASKS.find((task) => pending.has(task.id))!;
      const file = pending.get(task.id)!;
      pending.delete(task.id);
      await grade(task.id, file);
    }
    waiting();
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  for await (const event of watcher) {
    if (event.kind === "access" || event.kind === "other") continue;
    for (const path of event.paths) {
      const file = relative(dir, path);
      for (const task of tasksOfFile(file)) pending.set(task.id, file);
    }
    if (pending.size === 0) continue;
    clearTimeout(timer);
    timer = setTimeout(() => {
      grading ??= gradePending().finally(() => grading = undefined);
    }, DEBOUNCE_MS);
  }
});
