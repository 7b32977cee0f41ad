/**
 * Grading a class (`deno task grade --submissions DIR`): every student folder graded in
 * parallel, each in the sandbox, into a CSV gradebook and one report per student; a
 * broken or hostile submission costs only its own points.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROKEN_ECHO, hostileEcho, writeSubmission } from "../../harness/submissions.ts";
import { startProgram } from "../../../tools/script/process.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

Deno.test("grader --submissions: a gradebook and a report per student, each graded on its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "class-" });
  try {
    const target = join(dir, "target");
    await Deno.mkdir(target);
    await writeSubmission(join(dir, "class/ada"), 1);
    await writeSubmission(join(dir, "class/bob"), 1, [BROKEN_ECHO]);
    await writeSubmission(join(dir, "class/eve"), 1, [hostileEcho(target)]);
    const out = join(dir, "grades");
    const args = [
      "--submissions",
      join(dir, "class"),
      "--task",
      "1.1",
      "--out",
      out,
      "--jobs",
      "2",
    ];
    const result = await startProgram(Deno.execPath(), ["task", "-q", "grade", ...args], {
      cwd: ROOT,
    }).finished(600_000);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(
      result.stderr.match(/\] \d\/3 (ada|bob|eve): \d+ \/ \d+/g)?.length,
      3,
      result.stderr,
    );

    const [header, ...rows] = (await Deno.readTextFile(join(out, "gradebook.csv"))).trim()
      .split("\n").map((line) => line.split(","));
    assert.deepEqual(header, ["student", "total", "max", "1.1", "note"]);
    const totals = Object.fromEntries(
      rows.map(([student, total, max]) => [student, [+total, +max]]),
    );
    const [full, max] = totals.ada;
    assert.equal(full, max, "the reference copy scores full marks");
    assert.ok(totals.bob[0] < max, "the broken copy scores less");
    assert.equal(totals.eve[0], max - 1, "the hostile copy loses only its least-privilege point");
    assert.deepEqual([...Deno.readDirSync(target)], [], "a submission wrote or ran something");
    for (const student of ["ada", "bob", "eve"]) {
      assert.match(await Deno.readTextFile(join(out, `${student}.txt`)), /^Total: \d+ \/ \d+$/m);
    }
    assert.match(await Deno.readTextFile(join(out, "bob.txt")), /hint: echo the bytes/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
