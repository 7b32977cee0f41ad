/**
 * Tests of the student's progress: the file `deno task watch` writes in the work folder
 * (`tools/student/progress.ts`), the grader's results it is made from
 * (`tests/grading/results.ts`), and the table `deno task progress` prints
 * (`tests/grading/progress_report.ts`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  emptyProgress,
  isDone,
  nextTask,
  parseProgress,
  type Progress,
  PROGRESS_FILE,
  ProgressError,
  readProgress,
  recordResult,
  type TaskResult,
  writeProgress,
} from "../../../tools/student/progress.ts";
import { TASKS } from "../../../tools/student/tasks.ts";
import type { LabCheck } from "../../harness/checks.ts";
import { labSummary, nextSteps, progressTable } from "../../grading/progress_report.ts";
import { taskResults } from "../../grading/results.ts";

const GRADED = "2025-03-04T05:06:07.000Z";
const result = (score: number, max: number, passed: number, failed: number): TaskResult => ({
  score,
  max,
  passed,
  failed,
  graded: GRADED,
});

Deno.test("progress file: what is written reads back the same, as JSON a person can read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "progress-" });
  try {
    assert.deepEqual(await readProgress(dir), emptyProgress(), "no file yet: nothing graded");
    const progress = recordResult(
      recordResult(emptyProgress(), "1.1", result(18, 18, 11, 0)),
      "1.2",
      result(3, 9, 2, 5),
    );
    await writeProgress(dir, progress);
    assert.deepEqual(await readProgress(dir), progress);
    const text = await Deno.readTextFile(join(dir, PROGRESS_FILE));
    assert.deepEqual(JSON.parse(text), {
      version: 1,
      tasks: {
        "1.1": { score: 18, max: 18, passed: 11, failed: 0, graded: GRADED },
        "1.2": { score: 3, max: 9, passed: 2, failed: 5, graded: GRADED },
      },
    });
    assert.ok(text.includes('\n  "tasks": {\n'), "indented, one field per line");
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names, [PROGRESS_FILE], "no partial file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("progress file: a damaged file is named, with what is wrong and what to do", async () => {
  const cases: [string, RegExp][] = [
    ["{", /not JSON/],
    ['{"version": 2, "tasks": {}}', /unknown version 2/],
    ['{"version": 1, "tasks": []}', /"tasks" must be an object/],
    ['{"version": 1, "tasks": {"1.1": {"score": -1}}}', /task 1\.1: "score" must be a whole/],
    [
      '{"version": 1, "tasks": {"1.1": {"score": 1, "max": 2, "passed": 1, "failed": 1}}}',
      /task 1\.1: "graded" must be a date/,
    ],
  ];
  for (const [text, problem] of cases) {
    assert.throws(() => parseProgress(text), problem, text);
  }
  const dir = await Deno.makeTempDir({ prefix: "progress-" });
  try {
    await Deno.writeTextFile(join(dir, PROGRESS_FILE), "{");
    await assert.rejects(
      readProgress(dir),
      (error: Error) =>
        error instanceof ProgressError && error.message.includes(join(dir, PROGRESS_FILE)) &&
        /delete it/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("progress file: extra fields are dropped, the checked ones kept", () => {
  const text = JSON.stringify({
    version: 1,
    tasks: { "3.4": { ...result(2, 18, 1, 7), hint: "kept nowhere" } },
    other: true,
  });
  assert.deepEqual(parseProgress(text), {
    version: 1,
    tasks: { "3.4": result(2, 18, 1, 7) },
  });
});

Deno.test("next task: the first not done in the handouts' order, optional ones last", () => {
  const required = TASKS.filter((task) => !task.optional);
  const optional = TASKS.filter((task) => task.optional);
  let progress: Progress = emptyProgress();
  assert.equal(nextTask(progress)?.id, "1.1");
  progress = recordResult(progress, "1.1", result(10, 18, 5, 6));
  assert.equal(nextTask(progress)?.id, "1.1", "a task with a failing check is not done");
  for (const task of required) progress = recordResult(progress, task.id, result(5, 5, 2, 0));
  assert.equal(nextTask(progress)?.id, optional[0].id, "then the optional tasks");
  for (const task of optional) progress = recordResult(progress, task.id, result(5, 5, 2, 0));
  assert.equal(nextTask(progress), undefined);
  assert.equal(isDone(result(0, 0, 0, 0)), false, "a task none of whose checks ran is not done");
});

Deno.test("grader results: the grader's JSON becomes one result per task", () => {
  const check = (task: string, status: string, score: number, points: number) => ({
    id: `${task}-${status}-${points}`,
    task,
    status,
    score,
    points,
    seconds: 0.5,
    detail: "",
  });
  const json = JSON.stringify({
    score: 5,
    max: 11,
    tasks: {},
    notes: [],
    checks: [
      check("1.1", "passed", 2, 2),
      check("1.1", "failed", 0, 3),
      check("1.1", "not run", 0, 1),
      check("1.1", "skipped", 0, 4),
      check("1.2", "passed", 3, 3),
    ],
  });
  const results = taskResults(json, new Date(GRADED));
  assert.deepEqual(Object.fromEntries(results), {
    "1.1": result(2, 6, 1, 2),
    "1.2": result(3, 3, 1, 0),
  });
});

/** Checks as the report sees them: two of 2 points per task, and one that cannot run here. */
const CHECKS: LabCheck[] = TASKS.flatMap((task) =>
  [1, 2, 3].map((n) => ({
    id: `${task.id}-${n}`,
    lab: task.lab,
    task: task.id,
    title: `check ${n}`,
    points: 2,
    hint: "",
    requires: n === 3 ? "surely-no-such-program" : undefined,
    run: () => Promise.resolve(),
  }))
);

