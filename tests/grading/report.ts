/**
 * The grader's results in the forms people and platforms read: rows on the terminal,
 * JUnit XML (valid against the junit-10 schema), Gradescope's and PrairieLearn's
 * `results.json`, GitHub Classroom's per-task results, and the grader's own JSON (what
 * the class grader collects into a gradebook).
 *
 * Skipped checks (a program or root this machine lacks, or `--own-design`) count for
 * nothing either way; checks not run (they need a file that is missing or does not start)
 * count 0 of their points.
 *
 * @module
 */
import { compareTasks } from "./catalog.ts";
import { classroomRunner } from "../../tools/grading/classroom.ts";
import type { Outcome } from "./run.ts";

/** Points scored and possible, leaving out skipped checks. */
export function totals(outcomes: Outcome[]): { score: number; max: number } {
  const counted = outcomes.filter((outcome) => outcome.status !== "skipped");
  return {
    score: counted.reduce((sum, outcome) => sum + outcome.score, 0),
    max: counted.reduce((sum, outcome) => sum + outcome.check.points, 0),
  };
}

/** {@linkcode totals} per task, in the handouts' order. */
export function taskTotals(outcomes: Outcome[]): Map<string, { score: number; max: number }> {
  const tasks = [...new Set(outcomes.map((outcome) => outcome.check.task))].sort(compareTasks);
  return new Map(tasks.map((task) => [
    task,
    totals(outcomes.filter((outcome) => outcome.check.task === task)),
  ]));
}

/** "1 point", "2 points". */
export function pointsText(points: number): string {
  return `${points} point${points === 1 ? "" : "s"}`;
}

const MARK = { passed: "✓", failed: "✗", skipped: "-", "not run": "·" } as const;

