/**
 * A made-up class, graded the way an instructor grades one: copies of the reference Lab 1
 * in a temporary folder, one folder per student (3 broken the ways students get it wrong,
 * 1 hostile: as it starts, it tries to write a results file into the grades folder and to
 * run `touch` there), then `deno task grade --submissions` on them. Prints the gradebook, the wall
 * time and the machine's load, and fails if the hostile copy wrote or ran anything.
 *
 *   deno run -P=checks tests/grading/sample_class.ts               # 30 students, Lab 1
 *   deno run -P=checks tests/grading/sample_class.ts --students 6 --task 1.1
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { startProgram } from "../../tools/script/process.ts";
import {
  BROKEN_ECHO,
  type Edit,
  hostileEcho,
  NO_SIGTERM,
  TYPE_ERROR,
  writeSubmission,
} from "../harness/submissions.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const { values } = parseCommandLine({
  summary: "Grades a made-up class of Lab 1 copies (3 broken, 1 hostile) and prints the gradebook.",
  name: "deno run -P=checks tests/grading/sample_class.ts",
  options: {
    students: { valueName: "N", default: "30", description: "how many students (at least 4)" },
    task: { valueName: "T", description: "grade only this task of Lab 1 (default: all of it)" },
    jobs: { valueName: "N", description: "students graded at once (default: the grader's)" },
    keep: { type: "boolean", description: "keep the class folder and print where it is" },
  },
});

/** The machine's load, as `uptime` prints it (Deno reads it only with --allow-sys). */
async function uptime(): Promise<string> {
  const { stdout } = await new Deno.Command("uptime", { stdout: "piped" }).output();
  return new TextDecoder().decode(stdout).trim();
}

await runMain(async () => {
  const count = Number(values.students);
  if (!Number.isInteger(count) || count < 4) {
    throw new UsageError(`--students must be a whole number from 4 (got "${values.students}")`);
  }
  const dir = await Deno.makeTempDir({ prefix: "sample-class-" });
  try {
    const out = join(dir, "grades");
    await Deno.mkdir(out);
    // The hostile copy aims at the grades folder: its own results file, and a mark if it
    // could run `touch`.
    const hostile = hostileEcho(out);
    const faults: [string, Edit][] = [
      ["broken-echo", BROKEN_ECHO],
      ["type-error", TYPE_ERROR],
      ["no-sigterm", NO_SIGTERM],
      ["hostile", hostile],
    ];
    for (let i = 1; i <= count; i++) {
      const [fault, edit] = faults[count - i] ?? ["", undefined];
      const name = `student${String(i).padStart(2, "0")}${fault ? `-${fault}` : ""}`;
      await writeSubmission(join(dir, "class", name), 1, edit ? [edit] : []);
    }
    const args = ["task", "-q", "grade", "--submissions", join(dir, "class"), "--out", out];
    args.push(...values.task ? ["--task", values.task] : ["--lab", "1"]);
    if (values.jobs) args.push("--jobs", values.jobs);
    console.log(`before: ${await uptime()}`);
    const started = performance.now();
    const result = await startProgram(Deno.execPath(), args, { cwd: ROOT }).finished(7_200_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(result.stderr.trimEnd());
    console.log(`after:  ${await uptime()}`);
    console.log(await Deno.readTextFile(join(out, "gradebook.csv")));
    console.log(`${count} students graded in ${seconds.toFixed(1)} s`);
    const left = [...Deno.readDirSync(out)].map((entry) => entry.name)
      .filter((name) => name === "results.json" || name === "ran");
    if (left.length > 0) throw new Error(`the hostile copy wrote or ran: ${left.join(", ")}`);
    if (result.code !== 0) throw new Error(`the grader exited with ${result.code}`);
  } finally {
    if (values.keep) console.log(`kept ${dir}`);
    else await Deno.remove(dir, { recursive: true });
  }
});
