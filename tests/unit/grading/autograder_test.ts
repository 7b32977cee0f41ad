/**
 * The platform bundles of `deno task autograder`, run the way each platform runs them:
 *
 * - Gradescope: in a private mount namespace with a tmpfs at /autograder, the zip unpacked
 *   into /autograder/source and `setup.sh` run as root with the network on a machine
 *   without Deno (every `deno` on PATH covered by a file that cannot run): it installs Deno
 *   through npm, into a global prefix on the tmpfs. Then, as for every submission on the
 *   platform, `run_autograder` in a container of its own (a nested mount namespace with
 *   fresh /autograder/submission and /autograder/results) with no network at all (only
 *   loopback) and a Deno cache that only setup.sh filled;
 * - PrairieLearn: likewise with a tmpfs at /grade, its entrypoint run offline in a
 *   container of its own per submission;
 * - GitHub Classroom: the workflow's `run:` steps, in order, in a copy of the template
 *   with the student's files in it, offline, and its per-task outputs read back as the
 *   reporter reads them.
 *
 * Each is graded on the reference Lab 1 (full marks) and on a broken copy (fewer, with
 * hints), the two at the same time (as a platform grades two students). The bundles grade
 * Task 1.1 only (`--task 1.1`), to keep this quick; building a whole lab is the same code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROKEN_ECHO, makeSubmission } from "../../harness/submissions.ts";
import { hasProgram, isRoot } from "../../../tools/script/host.ts";
import { startProgram } from "../../../tools/script/process.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const CAN_CONTAIN = isRoot() && hasProgram("unshare") && hasProgram("unzip");

/** Builds a bundle of Task 1.1 for `platform` into a new folder. */
async function build(platform: string): Promise<string> {
  const out = await Deno.makeTempDir({ prefix: `bundle-${platform}-` });
  const result = await startProgram(
    Deno.execPath(),
    ["task", "-q", "autograder", platform, "--lab", "1", "--task", "1.1", "--out", out],
    { cwd: ROOT },
  ).finished(60_000);
  assert.equal(result.code, 0, result.stderr);
  return out;
}

