/**
 * Tests of `deno task start`: it makes the work folder with every task's starters and
 * the modules they need, never overwrites a file, puts one task's starters back with
 * `--reset` (keeping the student's version), and explains a wrong call in one line.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertCleanFailure } from "../../harness/expect.ts";
import { startProgram } from "../../../tools/script/process.ts";
import { TASKS } from "../../../tools/student/tasks.ts";
import { LABS_DIR, REPO_ROOT, STARTERS_DIR } from "../../../tools/student/workspace.ts";

/** Runs `deno task -q start <args>` from the repository's top folder. */
async function start(...args: string[]) {
  return await startProgram(Deno.execPath(), ["task", "-q", "start", ...args], { cwd: REPO_ROOT })
    .finished(60_000);
}

/** A name for a work folder in the repository that does not exist yet. */
async function freshWorkDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: REPO_ROOT, prefix: ".start-test-" });
  await Deno.remove(dir);
  return dir;
}

const ALL_FILES = TASKS.flatMap((task) =>
  [...task.write, ...task.given].map((name) => `lab${task.lab}/${name}`)
);

Deno.test("start: makes the folder with every starter and given module, and says what is next", async () => {
  const dir = await freshWorkDir();
  try {
    const result = await start("--dir", dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`is ready: ${ALL_FILES.length} files created\\.`));
    assert.match(result.stdout, /^Next: Task 1\.1 — TCP echo server and client$/m);
    assert.match(result.stdout, /tcp_echo_server\.ts, .*tcp_echo_client\.ts$/m);
    assert.match(result.stdout, /\/lab1\/task-1-1#task-1-1/);
    assert.match(result.stdout, /deno task watch --dir /);
    for (const task of TASKS) {
      for (const name of task.write) {
        const [copy, starter] = await Promise.all([
          Deno.readTextFile(join(dir, `lab${task.lab}`, name)),
          Deno.readTextFile(join(STARTERS_DIR, `lab${task.lab}`, name)),
        ]);
        assert.equal(copy, starter, `${name} is its starter`);
        if (copy.startsWith("#!")) {
          const mode = (await Deno.stat(join(dir, `lab${task.lab}`, name))).mode ?? 0o777;
          assert.equal(mode & 0o111, 0o111, `${name} stays executable`);
        }
      }
      for (const name of task.given) {
        const [copy, reference] = await Promise.all([
          Deno.readTextFile(join(dir, `lab${task.lab}`, name)),
          Deno.readTextFile(join(LABS_DIR, `lab${task.lab}`, name)),
        ]);
        assert.equal(copy, reference, `${name} is the course's own`);
        assert.ok(!(await Deno.lstat(join(dir, `lab${task.lab}`, name))).isSymlink, "a copy");
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("start: run again, it adds what is missing and never overwrites a file", async () => {
  const dir = await freshWorkDir();
  try {
    assert.equal((await start("--dir", dir)).code, 0);
    const mine = join(dir, "lab1/tcp_echo_server.ts");
    await Deno.writeTextFile(mine, "// my echo server\n");
    await Deno.remove(join(dir, "lab2/wire_order.ts"));
    const again = await start("--dir", dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`1 files created, ${ALL_FILES.length - 1} already`));
    assert.equal(await Deno.readTextFile(mine), "// my echo server\n");
    await Deno.stat(join(dir, "lab2/wire_order.ts"));
    assert.match((await start("--dir", dir)).stdout, /already has all \d+ files: nothing was/);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("start --reset: puts a task's starters back and keeps the student's file", async () => {
  const dir = await freshWorkDir();
  try {
    assert.equal((await start("--dir", dir)).code, 0);
    const exercises = join(dir, "lab3/exercises.ts");
    await Deno.writeTextFile(exercises, "export const mine = 1;\n");
    const reset = await start("--dir", dir, "--reset", "3.4");
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /^Task 3\.4 — Bit exercises: restored lab3\/exercises\.ts$/m);
    const backup = reset.stdout.match(/kept as (.*exercises\.ts\.bak-[\dT-]+Z)$/m)?.[1];
    assert.ok(backup, reset.stdout);
    assert.equal(await Deno.readTextFile(join(REPO_ROOT, backup)), "export const mine = 1;\n");
    assert.equal(
      await Deno.readTextFile(exercises),
      await Deno.readTextFile(join(STARTERS_DIR, "lab3/exercises.ts")),
    );
    const entries: string[] = [];
    for await (const entry of Deno.readDir(join(dir, "lab3"))) entries.push(entry.name);
    assert.equal(
      entries.filter((name) => name.includes(".bak-")).length,
      1,
      "count_bits.ts was not changed: no backup",
    );

    const twice = await start("--dir", dir, "--reset", "3.4");
    assert.match(twice.stdout, /already as its starter has it; nothing changed/);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("start: a wrong folder or task is explained in one line", async () => {
  const dir = await freshWorkDir();
  assertCleanFailure(await start("--dir", "/tmp/mywork"), /directly inside the repository/, 2);
  assertCleanFailure(await start("--dir", "labs"), /course's own folders/, 2);
  assertCleanFailure(await start("--dir", dir, "--reset", "1.1"), /run deno task start first/, 2);
  assertCleanFailure(await start("--reset", "9.9"), /no task 9\.9 \(tasks: 1\.1 /, 2);
  assertCleanFailure(await start("--reset", "O1"), /no starters of its own; .* D1/, 2);
  assertCleanFailure(await start("--bogus"), /--bogus/, 2);
});
