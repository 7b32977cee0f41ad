/**
 * The grader: runs the graded checks against a submission and prints one row per check
 * with its points, a hint for each failure, and the total; or grades a whole class.
 *
 *   deno task grade                          # the reference scripts: full marks
 *   deno task grade --dir mywork --lab 1     # your own lab1/*.ts (or bare files), anywhere
 *   deno task grade --task 1.4               # one task's checks
 *   deno task grade --dir mywork --task D1 --own-design  # your own Deliverable 1 protocol
 *   deno task grade --junit out.xml --gradescope results.json
 *   deno task grade --submissions class/ --lab 1 --out grades/  # one folder per student
 *
 * Every script runs in the course's sandbox (tools/script/sandbox.ts): with the
 * permissions the course declares for it, whatever its own first line asks for.
 *
 * Exit code: 0 for full marks, 1 when a check failed, 2 for a usage error.
 *
 * @module
 */
import { resolve } from "node:path";
import { parseCommandLine, runMain, UsageError } from "../lib/cli.ts";
import { type LabCheck, REFERENCE_DIR } from "./harness/checks.ts";
import { loadChecks, selectChecks, type Selection } from "./grading/catalog.ts";
import { gradeClass } from "./grading/class.ts";
import { findUnusable } from "./grading/preflight.ts";
import {
  classroomOutputs,
  formatRow,
  gradescopeResults,
  junitXml,
  prairieLearnResults,
  resultsJson,
  totals,
} from "./grading/report.ts";
import { MISSING, runChecks } from "./grading/run.ts";
import { stageSubmission } from "./grading/submission.ts";
import { filesOf, findTask } from "../tools/student/tasks.ts";

const { values } = parseCommandLine({
  summary: "Grades lab scripts with the course's checks and prints points per check.",
  name: "deno task grade",
  options: {
    dir: {
      valueName: "DIR",
      description: "the submission: a folder laid out like labs/ (lab1/…) or bare files, " +
        "anywhere on disk; default: the reference labs/",
    },
    submissions: {
      valueName: "DIR",
      description: "grade a class: one folder per student in this folder",
    },
    out: {
      valueName: "DIR",
      description: "with --submissions: where the gradebook and reports go (grades/)",
    },
    jobs: {
      valueName: "N",
      description: "check files run at once (default: twice the cores), or students with " +
        "--submissions (default: the cores)",
    },
    lab: { valueName: "N", description: "grade only this lab (e.g. 1)" },
    task: { valueName: "T", description: "grade only this task's checks (e.g. 1.4)" },
    check: { valueName: "ID", description: "run only the check with this id" },
    junit: { valueName: "FILE", description: "also write the results as JUnit XML to this file" },
    gradescope: {
      valueName: "FILE",
      description: "also write Gradescope's results.json to this file",
    },
    prairielearn: {
      valueName: "FILE",
      description: "also write PrairieLearn's results.json to this file",
    },
    classroom: {
      valueName: "FILE",
      description: "also write GitHub Classroom's per-task results to this file",
    },
    results: { valueName: "FILE", description: "also write the grader's own JSON results" },
    "stage-in": {
      valueName: "DIR",
      description: "copy the submission into this folder (default: a temporary one)",
    },
    "own-design": {
      type: "boolean",
      description: "you designed your own protocol: leave out the checks of the course's design",
    },
    list: { type: "boolean", description: "list the checks instead of running them" },
    json: { type: "boolean", description: "with --list: print the list as JSON" },
  },
});

