/**
 * `deno task start`: makes your work folder (`mywork/`), with a starter for every script
 * a task asks you to write and the modules those scripts need. A file that is already
 * there is never overwritten, so running it again only adds what is missing.
 *
 *   deno task start                   # creates mywork/ (or completes it)
 *   deno task start --dir other       # another folder, directly inside the repository
 *   deno task start --reset 1.1       # puts Task 1.1's starters back; your files are
 *                                     # kept as <file>.bak-<time>
 *
 * Each starter runs as it is: it keeps the script contract (line 1, `--help`, the flags,
 * the `listening on` line of a server) and leaves the lesson as TODO comments that name
 * the handout section, so it fails its task's checks with hints until you write it.
 *
 * @module
 */
import { resolve } from "node:path";
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { describeNext, nextTask, readProgress } from "./progress.ts";
import { type CourseTask, findTask, TASKS } from "./tasks.ts";
import {
  createWorkFolder,
  DEFAULT_WORK_DIR,
  requireWorkDir,
  resetTask,
  resolveWorkDir,
  shownPath,
  userCwd,
} from "./workspace.ts";

const { values } = parseCommandLine({
  summary: "Creates your work folder with a starter for every task; never overwrites a file.",
  name: "deno task start",
  options: {
    dir: {
      default: DEFAULT_WORK_DIR,
      description: "your work folder, directly inside the repository",
    },
    reset: {
      valueName: "TASK",
      description: "put this task's starters back, keeping your files as <file>.bak-<time>",
    },
  },
});

function printNext(dir: string, task: CourseTask | undefined): void {
  for (const line of describeNext(task, shownPath(dir))) console.log(line);
  if (task === undefined) return;
  const dirArg = shownPath(dir) === DEFAULT_WORK_DIR ? "" : ` --dir ${shownPath(dir)}`;
  console.log(`  grade   deno task watch${dirArg}   (re-grades the task of each file you save)`);
  console.log(`     or   deno task grade --dir ${shownPath(dir)} --task ${task.id}`);
}

async function start(dir: string): Promise<void> {
  const { created, kept } = await createWorkFolder(dir);
  const all = TASKS.flatMap((task) => [...task.write, ...task.given]).length;
  if (created.length === 0) {
    console.log(`${shownPath(dir)}/ already has all ${all} files: nothing was changed.`);
  } else {
    console.log(
      `${shownPath(dir)}/ is ready: ${created.length} files created` +
        (kept.length > 0 ? `, ${kept.length} already there kept as they were.` : "."),
    );
    const labs = [...new Set(created.map((file) => file.split("/")[0]))];
    for (const lab of labs) {
      const names = created.filter((file) => file.startsWith(`${lab}/`));
      console.log(`  ${lab}/  ${names.length} files`);
    }
    console.log(
      "Each starter runs as it is and fails its task's checks, with hints, until you fill\n" +
        "in its TODOs; the modules a task gives you are the course's own, whole.",
    );
  }
  console.log(`deno task start --reset TASK puts a task's starters back.\n`);
  printNext(dir, nextTask(await readProgress(dir)));
}

async function reset(dir: string, id: string): Promise<void> {
  const task = findTask(id);
  if (task === undefined) {
    throw new UsageError(`--reset: no task ${id} (tasks: ${TASKS.map((t) => t.id).join(" ")})`);
  }
  if (task.write.length === 0) {
    const owners = TASKS.filter((other) => task.uses.some((name) => other.write.includes(name)));
    throw new UsageError(
      `--reset: task ${id} has no starters of its own; it grades the files of ` +
        owners.map((owner) => owner.id).join(", "),
    );
  }
  await requireWorkDir(dir);
  const { restored, backups } = await resetTask(dir, task);
  if (restored.length === 0) {
    console.log(`Task ${id}: every file is already as its starter has it; nothing changed.`);
    return;
  }
  console.log(`Task ${id} — ${task.title}: restored ${restored.join(", ")}`);
  for (const backup of backups) {
    console.log(`  your version is kept as ${shownPath(resolve(dir, backup))}`);
  }
}

await runMain(async () => {
  const dir = resolveWorkDir(values.dir, userCwd());
  if (values.reset !== undefined) await reset(dir, values.reset);
  else await start(dir);
});
