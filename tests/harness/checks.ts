/**
 * Graded checks: one definition serves both `deno test` (each check becomes a test)
 * and `deno task grade` (each check becomes a row with points and a hint).
 *
 * A check file (`tests/labN/<topic>_test.ts`) exports `checks` made with
 * {@linkcode defineChecks}; the grader finds every such file by itself. The scripts under test live in a folder laid out like
 * `labs/` (`<dir>/lab1/tcp_echo_server.ts`, …): the reference `labs/` by default, or a
 * student's folder given to the grader with `--dir` (or to `deno test` with `LABS_DIR`).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { hasProgram, isRoot } from "../../tools/script/host.ts";

/** The folder with the reference scripts. */
export const REFERENCE_DIR = fileURLToPath(new URL("../../labs", import.meta.url));

/** The folder with the course's instruments (capture, traffic report, impairment proxy). */
export const TOOLS_DIR = fileURLToPath(new URL("../../tools", import.meta.url));

/** What a check is given: where the scripts it tests are. */
export class CheckContext {
  /**
   * `guard` is told of every script the check asks for (`lab1/tcp_echo_server.ts`) before
   * it gets the path: the grader's way to stop a check that needs a script that is missing
   * or does not start (it throws).
   */
  constructor(
    readonly dir: string,
    readonly lab: number,
    readonly guard: (name: string) => void = () => {},
  ) {}

  /** The path of script `name` of this lab, e.g. `tcp_echo_server.ts`. */
  readonly script = (name: string): string => {
    this.guard(`lab${this.lab}/${name}`);
    return `${this.dir}/lab${this.lab}/${name}`;
  };

  /** A context whose scripts are the course's tools: `script("capture/capture.ts")`. */
  static tools(): CheckContext {
    const context = new CheckContext(TOOLS_DIR, 0);
    return Object.assign(context, { script: (name: string) => `${TOOLS_DIR}/${name}` });
  }
}

/**
 * What a check grades: the task's behaviour, the script contract (first line, `--help`,
 * one-line errors), or interoperability with other programs (the handouts' Python peers).
 */
export type CheckKind = "behaviour" | "contract" | "interoperability";

/** One graded check. */
export interface Check {
  /** Stable id, unique in the course, e.g. `1.1-echo-1mib`. */
  id: string;
  /** The task it grades, as the handout numbers it: `1.1`, `D1`, … */
  task: string;
  /** What it verifies, as a short sentence. */
  title: string;
  /** What it grades (default `"behaviour"`): the grader lists a task's checks in this order. */
  kind?: CheckKind;
  /** Points it is worth. */
  points: number;
  /** What a student whose script fails it should look at. */
  hint: string;
  /** A program (or programs) the check needs besides Deno (e.g. `python3`); skipped without it. */
  requires?: string | string[];
  /** Whether the check needs root (e.g. to create network namespaces); skipped without it. */
  requiresRoot?: boolean;
  /**
   * The course design the check holds a script to, when the student may design their
   * own instead (Deliverable 1's protocol: `labs/lab1/sensor_protocol.md`). The grader's
   * `--own-design` leaves such checks out.
   */
  specification?: string;
  /** Runs the check; throws (usually an assertion) when the script falls short. */
  run(context: CheckContext): Promise<void>;
}

/** A check together with the lab it belongs to, as the grader runs it. */
export interface LabCheck extends Check {
  lab: number;
  /**
   * The file that defines it (`lab1/tcp_echo_test.ts`), set by the grader's catalog: the
   * grader runs the checks of one file one after another, as `deno test` does.
   */
  file?: string;
}

/** Why `check` cannot run on this machine (a missing program, not being root), if it cannot. */
export function unmetRequirement(check: Check): string | undefined {
  const missing = [check.requires ?? []].flat().find((program) => !hasProgram(program));
  if (missing) return `${missing} is not installed`;
  if (check.requiresRoot && !isRoot()) return "it needs root";
  return undefined;
}

/** The scripts folder `deno test` checks: `LABS_DIR` if set, else the reference `labs/`. */
function dirUnderTest(): string {
  return Deno.env.get("LABS_DIR") ?? REFERENCE_DIR;
}

/**
 * Declares a lab's checks and registers each as a `deno test` test named
 * `[task] title`. Under `deno run` (the grader) registering does nothing.
 */
export function defineChecks(lab: number, checks: Check[]): LabCheck[] {
  for (const check of checks) {
    // The reason goes in the name: under the grader, which imports this too, nothing prints.
    const missing = unmetRequirement(check);
    Deno.test({
      name: `[${check.task}] ${check.title}${missing ? ` (skipped: ${missing})` : ""}`,
      ignore: Boolean(missing),
      sanitizeOps: true,
      sanitizeResources: true,
      sanitizeExit: true,
      fn: () => check.run(new CheckContext(dirUnderTest(), lab)),
    });
  }
  return checks.map((check) => ({ ...check, lab }));
}
