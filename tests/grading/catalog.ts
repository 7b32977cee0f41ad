/**
 * The graded checks as the grader and its front ends see them: every check that a
 * `tests/checks/labN/*_test.ts` file exports, in the order the grader runs and prints
 * them (by lab, by task, then behaviour, contract and interoperability checks).
 *
 * `tests/grade.ts` runs them; `tests/watch.ts` and `tests/progress.ts` use the same list
 * to know each task's checks and points.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type CheckKind, type LabCheck, unmetRequirement } from "../harness/checks.ts";

const CHECKS_DIR = fileURLToPath(new URL("../checks", import.meta.url));

/** Imports every `tests/checks/labN/*_test.ts` and collects the checks they export. */
export async function loadChecks(): Promise<LabCheck[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(CHECKS_DIR)) {
    if (!entry.isDirectory || !/^lab\d+$/.test(entry.name)) continue;
    for await (const file of Deno.readDir(`${CHECKS_DIR}/${entry.name}`)) {
      if (file.isFile && file.name.endsWith("_test.ts")) files.push(`${entry.name}/${file.name}`);
    }
  }
  const checks: LabCheck[] = [];
  for (const file of files.sort()) {
    const module = await import(`../checks/${file}`);
    if (Array.isArray(module.checks)) checks.push(...module.checks);
  }
  return checks.sort((a, b) =>
    a.lab - b.lab || compareTasks(a.task, b.task) || kindRank(a) - kindRank(b)
  );
}

/** Orders task ids as the handouts do: `1.2` before `1.10`, numbers before `D1`. */
export function compareTasks(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Within a task: behaviour first, then the script contract, then interoperability. */
const KIND_ORDER: CheckKind[] = ["behaviour", "contract", "interoperability"];

function kindRank(check: LabCheck): number {
  return KIND_ORDER.indexOf(check.kind ?? "behaviour");
}

/** The points of a task's checks that can run on this machine, as the grader counts them. */
export function runnablePoints(checks: readonly LabCheck[], task: string): number {
  return checks
    .filter((check) => check.task === task && unmetRequirement(check) === undefined)
    .reduce((sum, check) => sum + check.points, 0);
}
