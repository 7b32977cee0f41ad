/**
 * Builds the course's grader for a course platform, for one lab:
 *
 *   deno task autograder gradescope --lab 1 --out dist/    # dist/autograder.zip
 *   deno task autograder classroom --lab 1 --out template/ # a student template repository
 *   deno task autograder prairielearn --lab 1 --out pl/    # an external-grader course part
 *   deno task autograder gradescope --lab 1 --task 1.1 --out dist/  # one task's checks only
 *
 * Each bundle carries a copy of what grading needs (deno.json, lib/, labs/, tools/ and
 * tests/ without its unit tests) and calls the grader only through its entry point,
 * `deno task grade`, which runs every submitted script in the course's sandbox. Grading
 * needs no network: the platforms run it offline.
 *
 * @module
 */
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { classroomRunner } from "./classroom.ts";
import { zipArchive, type ZipEntry } from "./zip.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a bundle copies from this repository, and what it leaves out of those folders. */
const COPIED = ["deno.json", "lib", "labs", "tools", "tests"];
const LEFT_OUT = new Set(["tests/unit"]);

/** The Deno release the platforms install: the one building the bundle. */
const DENO_VERSION = Deno.version.deno;

/** What the grader lists about a check (`deno task grade --list --json`). */
interface CheckInfo {
  id: string;
  task: string;
  title: string;
  points: number;
}

type Files = Map<string, { data: Uint8Array; mode: number }>;

const encoder = new TextEncoder();

/** The grader's files, as paths relative to the bundle's grader folder. */
async function graderFiles(): Promise<Files> {
  const files: Files = new Map();
  const walk = async (path: string): Promise<void> => {
    if (LEFT_OUT.has(path)) return;
    const info = await Deno.stat(join(ROOT, path));
    if (info.isDirectory) {
      for await (const entry of Deno.readDir(join(ROOT, path))) await walk(`${path}/${entry.name}`);
    } else if (info.isFile) {
      files.set(path, { data: await Deno.readFile(join(ROOT, path)), mode: info.mode! & 0o777 });
    }
  };
  for (const path of COPIED) await walk(path);
  return files;
}

/** The checks of `scope`, from the grader's entry point. */
async function labChecks(scope: Scope): Promise<CheckInfo[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "grade", "--list", "--json", ...scopeArgs(scope).split(" ")],
    cwd: ROOT,
  }).output();
  if (code !== 0) throw new UsageError(new TextDecoder().decode(stderr).trim().split("\n")[0]);
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** The scripts (first line `#!`) and the modules of the reference `labs/lab<lab>/`. */
async function labFiles(lab: string): Promise<{ scripts: string[]; modules: string[] }> {
  const scripts: string[] = [];
  const modules: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "labs", `lab${lab}`))) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    const source = await Deno.readTextFile(join(ROOT, "labs", `lab${lab}`, entry.name));
    (source.startsWith("#!") ? scripts : modules).push(entry.name);
  }
  return { scripts: scripts.sort(), modules: modules.sort() };
}

function text(content: string, mode = 0o644) {
  return { data: encoder.encode(content), mode };
}

/** Writes `files` under `out`, each path relative to it. */
async function writeFiles(out: string, files: Files): Promise<void> {
  for (const [path, { data, mode }] of files) {
    const target = join(out, path);
    await Deno.mkdir(join(target, ".."), { recursive: true });
    await Deno.writeFile(target, data, { mode });
    await Deno.chmod(target, mode);
  }
}

/** The same files, under a folder. */
function under(folder: string, files: Files): Files {
  return new Map([...files].map(([path, file]) => [`${folder}/${path}`, file]));
}

/** The shell lines that install Deno through npm unless this release is already there. */
function installDeno(): string {
  return `if ! deno --version 2>/dev/null | grep -q "^deno ${DENO_VERSION} "; then
  command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
  npm install -g "deno@${DENO_VERSION}" --no-fund --no-audit
fi`;
}

/** What a bundle grades: a lab, or one task of it. */
interface Scope {
  lab: string;
  task?: string;
}

/** The grader's arguments that choose the checks of `scope`. */
function scopeArgs({ lab, task }: Scope): string {
  return task === undefined ? `--lab ${lab}` : `--lab ${lab} --task ${task}`;
}

