/**
 * The course's checks, as the grader finds them: every `tests/checks/labN/*_test.ts`
 * exports `checks` made with `defineChecks`; they are listed lab by lab, task by task,
 * behaviour before the script contract before interoperability.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type CheckKind, type LabCheck, unmetRequirement } from "../harness/checks.ts";

const CHECKS_DIR = fileURLToPath(new URL("../checks", import.meta.url));

/** Imports every check file and returns the checks in the order the grader runs them. */
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
    if (Array.isArray(module.checks)) {
      checks.push(...module.checks.map((check: LabCheck) => ({ ...check, file })));
    }
  }
  return checks.sort((a, b) =>
    a.lab - b.lab || compareTasks(a.task, b.task) || kindRank(a) - kindRank(b)
  );
}

/** Task numbers in the handouts' order: 1.2 before 1.10, D1 after the numbered ones. */
export function compareTasks(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Within a task: behaviour first, then the script contract, then interoperability. */
const KIND_ORDER: CheckKind[] = ["behaviour", "contract", "interoperability"];

function kindRank(check: LabCheck): number {
  return KIND_ORDER.indexOf(check.kind ?? "behaviour");
}

/** Which checks to run: all of them, or those of a lab, a task or one check id. */
export interface Selection {
  lab?: string;
  task?: string;
  check?: string;
}

/** The checks that match `selection` (every given field must match). */
export function selectChecks(all: LabCheck[], selection: Selection): LabCheck[] {
  return all.filter((check) =>
    (selection.lab === undefined || String(check.lab) === selection.lab) &&
    (selection.task === undefined || check.task === selection.task) &&
    (selection.check === undefined || check.id === selection.check)
  );
}

/** The points of a task's checks that can run on this machine, as the grader counts them. */
export function runnablePoints(checks: readonly LabCheck[], task: string): number {
  return checks
    .filter((check) => check.task === task && unmetRequirement(check) === undefined)
    .reduce((sum, check) => sum + check.points, 0);
}
