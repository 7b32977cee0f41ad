/**
 * Grading a class: one folder per student, each graded by a grader process of its own
 * (so a submission that hangs or crashes costs only its own checks), several at once up
 * to the number of cores, every script in the course's sandbox and on ports of its own
 * (the checks bind port 0). Writes a CSV gradebook (student, total, points per task) and
 * each student's report, and shows a progress bar.
 *
 * Each student's scripts may not read the other students' folders, nor the copies the
 * graders make of them (`LABS_DENY_READ`, read by tools/script/sandbox.ts).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LabCheck } from "../harness/checks.ts";
import { eachAtMost } from "../harness/pool.ts";
import { compareTasks } from "./catalog.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A backstop over the checks' own time limits: a student's grading past it is ended. */
export const STUDENT_TIMEOUT_MS = 30 * 60_000;

/** What the class grader is asked to do. */
export interface ClassOptions {
  /** The folder with one folder per student. */
  submissions: string;
  /** Where the gradebook and the reports go. */
  out: string;
  /** Students graded at once. */
  jobs: number;
  /** The checks graded (for the gradebook's columns). */
  checks: LabCheck[];
  /** Arguments for each student's grader that choose the checks. */
  gradeArgs: string[];
}

/** One student's line of the gradebook. */
interface Row {
  student: string;
  score: number;
  max: number;
  tasks: Record<string, { score: number; max: number }>;
  note: string;
}

/** A CSV field, quoted when it must be. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The gradebook: a header, then one line per student. */
export function gradebookCsv(rows: Row[], tasks: string[]): string {
  const header = ["student", "total", "max", ...tasks, "note"];
  const lines = rows.map((row) => [
    row.student,
    row.score,
    row.max,
    ...tasks.map((task) => row.tasks[task]?.score ?? 0),
    row.note,
  ]);
  return [header, ...lines].map((line) => line.map(csvField).join(",")).join("\n") + "\n";
}

/** A progress bar on stderr (one line per student when stderr is not a terminal). */
class Progress {
  #done = 0;
  readonly #tty = Deno.stderr.isTerminal();
  readonly #encoder = new TextEncoder();

  constructor(readonly total: number) {}

  finished(row: Row, running: string[]): void {
    this.#done++;
    const width = 30;
    const filled = Math.round((this.#done / this.total) * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.#done}/${this.total}`;
    const line = this.#tty
      ? `\r${bar} students graded${running.length ? `; grading ${running.join(", ")}` : ""}\x1b[K`
      : `${bar} ${row.student}: ${row.score} / ${row.max}${row.note ? ` (${row.note})` : ""}\n`;
    Deno.stderr.writeSync(this.#encoder.encode(line));
    if (this.#tty && this.#done === this.total) Deno.stderr.writeSync(this.#encoder.encode("\n"));
  }
}

/** Grades one student with a grader process of its own; its report goes to `out`. */
async function gradeStudent(
  student: string,
  options: ClassOptions,
  stageIn: string,
): Promise<Row> {
  const report = join(options.out, `${student}.txt`);
  const results = join(options.out, `${student}.json`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "grade",
      "--dir",
      join(options.submissions, student),
      "--results",
      results,
      "--stage-in",
      stageIn,
      "--jobs",
      "1",
      ...options.gradeArgs,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { LABS_DENY_READ: [options.submissions, stageIn].join(":"), NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), STUDENT_TIMEOUT_MS);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  await Deno.writeTextFile(report, text);
  try {
    const graded = JSON.parse(await Deno.readTextFile(results));
    return { student, score: graded.score, max: graded.max, tasks: graded.tasks, note: "" };
  } catch {
    // No results: the submission could not be graded at all (e.g. no lab file in it).
    const line = text.trim().split("\n").at(-1) ?? `the grader exited with ${code}`;
    const max = options.checks.reduce((sum, check) => sum + check.points, 0);
    return { student, score: 0, max, tasks: {}, note: line.replace(/^error: /, "") };
  }
}

/** Grades every student folder in `options.submissions`; returns the gradebook's rows. */
export async function gradeClass(options: ClassOptions): Promise<Row[]> {
  const students: string[] = [];
  for await (const entry of Deno.readDir(options.submissions)) {
    if (entry.isDirectory && !entry.name.startsWith(".")) students.push(entry.name);
  }
  students.sort();
  await Deno.mkdir(options.out, { recursive: true });
  const stageIn = await Deno.makeTempDir({ prefix: "lab-class-" });
  // Passable but not listable: a check runs a script as "nobody" from its student's copy,
  // whose random name no other student's script can list.
  await Deno.chmod(stageIn, 0o711);
  const progress = new Progress(students.length);
  const rows = new Map<string, Row>();
  const running = new Set<string>();
  try {
    await eachAtMost(students, options.jobs, async (student) => {
      running.add(student);
      const row = await gradeStudent(student, options, stageIn);
      running.delete(student);
      rows.set(student, row);
      progress.finished(row, [...running]);
    });
  } finally {
    await Deno.remove(stageIn, { recursive: true });
  }
  const ordered = students.map((student) => rows.get(student)!);
  const tasks = [...new Set(options.checks.map((check) => check.task))].sort(compareTasks);
  const gradebook = join(options.out, "gradebook.csv");
  await Deno.writeTextFile(gradebook, gradebookCsv(ordered, tasks));
  console.log(`Graded ${students.length} students: ${gradebook}, one report per student beside it`);
  return ordered;
}