/** Gradescope: `autograder.zip` with setup.sh and run_autograder at its root. */
async function gradescope(scope: Scope, out: string): Promise<string> {
  const { lab } = scope;
  const files = await graderFiles();
  files.set(
    "setup.sh",
    text(
      `#!/usr/bin/env bash
# Gradescope runs this once, as root and with network, while it builds the image:
# it installs Deno ${DENO_VERSION} through npm and caches (type-checks) what grading loads,
# so that grading itself needs no network.
set -euo pipefail
${installDeno()}
cd "$(dirname "$0")"
deno check --quiet --unstable-net tests/grade.ts labs/lab${lab}/*.ts
`,
      0o755,
    ),
  );
  files.set(
    "run_autograder",
    text(
      `#!/usr/bin/env bash
# Gradescope runs this for each submission, offline: it grades Lab ${lab} in the files of
# /autograder/submission (bare, or laid out like labs/) with the course's checks, every
# script in the course's sandbox, and writes /autograder/results/results.json.
set -uo pipefail
cd /autograder/source
mkdir -p /autograder/results
deno task -q grade --dir /autograder/submission ${scopeArgs(scope)} \\
  --gradescope /autograder/results/results.json
exit 0
`,
      0o755,
    ),
  );
  const entries: ZipEntry[] = [...files].sort(([a], [b]) => a.localeCompare(b))
    .map(([path, { data, mode }]) => ({ path, data, mode }));
  await Deno.mkdir(out, { recursive: true });
  const zip = join(out, "autograder.zip");
  await Deno.writeFile(zip, zipArchive(entries));
  return zip;
}

/** A UUID that stays the same for the same name (PrairieLearn keys questions by UUID). */
function stableUuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${
    hex.slice(17, 20)
  }-${hex.slice(20, 32)}`;
}

/** PrairieLearn: the grader in serverFilesCourse/, a question, and the image's Dockerfile. */
async function prairielearn(scope: Scope, out: string): Promise<string> {
  const { lab } = scope;
  const folder = "serverFilesCourse/netlab_grader";
  const files = under(folder, await graderFiles());
  const { scripts, modules } = await labFiles(lab);
  files.set(
    `${folder}/grade.sh`,
    text(
      `#!/usr/bin/env bash
# PrairieLearn's external grader runs this, offline, in the image of ../../image/Dockerfile:
# it grades Lab ${lab} in the files of /grade/student with the course's checks, every script
# in the course's sandbox, and writes /grade/results/results.json.
set -uo pipefail
cd "$(dirname "$0")"
mkdir -p /grade/results
deno task -q grade --dir /grade/student ${scopeArgs(scope)} \\
  --prairielearn /grade/results/results.json
exit 0
`,
      0o755,
    ),
  );
  files.set(
    `questions/netlab/lab${lab}/info.json`,
    text(
      JSON.stringify(
        {
          uuid: stableUuid(`netlab lab ${lab}`),
          title: `Lab ${lab}: upload your scripts`,
          topic: "Network programming",
          tags: ["netlab", "deno"],
          type: "v3",
          singleVariant: true,
          gradingMethod: "External",
          externalGradingOptions: {
            enabled: true,
            image: "netlab-deno-grader",
            serverFilesCourse: ["netlab_grader/"],
            entrypoint: `/grade/serverFilesCourse/netlab_grader/grade.sh`,
            timeout: 900,
          },
        },
        null,
        2,
      ) + "\n",
    ),
  );
  files.set(
    `questions/netlab/lab${lab}/question.html`,
    text(
      `<pl-question-panel>
  <p>Upload your Lab ${lab} scripts. Each runs with the permissions the course declares for
  it, whatever its first line asks for; a first line asking for more loses its point.</p>
</pl-question-panel>

<pl-file-upload file-names="${scripts.join(", ")}" optional-file-names="${
        modules.join(", ")
      }"></pl-file-upload>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
`,
    ),
  );
  files.set(
    "image/Dockerfile",
    text(
      `# The external grader's image: Deno ${DENO_VERSION} (from npm), python3 for the checks that
