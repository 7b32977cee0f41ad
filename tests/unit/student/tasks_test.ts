/**
 * Tests of the list of tasks and starters (`tools/student/tasks.ts`, `starters/`): it
 * names every task the checks grade, in their order; every file of `labs/` is a starter
 * or a module given whole; every script a contract check runs is a file of its task; and
 * each starter keeps its reference's first line and exports, and points to its handout,
 * a page of the site in both languages.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startProgram } from "../../../tools/script/process.ts";
import { filesOf, TASKS, tasksOfFile } from "../../../tools/student/tasks.ts";
import { LABS_DIR, REPO_ROOT, STARTERS_DIR } from "../../../tools/student/workspace.ts";
import { movedAnchors } from "../../../site/.vitepress/moved-anchors.ts";

/** A check as `deno task grade --list --json` lists it. */
interface ListedCheck {
  id: string;
  task: string;
  points: number;
}

/** Every graded check, from the grader itself (importing the checks here would register them as tests). */
async function listChecks(): Promise<ListedCheck[]> {
  const result = await startProgram(Deno.execPath(), ["task", "-q", "grade", "--list", "--json"], {
    cwd: REPO_ROOT,
  }).finished(60_000);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf("\n[") + 1));
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("tasks: the same tasks as the checks grade, in the grader's order", async () => {
  const graded = [...new Set((await listChecks()).map((check) => check.task))];
  assert.deepEqual(TASKS.map((task) => task.id), graded);
  assert.equal(new Set(TASKS.map((task) => task.id)).size, TASKS.length, "ids are unique");
});

Deno.test("tasks: every script a contract check runs is a file of that check's task", async () => {
  const contract = (await listChecks()).filter((check) => check.id.includes("-contract-"));
  assert.ok(contract.length > 40, `only ${contract.length} contract checks`);
  for (const { id, task } of contract) {
    const name = `${id.replace(`${task}-contract-`, "").replace(/-bind$/, "")}.ts`;
    const owner = TASKS.find((candidate) => candidate.id === task)!;
    assert.ok(filesOf(owner).includes(`lab${owner.lab}/${name}`), `${id}: ${name} not in ${task}`);
  }
});

Deno.test("tasks: every file of labs/ is written or given by exactly one task", async () => {
  for (const lab of await names(LABS_DIR)) {
    for (const name of await names(join(LABS_DIR, lab))) {
      const owners = TASKS.filter((task) =>
        `lab${task.lab}` === lab && [...task.write, ...task.given].includes(name)
      );
      assert.equal(owners.length, 1, `${lab}/${name} belongs to ${owners.map((t) => t.id)}`);
    }
  }
  for (const task of TASKS) {
    for (const name of filesOf(task)) {
      await Deno.stat(join(LABS_DIR, name)); // a reference for every file of a task
      assert.ok(tasksOfFile(name).includes(task), `${name} leads back to ${task.id}`);
    }
  }
});

Deno.test("starters: one per written file, and the given modules linked from labs/", async () => {
  for (const lab of await names(STARTERS_DIR)) {
    const expected = TASKS.filter((task) => `lab${task.lab}` === lab)
      .flatMap((task) => [...task.write, ...task.given]).sort();
    assert.deepEqual(await names(join(STARTERS_DIR, lab)), expected, `starters/${lab}`);
  }
  for (const task of TASKS) {
    for (const name of task.given) {
      // A link, so that the starters type-check in place; `deno task start` copies labs/.
      const link = join(STARTERS_DIR, `lab${task.lab}`, name);
      assert.equal(await Deno.readLink(link), `../../labs/lab${task.lab}/${name}`);
    }
    for (const name of task.write) {
      const info = await Deno.lstat(join(STARTERS_DIR, `lab${task.lab}`, name));
      assert.ok(info.isFile, `starters/lab${task.lab}/${name} is a file of its own`);
    }
  }
});

Deno.test("starters: the reference's first line and exports, TODOs, and the handout section", async () => {
  for (const task of TASKS) {
    for (const name of task.write) {
      const path = join(STARTERS_DIR, `lab${task.lab}`, name);
      const starter = await Deno.readTextFile(path);
      const reference = await Deno.readTextFile(join(LABS_DIR, `lab${task.lab}`, name));
      const where = `starters/lab${task.lab}/${name}`;
      assert.equal(starter.split("\n")[0], reference.split("\n")[0], `${where}: line 1`);
      assert.match(starter, new RegExp(`TODO\\(${task.id}\\)`), `${where}: a TODO(${task.id})`);
      assert.ok(starter.includes(task.handout), `${where} names ${task.handout}`);
      if (starter.startsWith("#!")) {
        const mode = (await Deno.stat(path)).mode ?? 0o777;
        assert.equal(mode & 0o111, 0o111, `${where} is not executable: chmod +x it`);
      } else {
        const [mine, theirs] = await Promise.all([
          import(path),
          import(path.replace(STARTERS_DIR, LABS_DIR)),
        ]);
        const missing = Object.keys(theirs).filter((key) => !(key in mine));
        assert.deepEqual(missing, [], `${where} lacks exports of the reference`);
      }
    }
  }
});

Deno.test("each task's handout is a page of the site in both languages, at an anchor it has", async () => {
  // The site's test checks that every place in movedAnchors exists on its built page.
  const places = new Set(
    Object.values(movedAnchors).flatMap((anchors) => Object.values(anchors))
      .map((target) => "/" + target.replace(".html", "")),
  );
  for (const task of TASKS) {
    const [page] = task.handout.split("#");
    for (const lang of ["", "es"]) {
      const info = await Deno.stat(join(REPO_ROOT, "site", lang, `${page}.md`));
      assert.ok(info.isFile, `${task.id}: site${lang ? "/" + lang : ""}${page}.md`);
    }
    assert.ok(places.has(task.handout), `${task.id}: ${task.handout} is a known place of the site`);
  }
});
