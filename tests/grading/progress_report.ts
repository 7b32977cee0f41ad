/**
 * The student's progress as text: one row per task (points and how far along it is), a
 * summary per lab, and what to do next. `deno task progress` prints all of it;
 * `deno task watch` prints the summary of the lab it just graded and the next task.
 *
 * Points come from the progress file for the tasks graded so far; a task not graded yet
 * shows the points its checks are worth on this machine (checks that need a missing
 * program or root are left out, as the grader leaves them out of its total).
 *
 * @module
 */
import type { LabCheck } from "../harness/checks.ts";
import {
  describeNext,
  isDone,
  nextTask,
  type Progress,
  type TaskResult,
} from "../../tools/student/progress.ts";
import { type CourseTask, TASKS } from "../../tools/student/tasks.ts";
import { runnablePoints } from "./catalog.ts";

/** A task's points and state, from its last grading or, before that, from its checks. */
interface TaskStanding {
  task: CourseTask;
  result: TaskResult | undefined;
  max: number;
}

function standings(progress: Progress, checks: readonly LabCheck[]): TaskStanding[] {
  return TASKS.map((task) => {
    const result = progress.tasks[task.id];
    return { task, result, max: result?.max ?? runnablePoints(checks, task.id) };
  });
}

function status({ result, max }: TaskStanding): string {
  if (result === undefined) return max === 0 ? "cannot run here" : "not graded yet";
  if (isDone(result)) return "done";
  return `${result.passed} of ${result.passed + result.failed} checks pass`;
}

function summary(label: string, rows: TaskStanding[]): string {
  const done = rows.filter((row) => isDone(row.result)).length;
  const score = rows.reduce((sum, row) => sum + (row.result?.score ?? 0), 0);
  const max = rows.reduce((sum, row) => sum + row.max, 0);
  return `${label}: ${done} of ${rows.length} tasks done, ${score} / ${max} points`;
}

/** One line: the tasks of `lab` done and their points, e.g. `Lab 1: 2 of 10 tasks done, …`. */
export function labSummary(lab: number, progress: Progress, checks: readonly LabCheck[]): string {
  return summary(`Lab ${lab}`, standings(progress, checks).filter((row) => row.task.lab === lab));
}

/** The table of every task: points and state, lab by lab, then the total. */
export function progressTable(progress: Progress, checks: readonly LabCheck[]): string {
  const rows = standings(progress, checks);
  const width = Math.max(...rows.map((row) => row.task.title.length));
  const lines: string[] = [];
  for (const lab of new Set(rows.map((row) => row.task.lab))) {
    const inLab = rows.filter((row) => row.task.lab === lab);
    lines.push(`Lab ${lab}`, `  ${"Task".padEnd(5)} ${"Title".padEnd(width)}  Points    State`);
    for (const row of inLab) {
      const points = `${row.result?.score ?? "-"} / ${row.max}`;
      const title = row.task.title.padEnd(width);
      lines.push(`  ${row.task.id.padEnd(5)} ${title}  ${points.padEnd(9)} ${status(row)}`);
    }
    lines.push(`  ${summary(`Lab ${lab}`, inLab)}`, "");
  }
  lines.push(summary("All labs", rows));
  return lines.join("\n");
}

/**
 * What to do next: the first task not done whose checks can run here (see
 * `nextTask`), with its files in work folder `dir` (as the user should see its path).
 */
export function nextSteps(progress: Progress, checks: readonly LabCheck[], dir: string): string {
  const gradable = (task: CourseTask) => runnablePoints(checks, task.id) > 0;
  return describeNext(nextTask(progress, gradable), dir).join("\n");
}