/** Runs `script` with bash in a private mount namespace; fails with its output if it fails. */
async function contained(script: string, env: Record<string, string>): Promise<void> {
  const run = new Deno.Command("unshare", {
    args: ["-m", "bash", "-c", `set -euo pipefail\n${script}`],
    env: { ...env, PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await run.output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, output);
}

/** The mount point a platform grades in, made once (an empty folder, as on the platform). */
async function mountPoint(path: string): Promise<void> {
  await Deno.mkdir(path, { recursive: true });
}

/** What a platform's results.json says: the score, its maximum, and the failed tests' output. */
interface Graded {
  score: number;
  max: number;
  failedOutputs: string[];
}

/** The results.json files of `count` submissions graded in `out`. */
function resultFiles(out: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => join(out, `results-${i}.json`));
}

/**
 * Shell lines that grade each submission (`$SUBMISSION_<i>`) in a container of its own,
 * all at once, as a platform does: a private mount namespace with fresh tmpfs folders at
 * `input` and `results`, the grader run by `command` with no network but loopback, its
 * `results.json` copied to `$RESULTS_<i>`.
 */
function gradeEach(count: number, input: string, results: string, command: string): string {
  const one = `mount -t tmpfs tmpfs ${input}; mount -t tmpfs tmpfs ${results}
cp -r "$0"/. ${input}/
unshare -n bash -c 'ip link set lo up && ${command}'
cp ${results}/results.json "$1"`;
  const runs = Array.from(
    { length: count },
    (_, i) =>
      `unshare -m bash -euo pipefail -c '${one.replaceAll("'", "'\\''")}' ` +
      `"$SUBMISSION_${i}" "$RESULTS_${i}" & pids+=($!)`,
  );
  return `pids=()\n${runs.join("\n")}\nfor pid in "\${pids[@]}"; do wait "$pid"; done`;
}

/** `$SUBMISSION_<i>` and `$RESULTS_<i>` for {@linkcode gradeEach}. */
function submissionEnv(submissions: string[], results: string[]): Record<string, string> {
  return Object.fromEntries(submissions.flatMap((dir, i) => [
    [`SUBMISSION_${i}`, dir],
    [`RESULTS_${i}`, results[i]],
  ]));
}

/** What npm needs of this machine's environment to reach the registry (setup.sh's network). */
function npmEnv(): Record<string, string> {
  const names = ["HOME", "NODE_EXTRA_CA_CERTS", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];
  const env: Record<string, string> = {};
  for (const name of [...names, ...names.map((name) => name.toLowerCase())]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Grades `submissions` as Gradescope does, with the bundle in `bundle`: the image is built
 * once (the zip unpacked into /autograder/source, setup.sh run as root with the network,
 * on a machine without Deno: it installs Deno through npm, into a global prefix on the
 * tmpfs), then each submission is graded in a container of its own, offline.
 */
async function gradescope(bundle: string, submissions: string[], out: string): Promise<Graded[]> {
  await mountPoint("/autograder");
  const results = resultFiles(out, submissions.length);
  await contained(
    `mount -t tmpfs tmpfs /autograder
mkdir -p /autograder/source /autograder/submission /autograder/results /autograder/npm
cd /autograder/source && unzip -q "$BUNDLE/autograder.zip"
# No Deno on this machine: every deno on PATH is covered by an empty file that cannot run.
touch /autograder/no-deno
type -ap deno | xargs -r realpath | sort -u | while read -r deno; do
  mount --bind /autograder/no-deno "$deno"
done
if deno --version 2>/dev/null; then echo "deno still runs"; exit 1; fi
export NPM_CONFIG_PREFIX=/autograder/npm PATH="/autograder/npm/bin:$PATH"
export DENO_DIR=/autograder/.deno-cache
bash /autograder/source/setup.sh
test "$(command -v deno)" = /autograder/npm/bin/deno
cp /autograder/source/run_autograder /autograder/run_autograder
${
      gradeEach(
        submissions.length,
        "/autograder/submission",
        "/autograder/results",
        "/autograder/run_autograder",
      )
    }`,
    {
      BUNDLE: bundle,
      ...npmEnv(),
      ...submissionEnv(submissions, results),
    },
  );
  return await Promise.all(results.map(async (file) => {
    const results = JSON.parse(await Deno.readTextFile(file));
    type Test = { score: number; max_score: number; status: string; output: string };
    const tests: Test[] = results.tests;
    for (const test of tests) {
      assert.equal((test as unknown as Record<string, string>).output_format, "md");
      assert.equal((test as unknown as Record<string, string>).visibility, "visible");
    }
    return {
      score: results.score,
      max: tests.reduce((sum, test) => sum + test.max_score, 0),
      failedOutputs: tests.filter((test) => test.status === "failed").map((test) => test.output),
    };
  }));
}

/**
 * Grades `submissions` as PrairieLearn's external grader does, with the course part in
 * `bundle`: each in a container of its own, offline, at the same time.
 */
async function prairielearn(
  bundle: string,
  submissions: string[],
  out: string,
): Promise<Graded[]> {
  await mountPoint("/grade");
  const info = JSON.parse(await Deno.readTextFile(join(bundle, "questions/netlab/lab1/info.json")));
  const results = resultFiles(out, submissions.length);
  await contained(
    `mount -t tmpfs tmpfs /grade
mkdir -p /grade/student /grade/results
cp -r "$BUNDLE/serverFilesCourse" /grade/serverFilesCourse
export DENO_DIR=/grade/.deno-cache
${
      gradeEach(
        submissions.length,
        "/grade/student",
        "/grade/results",
        info.externalGradingOptions.entrypoint,
      )
    }`,
    { BUNDLE: bundle, ...submissionEnv(submissions, results) },
  );
  return await Promise.all(results.map(async (file) => {
    const results = JSON.parse(await Deno.readTextFile(file));
    assert.equal(results.gradable, true);
    type Test = { points: number; max_points: number; message: string; output: string };
    const tests: Test[] = results.tests;
    const score = tests.reduce((sum, test) => sum + test.points, 0);
    const max = tests.reduce((sum, test) => sum + test.max_points, 0);
    assert.ok(Math.abs(results.score - score / max) < 1e-9, "score is the fraction of points");
    return {
      score,
      max,
      failedOutputs: tests.filter((test) => test.points < test.max_points)
        .map((test) => `${test.message}\n${test.output}`),
    };
  }));
}

/** The `run:` blocks of a workflow we wrote (`run: |` and its indented lines), in order. */
function runSteps(workflow: string): string[] {
  const steps: string[] = [];
  const lines = workflow.split("\n");
  lines.forEach((line, i) => {
    const start = /^(\s*)run: \|$/.exec(line);
    if (!start) return;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s*$|^\s{10,}/.test(lines[j]); j++) {
      if (lines[j].length <= start[1].length + 2 && lines[j].trim() !== "") break;
      body.push(lines[j].slice(start[1].length + 2));
    }
    steps.push(body.join("\n"));
  });
  return steps;
}

/** Runs the Classroom workflow's steps for each of `submissions`, at the same time. */
async function classroom(bundle: string, submissions: string[], out: string): Promise<Graded[]> {
  return await Promise.all(submissions.map(async (submission) => {
    return await classroomRun(bundle, submission, await Deno.makeTempDir({ dir: out }));
  }));
}

/** Runs the Classroom workflow's steps in a copy of the template holding `submission`. */
async function classroomRun(bundle: string, submission: string, out: string): Promise<Graded> {
  const workspace = join(out, "repository");
  await contained(`cp -r "$BUNDLE" "$WORKSPACE"`, { BUNDLE: bundle, WORKSPACE: workspace });
  await Deno.mkdir(join(workspace, "labs/lab1"), { recursive: true });
  for await (const entry of Deno.readDir(submission)) {
    await Deno.copyFile(join(submission, entry.name), join(workspace, "labs/lab1", entry.name));
  }
  const workflow = await Deno.readTextFile(join(workspace, ".github/workflows/classroom.yml"));
  const output = join(out, "github_output");
  await Deno.writeTextFile(output, "");
  for (const step of runSteps(workflow)) {
    await Deno.writeTextFile(join(out, "step.sh"), step);
    await contained(
      `cd "$GITHUB_WORKSPACE"\nunshare -n bash -c 'ip link set lo up && bash -e "$OUT/step.sh"'`,
      {
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: out,
        OUT: out,
        HOME: Deno.env.get("HOME") ?? "/root",
      },
    );
  }
  // As the reporter reads them: <RUNNER>_RESULTS from the step's outputs, for each runner.
  const runners = /runners: (.+)$/m.exec(workflow)![1].split(",");
  const outputs = new Map(
    (await Deno.readTextFile(output)).trim().split("\n").map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
  let score = 0;
  let max = 0;
  const failedOutputs: string[] = [];
  for (const runner of runners) {
    assert.match(
      workflow,
      new RegExp(
        `${runner.toUpperCase()}_RESULTS: "\\$\\{\\{ steps\\.grade\\.outputs\\.${runner} \\}\\}"`,
      ),
    );
    const encoded = outputs.get(runner);
    assert.ok(encoded, `no output ${runner}`);
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    const results = JSON.parse(new TextDecoder().decode(bytes));
    assert.equal(results.version, 1);
    max += results.max_score;
    for (const test of results.tests) {
      score += test.score;
      if (test.status === "fail") failedOutputs.push(test.message);
    }
  }
  return { score, max, failedOutputs };
}

const PLATFORMS = { gradescope, prairielearn, classroom };

for (const [platform, run] of Object.entries(PLATFORMS)) {
  Deno.test({
    name: `autograder ${platform}: the reference scores full marks, a broken copy fewer with hints`,
    ignore: !CAN_CONTAIN,
    async fn() {
      const bundle = await build(platform);
      const reference = await makeSubmission(1);
      const broken = await makeSubmission(1, [BROKEN_ECHO]);
      const out = await Deno.makeTempDir({ prefix: `graded-${platform}-` });
      try {
        const [full, less] = await run(bundle, [reference, broken], out);
        assert.ok(full.max > 0);
        assert.equal(full.score, full.max, full.failedOutputs.join("\n"));
        assert.equal(less.max, full.max);
        assert.ok(less.score < less.max, "the broken copy scored full marks");
        assert.ok(
          less.failedOutputs.some((text) => /echo the bytes you read as bytes/.test(text)),
          `no hint among:\n${less.failedOutputs.join("\n")}`,
        );
      } finally {
        for (const dir of [bundle, reference, broken, out]) {
          await Deno.remove(dir, { recursive: true });
        }
      }
    },
  });
}

Deno.test("autograder: a platform it does not know, or no --lab, ends in one line", async () => {
  for (const args of [["moodle", "--lab", "1", "--out", "x"], ["gradescope", "--out", "x"]]) {
    const result = await startProgram(Deno.execPath(), ["task", "-q", "autograder", ...args], {
      cwd: ROOT,
    }).finished(30_000);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});
