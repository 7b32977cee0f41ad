/**
 * Reads back what the grader wrote with `--results FILE` (its own JSON: one entry per
 * check with its task, status, score and points) as one result per task, the form the
 * student's progress file keeps (`tools/student/progress.ts`). Skipped checks count for
 * nothing, as in the grader's total; a check not run (its script is missing or does not
 * start) counts as failed.
 *
 * @module
 */
import type { TaskResult } from "../../tools/student/progress.ts";

/** One check of the grader's JSON results. */
interface GradedCheck {
  task: string;
  status: "passed" | "failed" | "skipped" | "not run";
  score: number;
  points: number;
}

/** The result of every task in the grader's JSON results, graded at `graded`. */
export function taskResults(json: string, graded: Date): Map<string, TaskResult> {
  const { checks } = JSON.parse(json) as { checks: GradedCheck[] };
  const results = new Map<string, TaskResult>();
  for (const check of checks) {
    if (check.status === "skipped") continue;
    const result = results.get(check.task) ??
      { score: 0, max: 0, passed: 0, failed: 0, graded: graded.toISOString() };
    result.score += check.score;
    result.max += check.points;
    if (check.status === "passed") result.passed++;
    else result.failed++;
    results.set(check.task, result);
  }
  return results;
}
