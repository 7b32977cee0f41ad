/**
 * The grader: runs the graded checks against a folder of scripts laid out like `labs/`
 * and prints one row per check with its points, a hint for each failure, and the total.
 *
 *   deno task grade                          # the reference scripts: full marks
 *   deno task grade --dir mywork --lab 1     # your own lab1/*.ts
 *   deno task grade --task 1.4               # one task's checks
 *   deno task grade --dir mywork --task D1 --own-design  # your own Deliverable 1 protocol
 *   deno task grade --junit out.xml --gradescope results.json
 *
 * Exit code: 0 for full marks, 1 when a check failed, 2 for a usage error.
 *
 * @module
 */
import { resolve } from "node:path";
import { parseCommandLine, runMain, UsageError } from "../lib/cli.ts";
import {
  CheckContext,
  type LabCheck,
  REFERENCE_DIR,
  unmetRequirement,
} from "./harness/checks.ts";
import { loadChecks } from "./grading/catalog.ts";

const CHECK_TIMEOUT_MS = 60_000;

/** How one check went. */
interface Outcome {
  check: LabCheck;
  status: "passed" | "failed" | "skipped";
  score: number;
  seconds: number;
  /** Why it failed or was skipped. */
  detail: string;
}

const { values } = parseCommandLine({
  summary: "Grades lab scripts with the course's checks and prints points per check.",
  usage: "deno task grade [--dir DIR] [--lab N] [--task T] [--check ID] [--junit FILE] " +
    "[--gradescope FILE] [--list] [--json]",
  options: {
    dir: { description: "folder laid out like labs/ (lab1/…); default: the reference labs/" },
    lab: { description: "grade only this lab (e.g. 1)" },
    task: { description: "grade only this task's checks (e.g. 1.4)" },
    check: { description: "run only the check with this id" },
    junit: { description: "also write the results as JUnit XML to this file" },
    gradescope: { description: "also write Gradescope's results.json to this file" },
    "own-design": {
      type: "boolean",
      description: "you designed your own protocol: leave out the checks of the course's design",
    },
    list: { type: "boolean", description: "list the checks instead of running them" },
    json: { type: "boolean", description: "with --list: print the list as JSON" },
  },
});

function selectChecks(all: LabCheck[]): LabCheck[] {
  const selected = all.filter((check) =>
    (values.lab === undefined || String(check.lab) === values.lab) &&
    (values.task === undefined || check.task === values.task) &&
    (values.check === undefined || check.id === values.check)
  );
  if (selected.length === 0) throw new UsageError("no check matches --lab/--task/--check");
  return selected;
}

/** Paths on the command line are relative to where the user typed it, not to deno.json. */
function fromUserCwd(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

function scriptsDir(): string {
  if (values.dir === undefined) return REFERENCE_DIR;
  const dir = fromUserCwd(values.dir);
  try {
    if (Deno.statSync(dir).isDirectory) return dir;
  } catch {
    // reported below
  }
  throw new UsageError(`--dir ${values.dir}: no such folder (it should hold lab1/, lab2/, …)`);
}

/**
 * A promise a check left behind may reject after the check is over (a student's script
 * failed in an unexpected way). That must not end the grading of everything else: it is
 * recorded, and fails the check that is running, if any.
 */
const strayErrors: unknown[] = [];
globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  event.stopImmediatePropagation(); // runMain would otherwise end the program
  strayErrors.push(event.reason);
});

/** Why a check is left out of this run, if it is. */
function reasonToSkip(check: LabCheck): string | undefined {
  if (values["own-design"] && check.specification) {
    return `it holds your scripts to ${check.specification}; left out by --own-design`;
  }
  return unmetRequirement(check);
}

