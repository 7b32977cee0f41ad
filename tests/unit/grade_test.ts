/**
 * Tests of the grader itself (`deno task grade`): the reference scripts score full
 * marks; a submission from anywhere (bare files outside this repository) is graded, its
 * missing scripts listed once; a copy with a classic bug scores less with a useful hint,
 * in JUnit (valid against the junit-10 schema) and Gradescope's format too; one cause is
 * one failure; the sandbox holds a hostile script to the course's permissions; and
 * mistakes in the call end in one line.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { LabCheck } from "../harness/checks.ts";
import {
  assertCleanFailure,
  assertNoStackTrace,
  assertUsageNamesEveryFlag,
} from "../harness/expect.ts";
import {
  BROKEN_ECHO,
  hostileEcho,
  makeSubmission,
  NO_SIGTERM,
  TYPE_ERROR,
} from "../harness/submissions.ts";
import { hasProgram } from "../../tools/script/host.ts";
import { type ScriptResult, startProgram } from "../../tools/script/process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCHEMA = fileURLToPath(new URL("../harness/junit-10.xsd", import.meta.url));

/** Runs `deno task grade …` from the repository root. */
async function grade(...args: string[]) {
  return await startProgram(Deno.execPath(), ["task", "-q", "grade", ...args], { cwd: ROOT })
    .finished(300_000);
}

function total(stdout: string): [number, number] {
  const [, score, max] = stdout.match(/^Total: (\d+) \/ (\d+)$/m) ?? [];
  assert.ok(score !== undefined, `no total in:\n${stdout}`);
  return [Number(score), Number(max)];
}

