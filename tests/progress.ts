/**
 * `deno task progress`: the table of your tasks (points, and done or how far along),
 * each lab's total, and what to do next, from the progress file that `deno task watch`
 * keeps in your work folder (`mywork/progress.json`).
 *
 *   deno task progress                # mywork/
 *   deno task progress --dir other
 *
 * @module
 */
import { parseCommandLine, runMain } from "../lib/cli.ts";
import { readProgress } from "../tools/student/progress.ts";
import {
  DEFAULT_WORK_DIR,
  requireWorkDir,
  resolveWorkDir,
  shownPath,
  userCwd,
} from "../tools/student/workspace.ts";
import { loadChecks } from "./grading/catalog.ts";
import { nextSteps, progressTable } from "./grading/progress_report.ts";

const { values } = parseCommandLine({
  summary: "Prints the tasks you have done, their points, and what is next.",
  name: "deno task progress",
  options: {
    dir: { default: DEFAULT_WORK_DIR, description: "your work folder (deno task start made it)" },
  },
});

await runMain(async () => {
  const dir = resolveWorkDir(values.dir, userCwd());
  await requireWorkDir(dir);
  const [progress, checks] = await Promise.all([readProgress(dir), loadChecks()]);
  console.log(progressTable(progress, checks));
  if (Object.keys(progress.tasks).length === 0) {
    console.log(
      `\nNothing graded yet: leave deno task watch running while you work, and it grades\n` +
        `the task of each file you save in ${shownPath(dir)}/.`,
    );
  }
  console.log(`\n${nextSteps(progress, checks, shownPath(dir))}`);
});