async function runCheck(check: LabCheck, dir: string): Promise<Outcome> {
  const detail = reasonToSkip(check);
  if (detail) return { check, status: "skipped", score: 0, seconds: 0, detail };
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000} s`)),
        CHECK_TIMEOUT_MS,
      );
    });
    strayErrors.length = 0;
    await Promise.race([check.run(new CheckContext(dir, check.lab)), timeout]);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let stray rejections surface
    if (strayErrors.length > 0) throw strayErrors[0];
    return { check, status: "passed", score: check.points, seconds: elapsed(started), detail: "" };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { check, status: "failed", score: 0, seconds: elapsed(started), detail };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}

const MARK = { passed: "✓", failed: "✗", skipped: "-" } as const;

function printRow(outcome: Outcome, titleWidth: number): void {
  const { check, status, score } = outcome;
  const points = status === "skipped" ? "skip" : `${score}/${check.points}`;
  console.log(
    `  ${check.task.padEnd(5)} ${MARK[status]} ${check.title.padEnd(titleWidth)}  ${points}`,
  );
  if (status === "failed") {
    console.log(`          hint: ${check.hint}`);
    const why = outcome.detail.split("\n").filter((line) => line.trim() !== "").slice(0, 8);
    console.log(`          why:  ${why.join("\n                ")}`);
  } else if (status === "skipped") {
    console.log(`          skipped: ${outcome.detail}`);
  }
}

function totals(outcomes: Outcome[]): { score: number; max: number } {
  const counted = outcomes.filter((outcome) => outcome.status !== "skipped");
  return {
    score: counted.reduce((sum, outcome) => sum + outcome.score, 0),
    max: counted.reduce((sum, outcome) => sum + outcome.check.points, 0),
  };
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
    // XML 1.0 cannot carry most control characters, even escaped.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

function junitXml(outcomes: Outcome[]): string {
  const labs = [...new Set(outcomes.map((outcome) => outcome.check.lab))];
  const suites = labs.map((lab) => {
    const inLab = outcomes.filter((outcome) => outcome.check.lab === lab);
    const count = (status: Outcome["status"]) => inLab.filter((o) => o.status === status).length;
    const seconds = inLab.reduce((sum, outcome) => sum + outcome.seconds, 0);
    const cases = inLab.map(({ check, status, seconds, detail }) => {
      const open = `    <testcase classname="lab${lab}.task${xmlEscape(check.task)}" ` +
        `name="${xmlEscape(`${check.title} (${check.points} points)`)}" time="${
          seconds.toFixed(3)
        }"`;
      if (status === "passed") return `${open}/>`;
      const body = status === "skipped"
        ? `<skipped message="${xmlEscape(detail)}"/>`
        : `<failure message="${xmlEscape(check.hint)}">${xmlEscape(detail)}</failure>`;
      return `${open}>\n      ${body}\n    </testcase>`;
    });
    return `  <testsuite name="lab${lab}" tests="${inLab.length}" failures="${count("failed")}" ` +
      `skipped="${count("skipped")}" time="${seconds.toFixed(3)}">\n${
        cases.join("\n")
      }\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="graded checks">\n` +
    `${suites.join("\n")}\n</testsuites>\n`;
}

function gradescopeResults(outcomes: Outcome[]): string {
  const { score } = totals(outcomes);
  const tests = outcomes.filter((outcome) => outcome.status !== "skipped").map((outcome) => ({
    name: `[${outcome.check.task}] ${outcome.check.title}`,
    number: outcome.check.task,
    score: outcome.score,
    max_score: outcome.check.points,
    status: outcome.status,
    output: outcome.status === "passed"
      ? "passed"
      : `hint: ${outcome.check.hint}\n\n${outcome.detail}`,
  }));
  const execution_time = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0);
  return JSON.stringify({ score, execution_time, tests }, null, 2) + "\n";
}

function listChecks(checks: LabCheck[]): void {
  if (values.json) {
    const rows = checks.map(({ id, lab, task, title, points, hint, requires, specification }) => ({
      id,
      lab,
      task,
      title,
      points,
      hint,
      requires: requires ?? null,
      specification: specification ?? null,
    }));
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  for (const check of checks) {
    console.log(`${check.task.padEnd(5)} ${check.id.padEnd(40)} ${check.points}  ${check.title}`);
  }
}

await runMain(async () => {
  const checks = selectChecks(await loadChecks());
  if (values.list) return listChecks(checks);
  const dir = scriptsDir();
  console.log(`Grading ${checks.length} checks against ${dir}\n`);
  const outcomes: Outcome[] = [];
  const titleWidth = Math.max(...checks.map((check) => check.title.length));
  for (const check of checks) {
    const outcome = await runCheck(check, dir);
    printRow(outcome, titleWidth);
    outcomes.push(outcome);
  }
  const { score, max } = totals(outcomes);
  console.log(`\nTotal: ${score} / ${max}`);
  if (values.junit) await Deno.writeTextFile(fromUserCwd(values.junit), junitXml(outcomes));
  if (values.gradescope) {
    await Deno.writeTextFile(fromUserCwd(values.gradescope), gradescopeResults(outcomes));
  }
  if (score < max) Deno.exit(1);
});
