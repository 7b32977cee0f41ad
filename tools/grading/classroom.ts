/**
 * How GitHub Classroom's workflow and the grader name a task's results: the grader writes
 * one output per task (`task-1-1=<results>`) and the workflow hands each to the grading
 * reporter as `TASK-1-1_RESULTS`, listing `task-1-1` among its runners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classroomRunner } from "./classroom.ts";
 *
 * assert.equal(classroomRunner("1.1"), "task-1-1");
 * assert.equal(classroomRunner("D1"), "task-d1");
 * ```
 *
 * @module
 */

/** The id of a task's results in the Classroom workflow: `task-1-1`, `task-d1`. */
export function classroomRunner(task: string): string {
  return `task-${task.toLowerCase().replace(/[^a-z0-9]/g, "-")}`;
}
