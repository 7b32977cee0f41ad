/**
 * The starters, graded as a student's first folder: `deno task start` makes it, and the
 * grader runs every check on it. For each task with starters of its own, the contract
 * checks pass (line 1, `--help`, the flags, a server's `listening on` line and its
 * errors) and every other check fails, the TODO of the starter showing in what the
 * student reads.
 *
 * Tasks without starters of their own grade other tasks' files (O1: Deliverable 1's
 * server; X1: Task 1.5's scripts) and fail with them. X2's checks are left out: they
 * grade how `listenTcp` (lib/net.ts) explains a bind error, which the starters keep.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startProgram } from "../../../tools/script/process.ts";
import { TASKS } from "../../../tools/student/tasks.ts";
import { REPO_ROOT } from "../../../tools/student/workspace.ts";

/** Runs `deno task -q <args>` from the repository's top folder. */
async function denoTask(args: string[], timeoutMs: number) {
  return await startProgram(Deno.execPath(), ["task", "-q", ...args], { cwd: REPO_ROOT })
    .finished(timeoutMs);
}

/** One check of the grader's JSON results. */
interface Graded {
  id: string;
  task: string;
  status: "passed" | "failed" | "skipped" | "not run";
  detail: string;
}

/** Tasks whose checks pass on the starters by design (see above). */
const LEFT_OUT = new Set(["X2"]);

Deno.test("starters: contract checks pass and every other check fails, task by task", async (t) => {
  const dir = await Deno.makeTempDir({ dir: REPO_ROOT, prefix: ".starters-test-" });
  try {
    const started = await denoTask(["start", "--dir", dir], 60_000);
    assert.equal(started.code, 0, started.stderr);
    // One grader per lab, at the same time: each check starts programs of its own. Each
    // runs one check file at a time: three graders already keep two cores busy, and a
    // starter's contract check must not run out of time for want of CPU (with no more
    // waiting on starters that have died, the checks follow one another closely).
    const graded = (await Promise.all([1, 2, 3].map(async (lab) => {
      const results = join(dir, `lab${lab}.json`);
      const args = [
        "grade",
        "--dir",
        dir,
        "--lab",
        String(lab),
        "--results",
        results,
        "--jobs",
        "1",
      ];
      const run = await denoTask(args, 900_000);
      assert.equal(run.code, 1, `lab ${lab}: the starters cannot score full marks\n${run.stderr}`);
      return (JSON.parse(await Deno.readTextFile(results)).checks as Graded[]);
    }))).flat();

    for (const task of TASKS.filter((task) => !LEFT_OUT.has(task.id))) {
      await t.step(`${task.id} ${task.title}`, () => {
        const ofTask = graded.filter((check) =>
          check.task === task.id && check.status !== "skipped"
        );
        const contract = ofTask.filter((check) => check.id.includes("-contract-"));
        const others = ofTask.filter((check) => !contract.includes(check));
        assert.equal(contract.length > 0, task.write.length > 0, "contract checks of its scripts");
        assert.ok(others.length > 0, "checks of what the task asks");
        for (const check of contract) {
          assert.equal(check.status, "passed", `${check.id}: ${check.detail}`);
        }
        for (const check of others) assert.equal(check.status, "failed", check.id);
        if (task.write.length > 0) {
          assert.ok(
            others.some((check) => check.detail.includes("TODO")),
            "a failing check shows the starter's TODO",
          );
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