/** Paths on the command line are relative to where the user typed it, not to deno.json. */
function fromUserCwd(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

function existingFolder(option: string, path: string): string {
  const dir = fromUserCwd(path);
  try {
    if (Deno.statSync(dir).isDirectory) return dir;
  } catch {
    // reported below
  }
  throw new UsageError(`--${option} ${path}: no such folder`);
}

/**
 * Check files at once, unless `--jobs` says. A check spends most of its time waiting (for a
 * script to start, an answer, a timer), so twice the cores keeps them busy: Lab 1 on 2
 * cores took 52 s with 2 at once, 47 s with 3 and 42 s with 4, for the same CPU time
 * (43 s), on a machine busy with other work. The checks already meet heavier load than
 * that under `deno test`, where other test files run graders of their own. Students at
 * once (`--submissions`): the cores, each student's grader running one check file at a
 * time.
 */
function jobs(): number {
  if (values.jobs === undefined) {
    const cores = navigator.hardwareConcurrency;
    return values.submissions === undefined ? 2 * cores : cores;
  }
  const count = Number(values.jobs);
  if (!Number.isInteger(count) || count < 1) {
    throw new UsageError(`--jobs must be a whole number from 1 (got "${values.jobs}")`);
  }
  return count;
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

/** Checks `--own-design` leaves out, with why. */
function leaveOut(check: LabCheck): string | undefined {
  if (values["own-design"] && check.specification) {
    return `it holds your scripts to ${check.specification}; left out by --own-design`;
  }
  return undefined;
}

/**
 * The files (`lab1/tcp_echo_server.ts`) of the tasks of `checks`: with `--task` or
 * `--check`, the only ones worth type-checking and starting before the checks run.
 */
function filesOfChecks(checks: LabCheck[]): string[] | undefined {
  const tasks = [...new Set(checks.map((check) => check.task))].map(findTask);
  if (tasks.some((task) => task === undefined)) return undefined; // all of them, then
  return tasks.flatMap((task) => filesOf(task!));
}

/**
 * Grades one submission (or the reference scripts) and writes the files asked for;
 * returns whether it scored full marks.
 */
async function gradeOne(selected: LabCheck[], explicitLabs: boolean): Promise<boolean> {
  const labs = [...new Set(selected.map((check) => check.lab))];
  const stageIn = values["stage-in"] && existingFolder("stage-in", values["stage-in"]);
  const staged = values.dir === undefined ? undefined : await stageSubmission(
    existingFolder("dir", values.dir),
    explicitLabs ? labs : undefined,
    stageIn,
  );
  try {
    const dir = staged?.dir ?? REFERENCE_DIR;
    const checks = staged ? selected.filter((check) => staged.labs.includes(check.lab)) : selected;
    const notes: string[] = [];
    if (checks.length === 0) {
      throw new UsageError(`--dir ${values.dir}: no script of lab ${labs.join(", ")} in it`);
    }
    const unusable = await findUnusable(
      dir,
      [...new Set(checks.map((c) => c.lab))],
      jobs(),
      values.task || values.check ? filesOfChecks(checks) : undefined,
    );
    for (const name of staged?.missing ?? []) unusable.set(name, MISSING);
    console.log(`Grading ${checks.length} checks against ${values.dir ?? dir}\n`);
    if (staged && staged.missing.length > 0) {
      notes.push(`Missing: ${staged.missing.join(", ")} (the checks that need them are not run)`);
    }
    notes.push(...staged?.notes ?? []);
    for (const note of notes) console.log(`${note}\n`);

    const titleWidth = Math.max(...checks.map((check) => check.title.length));
    const state = { dir, unusable, leaveOut };
    const outcomes = await runChecks(checks, state, jobs(), (outcome) => {
      console.log(formatRow(outcome, titleWidth));
    });
    const { score, max } = totals(outcomes);
    console.log(`\nTotal: ${score} / ${max}`);
    const outputs: [string | undefined, () => string][] = [
      [values.junit, () => junitXml(outcomes)],
      [values.gradescope, () => gradescopeResults(outcomes, notes)],
      [values.prairielearn, () => prairieLearnResults(outcomes, notes)],
      [values.classroom, () => classroomOutputs(outcomes)],
      [values.results, () => resultsJson(outcomes, notes)],
    ];
    for (const [file, content] of outputs) {
      if (file !== undefined) await Deno.writeTextFile(fromUserCwd(file), content());
    }
    return score === max;
  } finally {
    await staged?.remove();
  }
}

await runMain(async () => {
  const selection: Selection = { lab: values.lab, task: values.task, check: values.check };
  const selected = selectChecks(await loadChecks(), selection);
  if (selected.length === 0) throw new UsageError("no check matches --lab/--task/--check");
  if (values.list) return listChecks(selected);
  const explicitLabs = Object.values(selection).some((value) => value !== undefined);
  if (values.submissions !== undefined) {
    if (values.dir !== undefined) throw new UsageError("give --dir or --submissions, not both");
    await gradeClass({
      submissions: existingFolder("submissions", values.submissions),
      out: fromUserCwd(values.out ?? "grades"),
      jobs: jobs(),
      checks: selected,
      // Each student is graded by a grader of its own, with the same choice of checks.
      gradeArgs: [
        ...Object.entries(selection).flatMap(([name, value]) => value ? [`--${name}`, value] : []),
        ...values["own-design"] ? ["--own-design"] : [],
      ],
    });
    return;
  }
  // Exit now: a timer a student's script made a check leave behind must not hold the grader.
  Deno.exit(await gradeOne(selected, explicitLabs) ? 0 : 1);
});
