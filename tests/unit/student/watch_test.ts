/**
 * Tests of `deno task watch` on a work folder of its own: a saved file gets its task
 * graded again within a few seconds, the checks and the lab's progress are shown, the
 * progress file records the result, a file of no task is left alone, and the watch
 * stops cleanly on SIGTERM.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type RunningScript, startProgram } from "../../../tools/script/process.ts";
import { readProgress } from "../../../tools/student/progress.ts";
import { createWorkFolder, LABS_DIR, REPO_ROOT } from "../../../tools/student/workspace.ts";

/** How long a grading may take to start after a save, on a busy machine. */
const REACTION_MS = 5_000;
/** How long the grader may take on Task 3.4, on a busy machine. */
const GRADING_MS = 120_000;

/** Waits for `pattern` in the output after position `from`; returns where it ended. */
async function waitAfter(watch: RunningScript, from: number, pattern: RegExp, ms: number) {
  const anchored = new RegExp(`^[\\s\\S]{${from}}[\\s\\S]*?${pattern.source}`);
  const match = await watch.waitFor(anchored, ms);
  return match[0].length;
}

Deno.test("watch: a save re-grades its task within seconds and updates the progress file", async () => {
  const dir = await Deno.makeTempDir({ dir: REPO_ROOT, prefix: ".watch-test-" });
  const watch = startProgram(Deno.execPath(), ["task", "-q", "watch", "--dir", dir], {
    cwd: REPO_ROOT,
  });
  try {
    await createWorkFolder(dir);
    let seen = await waitAfter(watch, 0, /Watching .*: save a file to grade its task\./, 60_000);
    assert.match(watch.stdout, /^Next: Task 1\.1 — TCP echo server and client$/m);

    // The answers of Task 3.4, right: the task is graded and recorded as done.
    const exercises = join(dir, "lab3/exercises.ts");
    const answers = await Deno.readTextFile(join(LABS_DIR, "lab3/exercises.ts"));
    await Deno.writeTextFile(exercises, answers);
    const saved = Date.now();
    seen = await waitAfter(
      watch,
      seen,
      /── Task 3\.4 — Bit exercises \(lab3\/exercises\.ts changed\) ──/,
      REACTION_MS,
    );
    const graded = Date.now() - saved; // the grader starts now; it checks the files first
    seen = await waitAfter(watch, seen, /Grading \d+ checks against /, GRADING_MS);
    seen = await waitAfter(watch, seen, /Total: (\d+) \/ \1\n/, GRADING_MS);
    seen = await waitAfter(watch, seen, /Lab 3: 1 of 7 tasks done, \d+ \/ \d+ points/, 10_000);
    seen = await waitAfter(watch, seen, /Next: Task 1\.1 /, 10_000);
    seen = await waitAfter(watch, seen, /Watching /, 10_000);
    const done = (await readProgress(dir)).tasks["3.4"];
    assert.ok(done && done.failed === 0 && done.score === done.max && done.max > 0, String(done));
    assert.ok(graded < REACTION_MS, `grading started ${graded} ms after the save`);

    // One answer wrong: graded again, with the hint, and recorded.
    await Deno.writeTextFile(
      exercises,
      answers.replace("notSeven: number | null = -8", "notSeven: number | null = -7"),
    );
    seen = await waitAfter(watch, seen, /── Task 3\.4 — Bit exercises/, REACTION_MS);
    seen = await waitAfter(watch, seen, /✗ exercise 3: ~7 and ~-7[^\n]*\n\s+hint: /, GRADING_MS);
    seen = await waitAfter(watch, seen, /Lab 3: 0 of 7 tasks done/, 10_000);
    seen = await waitAfter(watch, seen, /Next: Task 1\.1 /, 10_000);
    const again = (await readProgress(dir)).tasks["3.4"];
    assert.equal(again.failed, 1, JSON.stringify(again));
    assert.ok(Date.parse(again.graded) > Date.parse(done.graded), "a new grading time");

    // A file of no task changes nothing.
    await Deno.writeTextFile(join(dir, "notes.txt"), "to do: Task 1.1\n");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.doesNotMatch(watch.stdout.slice(seen), /──/);
  } finally {
    const stopped = await watch.stop("SIGTERM");
    await Deno.remove(dir, { recursive: true });
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});