/** One row of the terminal report (and, for a failure, its hint and why). */
export function formatRow(outcome: Outcome, titleWidth: number): string {
  const { check, status, score } = outcome;
  const points = status === "skipped" ? "skip" : `${score}/${check.points}`;
  const lines = [
    `  ${check.task.padEnd(5)} ${MARK[status]} ${check.title.padEnd(titleWidth)}  ${points}`,
  ];
  if (status === "failed") {
    lines.push(`          hint: ${check.hint}`);
    const why = outcome.detail.split("\n").filter((line) => line.trim() !== "").slice(0, 8);
    lines.push(`          why:  ${why.join("\n                ")}`);
  } else if (status === "skipped") {
    lines.push(`          skipped: ${outcome.detail}`);
  } else if (status === "not run") {
    lines.push(`          not run: ${outcome.detail}`);
  }
  return lines.join("\n");
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
    // XML 1.0 cannot carry most control characters, even escaped.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** `lab1.task_1_1`: a package and a class, as JUnit readers split them at the dot. */
function className(outcome: Outcome): string {
  return `lab${outcome.check.lab}.task_${outcome.check.task.replace(/[^A-Za-z0-9]/g, "_")}`;
}

/**
 * JUnit XML: one suite per lab; a failed check is a `<failure>`, a check not run an
 * `<error>` (it could not be graded), a skipped one `<skipped>`.
 */
export function junitXml(outcomes: Outcome[], timestamp = new Date()): string {
  const count = (list: Outcome[], status: Outcome["status"]) =>
    list.filter((outcome) => outcome.status === status).length;
  const seconds = (list: Outcome[]) =>
    list.reduce((sum, outcome) => sum + outcome.seconds, 0).toFixed(3);
  const labs = [...new Set(outcomes.map((outcome) => outcome.check.lab))];
  const suites = labs.map((lab) => {
    const inLab = outcomes.filter((outcome) => outcome.check.lab === lab);
    const cases = inLab.map((outcome) => {
      const { check, status, detail } = outcome;
      const name = `[${check.task}] ${check.title} (${pointsText(check.points)})`;
      const open = `    <testcase classname="${className(outcome)}" name="${xmlEscape(name)}" ` +
        `time="${outcome.seconds.toFixed(3)}"`;
      if (status === "passed") return `${open}/>`;
      const body = {
        skipped: `<skipped message="${xmlEscape(detail)}"/>`,
        "not run": `<error message="${xmlEscape(`not run: ${detail}`)}"/>`,
        failed: `<failure message="${xmlEscape(check.hint)}">${xmlEscape(detail)}</failure>`,
      }[status];
      return `${open}>\n      ${body}\n    </testcase>`;
    });
    return `  <testsuite name="lab${lab}" tests="${inLab.length}" ` +
      `failures="${count(inLab, "failed")}" errors="${count(inLab, "not run")}" ` +
      `skipped="${count(inLab, "skipped")}" time="${seconds(inLab)}" ` +
      `timestamp="${timestamp.toISOString().slice(0, 19)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="graded checks" tests="${outcomes.length}" ` +
    `failures="${count(outcomes, "failed")}" errors="${count(outcomes, "not run")}" ` +
    `time="${seconds(outcomes)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** A check's explanation in Markdown: the hint, then why, as the script printed it. */
function markdownOutput(outcome: Outcome): string {
  if (outcome.status === "passed") return "passed";
  const why = "```\n" + outcome.detail.replaceAll("```", "ʼʼʼ") + "\n```";
  if (outcome.status === "not run") return `**not run**: this check ${why}`;
  return `**hint:** ${outcome.check.hint}\n\n${why}`;
}

/**
 * Gradescope's `results.json`: every counted check as a test (name, number, score,
 * max_score, status, output in Markdown, visibility) and the total; `notes` (missing
 * files) go in the top-level output.
 */
export function gradescopeResults(outcomes: Outcome[], notes: string[] = []): string {
  const { score } = totals(outcomes);
  const tests = outcomes.filter((outcome) => outcome.status !== "skipped").map((outcome) => ({
    name: `[${outcome.check.task}] ${outcome.check.title}`,
    number: outcome.check.task,
    score: outcome.score,
    max_score: outcome.check.points,
    status: outcome.status === "passed" ? "passed" : "failed",
    output: markdownOutput(outcome),
    output_format: "md",
    visibility: "visible",
  }));
  const execution_time = Math.round(outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0));
  return JSON.stringify(
    {
      score,
      execution_time,
      output: notes.join("\n\n"),
      output_format: "md",
      visibility: "visible",
      stdout_visibility: "hidden",
      tests,
    },
    null,
    2,
  ) + "\n";
}

/**
 * PrairieLearn's external-grader `results.json`: the score as a fraction of 1, every
 * counted check as a test with points and max_points, and `gradable: false` when no check
 * could run at all (nothing submitted that the course expects).
 */
export function prairieLearnResults(outcomes: Outcome[], notes: string[] = []): string {
  const { score, max } = totals(outcomes);
  const counted = outcomes.filter((outcome) => outcome.status !== "skipped");
  const gradable = counted.some((outcome) => outcome.status !== "not run");
  const tests = counted.map((outcome) => ({
    name: `[${outcome.check.task}] ${outcome.check.title}`,
    points: outcome.score,
    max_points: outcome.check.points,
    message: outcome.status === "passed" ? "" : `hint: ${outcome.check.hint}`,
    output: outcome.status === "passed" ? "passed" : outcome.detail,
  }));
  return JSON.stringify(
    {
      gradable,
      score: gradable && max > 0 ? score / max : 0,
      message: notes.join("\n") || `${score} / ${max} points`,
      tests,
    },
    null,
    2,
  ) + "\n";
}

/**
 * GitHub Classroom's per-task results, as `name=value` lines for `$GITHUB_OUTPUT`: one
 * output per task (`task-1-1=<base64 JSON>`) in the form its grading reporter reads
 * (`{version, status, max_score, tests: [{name, status, score, message}]}`), so each task
 * is worth its points and they sum to the lab's total.
 */
export function classroomOutputs(outcomes: Outcome[]): string {
  const lines: string[] = [];
  for (const [task, { score, max }] of taskTotals(outcomes)) {
    const inTask = outcomes.filter((o) => o.check.task === task && o.status !== "skipped");
    const result = {
      version: 1,
      status: score === max ? "pass" : "fail",
      max_score: max,
      tests: inTask.map((outcome) => ({
        name: `[${task}] ${outcome.check.title}`,
        status: outcome.status === "passed" ? "pass" : "fail",
        score: outcome.score,
        message: outcome.status === "passed" ? "" : `${outcome.check.hint}\n${outcome.detail}`,
        line_no: 0,
        execution_time: `${outcome.seconds.toFixed(1)}s`,
      })),
    };
    const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(result))));
    lines.push(`${classroomRunner(task)}=${encoded}`);
  }
  return lines.join("\n") + "\n";
}

/** The grader's own JSON: totals, points per task, every outcome, and the notes. */
export function resultsJson(outcomes: Outcome[], notes: string[] = []): string {
  const { score, max } = totals(outcomes);
  return JSON.stringify(
    {
      score,
      max,
      tasks: Object.fromEntries(taskTotals(outcomes)),
      notes,
      checks: outcomes.map(({ check, status, score, seconds, detail }) => ({
        id: check.id,
        task: check.task,
        status,
        score,
        points: check.points,
        seconds: Number(seconds.toFixed(3)),
        detail,
      })),
    },
    null,
    2,
  ) + "\n";
}