# talk to the handouts' Python programs, and prlimit (util-linux) for the memory limits.
# Build and push it under the name info.json gives: docker build -t netlab-deno-grader .
FROM node:22-bookworm-slim
RUN npm install -g deno@${DENO_VERSION} --no-fund --no-audit \\
  && apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 util-linux \\
  && rm -rf /var/lib/apt/lists/*
`,
    ),
  );
  await writeFiles(out, files);
  return out;
}

/** GitHub Classroom: a student template repository whose workflow grades on every push. */
async function classroom(scope: Scope, out: string): Promise<string> {
  const { lab } = scope;
  const files = under(".grader", await graderFiles());
  const checks = await labChecks(scope);
  const tasks = [...new Set(checks.map((check) => check.task))];
  const reporterEnv = tasks.map((task) =>
    `          ${classroomRunner(task).toUpperCase()}_RESULTS: "\${{ steps.grade.outputs.${
      classroomRunner(task)
    } }}"`
  );
  files.set(
    ".github/workflows/classroom.yml",
    text(
      `# Grades Lab ${lab} on every push with the course's checks, offline (nothing is downloaded
# once Deno is installed), and reports points per task to GitHub Classroom.
name: Autograding Tests
"on": [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Install Deno
        run: |
          ${installDeno().replaceAll("\n", "\n          ")}
      - name: Grade Lab ${lab}
        id: grade
        run: |
          deno task --cwd .grader -q grade --dir "$GITHUB_WORKSPACE" ${scopeArgs(scope)} \\
            --classroom "$RUNNER_TEMP/classroom.txt" || true
          cat "$RUNNER_TEMP/classroom.txt" >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grader-reporter@v1
        env:
${reporterEnv.join("\n")}
        with:
          runners: ${tasks.map(classroomRunner).join(",")}
`,
    ),
  );
  const library = await graderFiles();
  for (const [path, file] of library) if (path.startsWith("lib/")) files.set(path, file);
  files.set(
    `labs/lab${lab}/README.md`,
    text(
      `# Lab ${lab}\n\nPut your scripts here, named as in the handout (for example \`${
        (await labFiles(lab)).scripts[0]
      }\`). They import \`../../lib/\` as the course's do.\n`,
    ),
  );
  files.set(
    "README.md",
    text(
      `# Lab ${lab}

Write your scripts in \`labs/lab${lab}/\`. Every push is graded by the course's checks
(\`.github/workflows/classroom.yml\`); the Actions tab shows each check with its points and a
hint. To grade yourself first:

\`\`\`sh
deno task --cwd .grader grade --dir . --lab ${lab}
\`\`\`

\`.grader/\` holds the course's grader and its reference scripts: leave it as it is.
`,
    ),
  );
  await writeFiles(out, files);
  return out;
}

const { values, positionals } = parseCommandLine({
  summary: "Builds the course's grader for Gradescope, GitHub Classroom or PrairieLearn.",
  name: "deno task autograder",
  options: {
    lab: { valueName: "N", description: "the lab graded (e.g. 1)" },
    task: { valueName: "T", description: "grade only this task of the lab (e.g. 1.1)" },
    out: { valueName: "DIR", description: "the folder to write the bundle in" },
  },
  arguments: "gradescope|classroom|prairielearn",
});

await runMain(async () => {
  const builders = { gradescope, classroom, prairielearn };
  const [platform, ...rest] = positionals;
  if (!(platform in builders) || rest.length > 0) {
    throw new UsageError(`give one platform: gradescope, classroom or prairielearn`);
  }
  if (values.lab === undefined || !/^\d+$/.test(values.lab)) {
    throw new UsageError("--lab must be a lab's number, e.g. --lab 1");
  }
  try {
    await Deno.stat(join(ROOT, "labs", `lab${values.lab}`));
  } catch {
    throw new UsageError(`--lab ${values.lab}: the course has no such lab`);
  }
  if (values.out === undefined) {
    throw new UsageError("--out is required: where to write the bundle");
  }
  const out = resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), values.out);
  const scope = { lab: values.lab, task: values.task };
  if (scope.task !== undefined) await labChecks(scope); // fails in one line for a task not in the lab
  const written = await builders[platform as keyof typeof builders](scope, out);
  console.log(`wrote ${relative(Deno.cwd(), written) || written}`);
});