Deno.test("progress table: points and state of every task, a total per lab, what is next", () => {
  const progress = recordResult(
    recordResult(emptyProgress(), "1.1", result(4, 4, 2, 0)),
    "1.2",
    result(2, 4, 1, 1),
  );
  const table = progressTable(progress, CHECKS);
  const row = (id: string) => table.split("\n").find((line) => line.startsWith(`  ${id} `));
  assert.match(row("1.1")!, /TCP echo server and client\s+4 \/ 4\s+done$/);
  assert.match(row("1.2")!, /UDP send and receive\s+2 \/ 4\s+1 of 2 checks pass$/);
  assert.match(row("1.3")!, /UDP echo\s+- \/ 4\s+not graded yet$/, "the checks that can run");
  for (const task of TASKS) assert.ok(row(task.id), `a row for ${task.id}`);

  const lab1 = TASKS.filter((task) => task.lab === 1).length;
  const expected = `Lab 1: 1 of ${lab1} tasks done, 6 / ${4 * lab1} points`;
  assert.equal(labSummary(1, progress, CHECKS), expected);
  assert.ok(table.includes(`  ${expected}\n`), table);
  assert.ok(
    table.endsWith(`All labs: 1 of ${TASKS.length} tasks done, 6 / ${4 * TASKS.length} points`),
  );

  assert.deepEqual(nextSteps(progress, CHECKS, "mywork").split("\n"), [
    "Next: Task 1.2 — UDP send and receive",
    "  write   mywork/lab1/udp_receiver.ts, mywork/lab1/udp_sender.ts",
    "  read    the handout, /lab1/task-1-2#task-1-2 (deno task serve opens the site)",
  ]);
  const only13 = CHECKS.filter((check) => check.task !== "1.2" || check.requires);
  assert.match(
    nextSteps(progress, only13, "mywork"),
    /^Next: Task 1\.3 /,
    "a task none of whose checks can run here is passed over",
  );
  assert.match(progressTable(progress, only13), /1\.2 .* 2 \/ 4 .*1 of 2 checks pass/);
});
