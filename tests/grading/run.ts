/**
 * Running checks the way the grader does: each with a time limit, killing whatever it
 * left running, catching what a student's script throws at it, and reporting a check
 * that needs an unusable file as not run (or, for the first check that meets a cause, as
 * the one failure that names it); several at a time, as `deno test --parallel` runs them.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { join } from "node:path";
import { CheckContext, type LabCheck, unmetRequirement } from "../harness/checks.ts";
import { eachAtMost } from "../harness/pool.ts";
import { ScriptGroup } from "../../tools/script/process.ts";
import type { Unusable } from "./preflight.ts";

/** How long one check may take before it fails and what it started is killed. */
export const CHECK_TIMEOUT_MS = 60_000;

/** How one check went. */
export interface Outcome {
  check: LabCheck;
  /** `not run`: it needs a file that is missing or does not start (0 points). */
  status: "passed" | "failed" | "skipped" | "not run";
  score: number;
  seconds: number;
  /** Why it failed, was skipped or was not run. */
  detail: string;
  /** The unusable file it failed on, and why: only the first such check counts it. */
  cause?: { file: string; reason: string };
}

/** A check asked for a file that cannot be used. */
class NeedsUnusable extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file} ${reason}`);
  }
}

/**
 * A promise a check left behind may reject after the check is over (a student's script
 * failed in an unexpected way). That must not end the grading of everything else: it is
 * recorded, and fails the check whose code made the promise, if it is still running.
 * (The event is handled in the context of that code, which names the check's list.)
 */
const strayErrors = new AsyncLocalStorage<unknown[]>();
globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  event.stopImmediatePropagation(); // runMain would otherwise end the program
  strayErrors.getStore()?.push(event.reason);
});

/** What a grading run knows across checks. */
export interface RunState {
  /** The folder of scripts, laid out like `labs/`. */
  dir: string;
  /** Files that cannot be used, and why. */
  unusable: Unusable;
  /** Checks left out by choice (`--own-design`), with the reason. */
  leaveOut?: (check: LabCheck) => string | undefined;
}

/** The reason given for a file the submission does not have. */
export const MISSING = "is missing";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Runs `check` against the scripts in `state.dir`. */
export async function runCheck(check: LabCheck, state: RunState): Promise<Outcome> {
  const skip = state.leaveOut?.(check) ?? unmetRequirement(check);
  if (skip) return { check, status: "skipped", score: 0, seconds: 0, detail: skip };
  let needed: NeedsUnusable | undefined;
  const guard = (name: string) => {
    const reason = state.unusable.get(name) ??
      (exists(join(state.dir, name)) ? undefined : MISSING);
    if (reason === undefined) return;
    needed ??= new NeedsUnusable(name, reason);
    throw needed;
  };
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), CHECK_TIMEOUT_MS);
  });
  const stray: unknown[] = [];
  const scripts = new ScriptGroup();
  const running = strayErrors.run(
    stray,
    () => scripts.run(() => check.run(new CheckContext(state.dir, check.lab, guard))),
  );
  let error: unknown;
  try {
    const outcome = await Promise.race([running, timeout]);
    if (outcome === "timeout") {
      error = new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000} s`);
      await scripts.stop(); // what it started must not outlive it, nor its errors
      await Promise.race([running.catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let stray rejections surface
    if (error === undefined && stray.length > 0) error = stray[0];
  } catch (thrown) {
    error = thrown;
  } finally {
    clearTimeout(timer);
    await scripts.stop();
  }
  // A check that asked for an unusable file did not grade what it says, whatever it caught.
  if (needed) {
    const { file, reason } = needed;
    if (reason === MISSING) {
      const detail = `needs ${file}, which is missing`;
      return { check, status: "not run", score: 0, seconds: elapsed(started), detail };
    }
    const seconds = elapsed(started);
    return {
      check,
      status: "failed",
      score: 0,
      seconds,
      detail: needed.message,
      cause: { file, reason },
    };
  }
  if (error === undefined) {
    return { check, status: "passed", score: check.points, seconds: elapsed(started), detail: "" };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { check, status: "failed", score: 0, seconds: elapsed(started), detail };
}

/**
 * Runs `checks` and hands each outcome to `report` in the order of `checks`, as soon as
 * it and those before it are known. Checks of different files run at the same time, at
 * most `jobs` files at once; the checks of one file run one after another, in order. That
 * is what `deno test --parallel` does, so no check meets a neighbour it was not written
 * to share the machine with (a capture of the loopback, a port it lists).
 *
 * An unusable file fails the first check, in this order, that needs it, with its cause;
 * the later ones are "not run", however the checks interleaved.
 */
export async function runChecks(
  checks: LabCheck[],
  state: RunState,
  jobs: number,
  report: (outcome: Outcome) => void,
): Promise<Outcome[]> {
  const files = Map.groupBy(checks.keys(), (i) => checks[i].file ?? checks[i].id);
  const outcomes: Outcome[] = [];
  const reported = new Set<string>();
  let published = 0;
  const publish = () => {
    for (; outcomes[published] !== undefined; published++) {
      const outcome = outcomes[published];
      if (outcome.cause && reported.has(outcome.cause.reason)) {
        const { file, reason } = outcome.cause;
        outcomes[published] = {
          ...outcome,
          status: "not run",
          detail: `needs ${file}, which ${reason}`,
        };
      }
      if (outcome.cause) reported.add(outcome.cause.reason);
      report(outcomes[published]);
    }
  };
  await eachAtMost([...files.values()], jobs, async (group) => {
    for (const i of group) {
      outcomes[i] = await runCheck(checks[i], state);
      publish();
    }
  });
  return outcomes;
}
