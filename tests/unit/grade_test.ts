/**
 * Tests of the grader itself (`deno task grade`): the reference scripts score full
 * marks, a copy with a classic bug scores less with a useful hint, the JUnit and
 * Gradescope files hold what course platforms read, and mistakes in the call end in
 * one line.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type LabCheck, REFERENCE_DIR } from "../harness/checks.ts";
import {
  assertCleanFailure,
  assertNoStackTrace,
  assertUsageNamesEveryFlag,
} from "../harness/expect.ts";
import { startProgram } from "../../tools/script/process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LIB = fileURLToPath(new URL("../../lib/", import.meta.url));

/** Runs `deno task grade …` from the repository root. */
async function grade(...args: string[]) {
  return await startProgram(Deno.execPath(), ["task", "-q", "grade", ...args], { cwd: ROOT })
    .finished(120_000);
}

/**
 * Copies the reference lab 1 into a temporary folder, as a student's folder, applying
 * `edit` to one script (`null` leaves the script out). Imports of `../../lib/` are
 * pointed at this repository's lib/.
 */
async function studentCopy(
  script: string,
  edit: (source: string) => string | null,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "grade-test-" });
  await Deno.mkdir(`${dir}/lab1`);
  for await (const entry of Deno.readDir(`${REFERENCE_DIR}/lab1`)) {
    let source = await Deno.readTextFile(`${REFERENCE_DIR}/lab1/${entry.name}`);
    source = source.replaceAll(`"../../lib/`, `"${LIB}`);
    const edited = entry.name === script ? edit(source) : source;
    if (edited !== null) await Deno.writeTextFile(`${dir}/lab1/${entry.name}`, edited);
  }
  return dir;
}

Deno.test("grader: the reference scripts of a task score full marks", async () => {
  const result = await grade("--task", "1.1");
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const [, score, max] = result.stdout.match(/^Total: (\d+) \/ (\d+)$/m) ?? [];
  assert.ok(Number(max) > 0, result.stdout);
  assert.equal(score, max);
  assert.ok(!result.stdout.includes("✗"), result.stdout);
});

Deno.test("grader: a broken echo server scores less, with a hint, and in both report files", async () => {
  // The classic bug: echo only the first chunk that arrives.
  const dir = await studentCopy("tcp_echo_server.ts", (source) => {
    const fixed = "await writeAll(conn, data);";
    assert.ok(source.includes(fixed), "the reference echo server changed: update this test");
    return source.replace(fixed, "if (total === 0) await writeAll(conn, data);");
  });
  try {
    const junit = `${dir}/results.xml`;
    const gradescope = `${dir}/results.json`;
    const result = await grade(
      "--dir",
      dir,
      "--task",
      "1.1",
      "--junit",
      junit,
      "--gradescope",
      gradescope,
    );
    assert.equal(result.code, 1, "a failing check must give exit code 1");
    assertNoStackTrace(result.stdout + result.stderr);
    const [, score, max] = (result.stdout.match(/^Total: (\d+) \/ (\d+)$/m) ?? []).map(Number);
    assert.ok(score < max, `expected less than full marks:\n${result.stdout}`);
    assert.match(result.stdout, /✗ echo server returns 1 MiB of binary data intact/);
    assert.match(result.stdout, /hint: echo the bytes you read as bytes/);

    const report = JSON.parse(await Deno.readTextFile(gradescope));
    assert.equal(report.score, score);
    const failed = report.tests.filter((test: { status: string }) => test.status === "failed");
    assert.ok(failed.length > 0);
    for (const test of report.tests) {
      assert.deepEqual(
        Object.keys(test).sort(),
        ["max_score", "name", "number", "output", "score", "status"],
      );
    }
    assert.match(failed[0].output, /^hint: /);

    const xml = await Deno.readTextFile(junit);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites/);
    const cases = xml.match(/<testcase /g)?.length;
    assert.equal(cases, report.tests.length);
    assert.equal(xml.match(/<failure /g)?.length, failed.length);
    assert.match(xml, /<testsuite name="lab1" tests="\d+" failures="[1-9]\d*"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grader: a missing script fails its checks and grading goes on to the total", async () => {
  const dir = await studentCopy("udp_sender.ts", () => null);
  try {
    const result = await grade("--dir", dir, "--task", "1.2");
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /udp_sender\.ts does not exist/);
    assert.match(result.stdout, /✓ receiver prints every datagram/); // the rest was graded
    assert.match(result.stdout, /^Total: \d+ \/ \d+$/m);
    assertNoStackTrace(result.stdout + result.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grader: --own-design leaves out the checks of the course's protocol", async () => {
  const total = (stdout: string) => stdout.match(/^Total: (\d+) \/ (\d+)$/m)?.slice(1).map(Number);
  const all = await grade("--task", "O1");
  const own = await grade("--task", "O1", "--own-design");
  assert.equal(all.code, 0, all.stdout);
  assert.equal(own.code, 0, own.stdout);
  const [allScore, allMax] = total(all.stdout)!;
  const [ownScore, ownMax] = total(own.stdout)!;
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

Deno.test("grader: a missing --dir or an unknown task ends in one line", async () => {
  assertCleanFailure(await grade("--dir", "/no/such/folder"), /no such folder/, 2);
  assertCleanFailure(await grade("--task", "9.9"), /no check matches/, 2);
});

Deno.test("grader: --help names every flag in its usage line; an unknown flag is one line", async () => {
  const help = await grade("--help");
  assert.equal(help.code, 0, help.stderr);
  assertUsageNamesEveryFlag(help.stdout);
  assert.match(help.stdout, /^usage: deno task grade \[--dir DIR\]/m);
  assertCleanFailure(await grade("--no-such-flag"), /--no-such-flag/, 2);
});
