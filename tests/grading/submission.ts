/**
 * A submission as the grader sees it, wherever it comes from: a folder laid out like
 * `labs/` (`lab1/…`), a copy of this repository (`labs/lab1/…`), or bare files the way
 * course platforms deliver them (`tcp_echo_server.ts` at the top). The student's files
 * are copied into a fresh temporary tree laid out like this repository, beside a copy of
 * `lib/`, so that a script's `../../lib/` imports resolve wherever it was written.
 *
 * Copying (rather than linking) keeps the tree the checks run against apart from both the
 * student's folder and the course's: symbolic links are not followed (one could point at
 * any file the grader may read), and the copy is bounded in files and bytes.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REFERENCE_DIR } from "../harness/checks.ts";
import { UsageError } from "../../lib/cli.ts";

const LIB_DIR = fileURLToPath(new URL("../../lib", import.meta.url));

/** More than any lab needs: a submission past these is cut short (and says so). */
export const COPY_LIMITS = { files: 2000, bytes: 50 * 1024 * 1024 } as const;

/** Folders never copied from a submission. */
const SKIPPED = new Set(["node_modules", ".git", ".cache", "__MACOSX"]);

/** A submission copied into a tree the checks run against. */
export interface StagedSubmission {
  /** The folder laid out like `labs/` (`lab1/…`) that the checks are pointed at. */
  dir: string;
  /** The labs the submission has files for. */
  labs: number[];
  /** The scripts the course expects that the submission lacks, as `lab1/udp_sender.ts`. */
  missing: string[];
  /** What the copy left out (over the limits), if anything. */
  notes: string[];
  /** Removes the copy. */
  remove(): Promise<void>;
}

/** The labs of the course (`labs/labN`), with the scripts (shebang files) each expects. */
export async function courseLabs(): Promise<Map<number, string[]>> {
  const labs = new Map<number, string[]>();
  for await (const entry of Deno.readDir(REFERENCE_DIR)) {
    const lab = /^lab(\d+)$/.exec(entry.name);
    if (!entry.isDirectory || !lab) continue;
    const scripts: string[] = [];
    for await (const file of Deno.readDir(join(REFERENCE_DIR, entry.name))) {
      if (!file.isFile || !file.name.endsWith(".ts")) continue;
      const source = await Deno.readTextFile(join(REFERENCE_DIR, entry.name, file.name));
      if (source.startsWith("#!")) scripts.push(file.name);
    }
    labs.set(Number(lab[1]), scripts.sort());
  }
  return labs;
}

/** Where the lab folders of a submission are, and which form it has (no root: nothing). */
type Layout = { kind: "labs"; root: string } | { kind: "bare"; root?: string };

/**
 * Finds the submission's lab folders: `labN/` in it or in its `labs/`, or else the first
 * folder (breadth first, a few levels down) holding a script of the course by name, as
 * when a platform delivers a repository inside a folder of its own.
 */
async function findLayout(source: string, scriptNames: Set<string>): Promise<Layout | undefined> {
  let level = [source];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await listDir(dir);
      if (entries.some((e) => e.isDirectory && /^lab\d+$/.test(e.name))) {
        return { kind: "labs", root: dir };
      }
      const labs = entries.find((e) => e.isDirectory && e.name === "labs");
      if (labs && (await listDir(join(dir, "labs"))).some((e) => /^lab\d+$/.test(e.name))) {
        return { kind: "labs", root: join(dir, "labs") };
      }
      if (entries.some((e) => e.isFile && scriptNames.has(e.name))) {
        return { kind: "bare", root: dir };
      }
      for (const entry of entries) {
        if (entry.isDirectory && !SKIPPED.has(entry.name)) next.push(join(dir, entry.name));
      }
    }
    level = next.sort();
  }
  return undefined;
}

async function listDir(dir: string): Promise<Deno.DirEntry[]> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** Copies regular files and folders of `from` into `to`, within `budget`; never follows a link. */
async function copyTree(
  from: string,
  to: string,
  budget: { files: number; bytes: number },
  notes: string[],
): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const entry of await listDir(from)) {
    if (entry.isSymlink || SKIPPED.has(entry.name)) continue;
    const source = join(from, entry.name);
    if (entry.isDirectory) {
      await copyTree(source, join(to, entry.name), budget, notes);
    } else if (entry.isFile) {
      const { size } = await Deno.lstat(source);
      if (budget.files <= 0 || budget.bytes < size) {
        if (notes.length === 0) notes.push(`the submission is larger than the grader copies`);
        continue;
      }
      budget.files--;
      budget.bytes -= size;
      await Deno.copyFile(source, join(to, entry.name));
    }
  }
}

/**
 * Copies the submission in `source` into a new temporary tree (in `stageIn`, if given),
 * for the labs in `wanted` (all the labs it has files for, if undefined).
 */
export async function stageSubmission(
  source: string,
  wanted?: number[],
  stageIn?: string,
): Promise<StagedSubmission> {
  const course = await courseLabs();
  const labOf = new Map<string, number>();
  for (const [lab, scripts] of course) for (const name of scripts) labOf.set(name, lab);
  // Nothing the course expects, for labs asked for by number: every script is missing
  // (a platform still gets its results file, with 0 points and the list).
  const layout = await findLayout(source, new Set(labOf.keys())) ??
    (wanted ? { kind: "bare", root: undefined } : undefined);
  if (!layout) {
    throw new UsageError(
      `${source} holds no lab script by name (e.g. tcp_echo_server.ts), nor lab1/, lab2/, …`,
    );
  }
  const root = await Deno.makeTempDir({ prefix: "lab-grading-", dir: stageIn });
  const remove = () => Deno.remove(root, { recursive: true });
  try {
    // Readable by others: a check runs a script as the user "nobody" (two_hosts_test).
    await Deno.chmod(root, 0o755);
    await copyTree(LIB_DIR, join(root, "lib"), { files: Infinity, bytes: Infinity }, []);
    const dir = join(root, "labs");
    const budget = { ...COPY_LIMITS };
    const notes: string[] = [];
    let labs: number[];
    if (layout.kind === "labs") {
      const present = (await listDir(layout.root))
        .filter((e) => e.isDirectory && /^lab\d+$/.test(e.name)).map((e) =>
          Number(e.name.slice(3))
        );
      labs = present.filter((lab) => course.has(lab) && (wanted?.includes(lab) ?? true));
      for (const lab of labs) {
        await copyTree(join(layout.root, `lab${lab}`), join(dir, `lab${lab}`), budget, notes);
      }
    } else {
      // Bare files: into the lab each belongs to by name; other files (the student's own
      // modules) beside them in every such lab.
      const top = layout.root;
      const files = top ? (await listDir(top)).filter((e) => e.isFile).map((e) => e.name) : [];
      const named = [...new Set(files.map((name) => labOf.get(name)).filter((lab) => lab))];
      labs = (wanted ?? named as number[]).filter((lab) => course.has(lab)).sort();
      for (const lab of labs) {
        if (top) await copyTree(top, join(dir, `lab${lab}`), budget, notes);
      }
    }
    for (const lab of wanted ?? []) {
      if (!labs.includes(lab)) await Deno.mkdir(join(dir, `lab${lab}`), { recursive: true });
    }
    const graded = wanted ?? labs;
    const missing: string[] = [];
    for (const lab of graded) {
      for (const name of course.get(lab) ?? []) {
        try {
          await Deno.lstat(join(dir, `lab${lab}`, name));
        } catch {
          missing.push(`lab${lab}/${name}`);
        }
      }
    }
    return { dir, labs: graded, missing, notes, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
