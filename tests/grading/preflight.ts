/**
 * Before any check runs: which of a submission's files cannot be used at all, and why, in
 * one line each. A file that does not type-check (or parse, or whose imports do not
 * resolve) and a script that dies as it starts would otherwise fail every check that
 * runs it, each with a hint about something else; the grader reports such a cause once
 * and marks the checks that need the file as not run.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runScript } from "../../tools/script/process.ts";
import { eachAtMost } from "../harness/pool.ts";
import { courseRunFlags, referenceScript, sandboxEnv } from "../../tools/script/sandbox.ts";

/** Why a file cannot be used, by its name in the submission (`lab1/tcp_echo_server.ts`). */
export type Unusable = Map<string, string>;

const CHECK_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 5_000;

/** One error of `deno check`: the file it is in, and one line saying what and where. */
export interface CompilerError {
  /** The file's path (absolute), or undefined when the error names no file. */
  file?: string;
  /** `tcp_echo_server.ts:3:7: TS2322 Type 'string' is not assignable to type 'number'.` */
  line: string;
}

/** The errors in `deno check`'s output, in order, each as one line. */
export function compilerErrors(output: string): CompilerError[] {
  const lines = output.split("\n");
  const errors: CompilerError[] = [];
  lines.forEach((line, i) => {
    if (!/^(TS\d+ )?\[ERROR\]:|^error: /.test(line) || /^error: Type checking failed/.test(line)) {
      return;
    }
    const message = line.replace(/^(TS\d+) \[ERROR\]:\s*/, "$1 ").replace(
      /^(\[ERROR\]|error):\s*/,
      "",
    );
    const at = lines.slice(i + 1, i + 12).map((l) => /^\s+at (file:\/\/\S+?):(\d+:\d+)$/.exec(l))
      .find((match) => match !== null);
    if (!at) return errors.push({ line: message });
    const file = fileURLToPath(at[1]);
    errors.push({ file, line: `${basename(file)}:${at[2]}: ${message}` });
  });
  return errors;
}

/** Runs `deno check` on `files` (type-checking only: nothing of theirs runs); its output on failure. */
async function typeCheck(files: string[], unstable: string[]): Promise<string | undefined> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["check", "--no-config", "--quiet", ...unstable, ...files],
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: sandboxEnv(),
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  });
  const { code, stdout, stderr } = await command.output();
  if (code === 0) return undefined;
  return new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
}

/** The files of the same folder each file imports (`./x.ts`), from its source. */
async function localImports(paths: string[]): Promise<Map<string, string[]>> {
  const imports = new Map<string, string[]>();
  const pattern = /(?:from|import)\s*\(?\s*["'](\.\/[^"']+)["']/g;
  for (const path of paths) {
    const source = await Deno.readTextFile(path);
    imports.set(path, [...source.matchAll(pattern)].map((m) => join(dirname(path), m[1])));
  }
  return imports;
}

/**
 * Whether a script dies as it starts: it runs with `--help` and no network at all, so
 * one that ignores `--help` cannot bind or connect anything; an uncaught error other than
 * a permission error is a script that does not start.
 */
async function startError(path: string): Promise<string | undefined> {
  let result;
  try {
    result = await runScript(path, ["--help"], START_TIMEOUT_MS, { extraFlags: ["--deny-net"] });
  } catch {
    return undefined; // still running after a while: it started
  }
  if (result.code === 0) return undefined;
  const uncaught = result.stderr.split("\n").find((line) => /^error: Uncaught\b/.test(line));
  if (!uncaught || /NotCapable|PermissionDenied|Requires \w+ access/.test(uncaught)) {
    return undefined;
  }
  return uncaught.replace(/^error: Uncaught (\(in promise\) )?/, "");
}

/**
 * The files of labs `labs` in the folder `dir` (laid out like `labs/`) that cannot be
 * used, and why: type-checked together first (one `deno check`), one by one only when
 * that fails, so a correct submission costs one process; meanwhile each script is started.
 * With `only` (names like `lab1/tcp_echo_server.ts`: the files of the tasks graded), just
 * those and the lab's files they import, directly or not.
 */
export async function findUnusable(
  dir: string,
  labs: number[],
  jobs: number,
  only?: string[],
): Promise<Unusable> {
  const unusable: Unusable = new Map();
  for (const lab of labs) {
    const folder = join(dir, `lab${lab}`);
    let files: { name: string; path: string; script: boolean }[] = [];
    try {
      for await (const entry of Deno.readDir(folder)) {
        if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
        const path = join(folder, entry.name);
        const script = (await Deno.readTextFile(path)).startsWith("#!");
        files.push({ name: `lab${lab}/${entry.name}`, path, script });
      }
    } catch {
      continue; // no such lab folder: its scripts are listed as missing
    }
    const imports = await localImports(files.map((f) => f.path));
    if (only) {
      const wanted = new Set(files.filter((f) => only.includes(f.name)).map((f) => f.path));
      for (const path of wanted) for (const target of imports.get(path) ?? []) wanted.add(target);
      files = files.filter((f) => wanted.has(f.path));
    }
    files.sort((a, b) => a.name.localeCompare(b.name));
    // Each script is started while the files are type-checked (`deno run` does not check
    // types); what a script that does not type-check did as it started is not used. Only
    // the scripts the course has: a student's extra script is no check's business.
    const runnable = files.filter((f) => f.script && referenceScript(f.path) !== undefined);
    const startErrors = new Map<string, string | undefined>();
    const starting = eachAtMost(runnable, jobs, async (file) => {
      startErrors.set(file.name, await startError(file.path));
    });
    const unstable = new Set<string>();
    for (const file of files.filter((f) => f.script)) {
      for (const flag of await courseRunFlags(file.path)) {
        if (flag.startsWith("--unstable")) unstable.add(flag);
      }
    }
    const flags = [...unstable];
    // Together first: a correct lab costs one process. Each round takes out the files with
    // errors (a syntax error hides the others' errors until it is out of the way).
    const broken = new Map<string, string>();
    let pending = files.map((f) => f.path);
    for (let round = 0; round < 5 && pending.length > 0; round++) {
      const output = await typeCheck(pending, flags);
      if (output === undefined) break;
      const errors = compilerErrors(output);
      const located = errors.filter((error) => error.file && pending.includes(error.file));
      if (located.length === 0) {
        const line = errors[0]?.line ?? output.trim().split("\n")[0];
        for (const path of pending) broken.set(path, line);
        break;
      }
      for (const error of located) {
        if (!broken.has(error.file!)) broken.set(error.file!, error.line);
      }
      pending = pending.filter((path) => !broken.has(path));
    }
    // A file that imports a broken one is as unusable, for the same reason.
    for (let changed = true; changed;) {
      changed = false;
      for (const [path, targets] of imports) {
        const cause = targets.find((target) => broken.has(target));
        if (cause && !broken.has(path)) {
          broken.set(path, broken.get(cause)!);
          changed = true;
        }
      }
    }
    for (const file of files) {
      const error = broken.get(file.path);
      if (error) unusable.set(file.name, `does not type-check: ${error}`);
    }
    await starting;
    for (const file of runnable) {
      const error = startErrors.get(file.name);
      if (error && !unusable.has(file.name)) unusable.set(file.name, `does not start: ${error}`);
    }
  }
  return unusable;
}
