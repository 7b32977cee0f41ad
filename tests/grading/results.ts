/**
 * Reads back what the grader wrote with `--gradescope FILE` (one entry per check that
 * ran, with its task, score and status; skipped checks are not in it) as one result per
 * task, the form the student's progress file keeps (`tools/student/progress.ts`).
 *
 * @module
 */
import type { TaskResult } from "../../tools/student/progress.ts";

/** One check's entry in Gradescope's results.json, as `tests/grade.ts` writes it. */
interface GradescopeTest {
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
}

/** The result of every task in a Gradescope results.json text, graded at `graded`. */
export function taskResults(json: string, graded: Date): Map<string, TaskResult> {
  const { tests } = JSON.parse(json) as { tests: GradescopeTest[] };
  const results = new Map<string, TaskResult>();
  for (const test of tests) {
    const result = results.get(test.number) ??
      { score: 0, max: 0, passed: 0, failed: 0, graded: graded.toISOString() };
    result.score += test.score;
    result.max += test.max_score;
    if (test.status === "passed") result.passed++;
    else result.failed++;
    results.set(test.number, result);
  }
  return results;
}
