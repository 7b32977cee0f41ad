/**
 * The README's commands run as written: every command of the task table starts with an
 * executable script of the repository (`./labs/lab1/x.ts`, not a bare `x.ts` that a shell
 * cannot find), and the table has a row for every task a student writes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TASKS } from "../../tools/student/tasks.ts";
import { REPO_ROOT } from "../../tools/student/workspace.ts";

const README = await Deno.readTextFile(join(REPO_ROOT, "README.md"));

/** The rows of the table whose header starts with `| Task`: their cells. */
function taskTable(): string[][] {
  const lines = README.split("\n");
  const start = lines.findIndex((line) => line.startsWith("| Task"));
  assert.ok(start >= 0, "README.md has a task table");
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

Deno.test("README: every command of the task table starts with an executable script", async () => {
  const rows = taskTable();
  let commands = 0;
  for (const [task, ...cells] of rows) {
    for (const cell of cells) {
      for (const [, command] of cell.matchAll(/`([^`]+)`/g)) {
        if (!command.includes(".ts")) continue; // `close`, a word to type
        commands++;
        const program = command.split(" ")[0];
        assert.match(program, /^\.\/(labs|tools)\/.+\.ts$/, `${task}: "${command}"`);
        const mode = (await Deno.stat(join(REPO_ROOT, program))).mode ?? 0o777;
        assert.equal(mode & 0o111, 0o111, `${task}: ${program} is not executable`);
      }
    }
  }
  assert.ok(commands >= 2 * rows.length - 5, `only ${commands} commands in ${rows.length} rows`);
});

Deno.test("README: the task table has a row for every task a student writes", () => {
  const tasks = new Set(taskTable().map(([task]) => task));
  const missing = TASKS.filter((task) => task.write.length > 0 && !tasks.has(task.id));
  assert.deepEqual(missing.map((task) => task.id), []);
});