/** Runs `body` with a new submission folder, then removes it. */
async function withSubmission(
  edits: Parameters<typeof makeSubmission>[1],
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await makeSubmission(1, edits);
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("grader: the reference scripts of a task score full marks", async () => {
  const result = await grade("--task", "1.1");
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const [score, max] = total(result.stdout);
  assert.ok(max > 0, result.stdout);
  assert.equal(score, max);
  assert.ok(!result.stdout.includes("✗"), result.stdout);
});

Deno.test("grader: a broken echo server from outside the repository scores less, with a hint, in every format", async () => {
  await withSubmission([BROKEN_ECHO], async (dir) => {
    const files = { junit: `${dir}/out.xml`, gradescope: `${dir}/gs.json`, pl: `${dir}/pl.json` };
    const result = await grade(
      ...["--dir", dir, "--task", "1.1", "--junit", files.junit, "--gradescope", files.gradescope],
      ...["--prairielearn", files.pl],
    );
    assert.equal(result.code, 1, "a failing check must give exit code 1");
    assertNoStackTrace(result.stdout + result.stderr);
    const [score, max] = total(result.stdout);
    assert.ok(score < max, `expected less than full marks:\n${result.stdout}`);
    assert.match(result.stdout, /✗ echo server returns 1 MiB of binary data intact/);
    assert.match(result.stdout, /hint: echo the bytes you read as bytes/);

    const report = JSON.parse(await Deno.readTextFile(files.gradescope));
    assert.equal(report.score, score);
    assert.equal(report.output_format, "md");
    assert.equal(report.visibility, "visible");
    const failed = report.tests.filter((test: { status: string }) => test.status === "failed");
    assert.ok(failed.length > 0);
    for (const test of report.tests) {
      assert.deepEqual(Object.keys(test).sort(), [
        "max_score",
        "name",
        "number",
        "output",
        "output_format",
        "score",
        "status",
        "visibility",
      ]);
    }
    assert.match(failed[0].output, /^\*\*hint:\*\* /);

    const pl = JSON.parse(await Deno.readTextFile(files.pl));
    assert.equal(pl.gradable, true);
    assert.equal(pl.score, score / max);
    assert.equal(pl.tests.length, report.tests.length);

    const xml = await Deno.readTextFile(files.junit);
    assert.equal(xml.match(/<testcase /g)?.length, report.tests.length);
    assert.equal(xml.match(/<failure /g)?.length, failed.length);
    assert.match(xml, /<testsuite name="lab1" tests="\d+" failures="[1-9]\d*" errors="0"/);
    assert.match(xml, /classname="lab1\.task_1_1" name="\[1\.1\] [^"]+ \(1 point\)"/);
    assert.match(xml, /\(2 points\)"/);
    assert.doesNotMatch(xml, /\(1 points\)/);
  });
});

/** Task 1.1 graded once on a copy whose server does not type-check, with its JUnit file. */
let typeErrorGraded: Promise<{ result: ScriptResult; xml: string }> | undefined;

/** Grades the copy with the type error on first use; the tests below read the same run. */
function gradeTypeError(): Promise<{ result: ScriptResult; xml: string }> {
  return typeErrorGraded ??= (async () => {
    const dir = await makeSubmission(1, [TYPE_ERROR]);
    try {
      const result = await grade("--dir", dir, "--task", "1.1", "--junit", `${dir}/out.xml`);
      return { result, xml: await Deno.readTextFile(`${dir}/out.xml`) };
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  })();
}

Deno.test({
  name: "grader: its JUnit file is valid against the junit-10 schema",
  ignore: !hasProgram("xmllint"),
  async fn() {
    const { xml } = await gradeTypeError();
    assert.match(xml, /<error /, "a check not run is an error");
    const file = await Deno.makeTempFile({ suffix: ".xml" });
    try {
      await Deno.writeTextFile(file, xml);
      const lint = await startProgram("xmllint", ["--noout", "--schema", SCHEMA, file]).finished();
      assert.equal(lint.code, 0, lint.stderr);
      // The schema can fail: a suite without its errors count is refused.
      await Deno.writeTextFile(file, xml.replace(/ errors="\d+" skipped/, " skipped"));
      const bad = await startProgram("xmllint", ["--noout", "--schema", SCHEMA, file]).finished();
      assert.notEqual(bad.code, 0, "the schema accepted a suite without errors=");
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test("grader: a script that does not type-check fails one check; those that need it are not run", async () => {
  const { result } = await gradeTypeError();
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const failures = result.stdout.match(/^ +1\.1 +✗ .*$/gm) ?? [];
  assert.equal(failures.length, 1, `one cause, one failure:\n${result.stdout}`);
  assert.match(result.stdout, /does not type-check: tcp_echo_server\.ts:\d+:\d+: TS2322/);
  const notRun = result.stdout.match(/not run: needs lab1\/tcp_echo_server\.ts/g) ?? [];
  assert.ok(notRun.length >= 5, result.stdout);
  assert.match(result.stdout, /✓ echo client prints the whole echo/); // the client is graded
});

Deno.test("grader: a missing script is listed once and its checks are not run", async () => {
  await withSubmission([{ script: "udp_sender.ts", edit: () => null }], async (dir) => {
    const result = await grade("--dir", dir, "--task", "1.2");
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.equal(result.stdout.match(/^Missing: lab1\/udp_sender\.ts\b/gm)?.length, 1);
    assert.match(result.stdout, /not run: needs lab1\/udp_sender\.ts, which is missing/);
    assert.doesNotMatch(result.stdout, /✗/);
    assert.match(result.stdout, /✓ receiver prints every datagram/); // the rest was graded
    assertNoStackTrace(result.stdout + result.stderr);
  });
});

Deno.test("grader: a server stopped at the end of a check is not a crash", async () => {
  await withSubmission([NO_SIGTERM], async (dir) => {
    const result = await grade("--dir", dir, "--task", "1.1");
    // The robustness check is left out: at the descriptor limit, Deno itself panics in a
    // server that registered no signal listener before it ran out of descriptors.
    const failures = (result.stdout.match(/✗ .*/g) ?? []).filter((row) => !/stays up/.test(row));
    assert.deepEqual(failures.map((line) => line.replace(/\s+\d+\/\d+$/, "")), [
      "✗ echo server exits cleanly on SIGTERM",
    ]);
    assert.doesNotMatch(result.stdout, /crashed/);
  });
});

Deno.test("grader: a hostile script runs with the course's permissions and loses the least-privilege point", async () => {
  const target = await Deno.makeTempDir({ prefix: "hostile-target-" });
  try {
    await withSubmission([hostileEcho(target)], async (dir) => {
      const result = await grade("--dir", dir, "--task", "1.1");
      const entries = [...Deno.readDirSync(target)].map((entry) => entry.name);
      assert.deepEqual(entries, [], "the script wrote a file or ran a program");
      const failures = result.stdout.match(/✗ .*/g) ?? [];
      assert.equal(failures.length, 1, result.stdout);
      assert.match(failures[0], /tcp_echo_server\.ts: least-privilege first line/);
      assert.match(
        result.stdout,
        /line 1 grants too much: --allow-write --allow-run=touch \(the task needs only --allow-net=127\.0\.0\.1\)/,
      );
    });
  } finally {
    await Deno.remove(target, { recursive: true });
  }
});

Deno.test("grader: --own-design leaves out the checks of the course's protocol", async () => {
  const [all, own] = await Promise.all([
    grade("--task", "O1"),
    grade("--task", "O1", "--own-design"),
  ]);
  assert.equal(all.code, 0, all.stdout);
  assert.equal(own.code, 0, own.stdout);
  const [allScore, allMax] = total(all.stdout);
  const [ownScore, ownMax] = total(own.stdout);
  assert.equal(allScore, allMax);
  assert.equal(ownScore, ownMax);
  assert.ok(0 < ownMax && ownMax < allMax, `--own-design kept ${ownMax} of ${allMax} points`);
  assert.match(own.stdout, /skipped: it holds your scripts to labs\/lab1\/sensor_protocol\.md/);
});

Deno.test("grader: --list --json describes every check, with unique ids", async () => {
  const result = await grade("--list", "--json");
  assert.equal(result.code, 0, result.stderr);
  const checks: LabCheck[] = JSON.parse(result.stdout);
  assert.ok(checks.length >= 20, `only ${checks.length} checks`);
  const ids = checks.map((check) => check.id);
  assert.equal(new Set(ids).size, ids.length, "check ids must be unique");
  const specified = checks.filter((check) => check.specification !== null);
  assert.ok(
    specified.length > 0 && specified.every((check) => check.task === "D1" || check.task === "O1"),
  );
  for (const check of checks) {
    assert.ok(check.points > 0 && check.hint.length > 10, check.id);
    assert.match(check.task, /^(\d+\.\d+|[DOX]\d+)$/, `${check.id}: tasks are 1.1, D1, O1 or X1`);
  }
});

Deno.test("grader: a missing --dir, an empty one or an unknown task ends in one line", async () => {
  assertCleanFailure(await grade("--dir", "/no/such/folder"), /no such folder/, 2);
  assertCleanFailure(await grade("--task", "9.9"), /no check matches/, 2);
  const empty = await Deno.makeTempDir();
  try {
    assertCleanFailure(await grade("--dir", empty), /holds no lab script/, 2);
  } finally {
    await Deno.remove(empty);
  }
});

Deno.test("grader: --help names every flag in its usage line; an unknown flag is one line", async () => {
  const help = await grade("--help");
  assert.equal(help.code, 0, help.stderr);
  assertUsageNamesEveryFlag(help.stdout);
  assert.match(help.stdout, /^usage: deno task grade \[--dir DIR\]/m);
  assertCleanFailure(await grade("--no-such-flag"), /--no-such-flag/, 2);
});
