/**
 * Running one check the way the grader does: with a time limit, killing whatever it left
 * running, catching what a student's script throws at it, and reporting a check that
 * needs an unusable file as not run (or, for the first check that meets a cause, as the
 * one failure that names it).
 *
 * @module
 */
import { join } from "node:path";
import { CheckContext, type LabCheck, unmetRequirement } from "../harness/checks.ts";
import { stopAllScripts } from "../../tools/script/process.ts";
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
 * recorded, and fails the check that is running, if any.
 */
const strayErrors: unknown[] = [];
globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  event.stopImmediatePropagation(); // runMain would otherwise end the program
  strayErrors.push(event.reason);
});

/** What a grading run knows across checks. */
export interface RunState {
  /** The folder of scripts, laid out like `labs/`. */
  dir: string;
  /** Files that cannot be used, and why. */
  unusable: Unusable;
  /** Checks left out by choice (`--own-design`), with the reason. */
  leaveOut?: (check: LabCheck) => string | undefined;
  /** Causes already reported by a failing check: later checks are "not run". */
  reported?: Set<string>;
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
  const reported = state.reported ??= new Set();
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
  strayErrors.length = 0;
  const running = check.run(new CheckContext(state.dir, check.lab, guard));
  let error: unknown;
  try {
    const outcome = await Promise.race([running, timeout]);
    if (outcome === "timeout") {
      error = new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000} s`);
      await stopAllScripts(); // what it started must not outlive it, nor its errors
      await Promise.race([running.catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let stray rejections surface
    if (error === undefined && strayErrors.length > 0) error = strayErrors[0];
  } catch (thrown) {
    error = thrown;
  } finally {
    clearTimeout(timer);
    await stopAllScripts();
  }
  // A check that asked for an unusable file did not grade what it says, whatever it caught.
  if (needed) {
    const missing = needed.reason === MISSING;
    if (missing || reported.has(needed.reason)) {
      const detail = `needs ${needed.file}, which ${missing ? "is missing" : needed.reason}`;
      return { check, status: "not run", score: 0, seconds: elapsed(started), detail };
    }
    reported.add(needed.reason);
    return { check, status: "failed", score: 0, seconds: elapsed(started), detail: needed.message };
  }
  if (error === undefined) {
    return { check, status: "passed", score: check.points, seconds: elapsed(started), detail: "" };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { check, status: "failed", score: 0, seconds: elapsed(started), detail };
}
