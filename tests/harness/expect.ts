/**
 * Assertions the graded checks share: how a script should fail (one line, no stack
 * trace, non-zero exit) and what its output should hold, with messages that quote
 * what the script actually printed.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ScriptResult, StopResult } from "../../tools/script/process.ts";

/** A line of a JavaScript stack trace, as Deno prints one. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Fails if `text` contains a stack trace. */
export function assertNoStackTrace(text: string, where = "output"): void {
  assert.ok(!STACK_FRAME.test(text), `the ${where} shows a stack trace:\n${text}`);
}

/**
 * Asserts that a script failed the way the course asks: a non-zero exit code (or exactly
 * `code`), exactly one line on stderr matching `pattern`, and no stack trace.
 */
export function assertCleanFailure(result: ScriptResult, pattern: RegExp, code?: number): void {
  const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  if (code === undefined) {
    assert.notEqual(result.code, 0, `expected a non-zero exit code\n${output}`);
  } else assert.equal(result.code, code, `expected exit code ${code}\n${output}`);
  assertNoStackTrace(result.stderr + result.stdout);
  const lines = result.stderr.trimEnd().split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 1, `expected exactly one line on stderr\n${output}`);
  assert.match(lines[0], pattern, `the error line does not say what happened\n${output}`);
}

/** Asserts that a script ended with exit code 0 and no stack trace. */
export function assertSuccess(result: ScriptResult): void {
  const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  assert.equal(result.code, 0, `expected exit code 0, got ${result.code}\n${output}`);
  assertNoStackTrace(result.stderr + result.stdout);
}

/** Asserts that `text` holds a line matching `pattern`, quoting `text` otherwise. */
export function assertHasLine(text: string, pattern: RegExp, what = "output"): RegExpMatchArray {
  const match = text.match(pattern);
  assert.ok(match, `expected a line matching ${pattern} in the ${what}:\n${text}`);
  return match;
}

/**
 * Asserts that a server stopped by the check had not ended before (it did not crash on
 * the way). Being stopped is not a crash: a server without a SIGTERM handler ends with
 * the signal's code (143), and the SIGTERM check grades that on its own.
 */
export function assertRanUntilStopped(result: StopResult, what = "the server"): void {
  assert.ok(
    result.wasRunning,
    `${what} crashed before the check stopped it (exit code ${result.code}):\n${result.stderr}`,
  );
  assertNoStackTrace(result.stderr + result.stdout, `${what}'s output`);
}

/**
 * Asserts that a `--help` text has a `usage:` line naming every `--flag` that its option
 * table lists (`--help` aside), so that the synopsis cannot drift from the options.
 */
export function assertUsageNamesEveryFlag(help: string, what = "--help output"): void {
  const [, usage] = assertHasLine(help, /^usage: (.*)$/m, what);
  const words = usage.split(/[\s[\]()|]+/);
  const table = help.slice(assertHasLine(help, /^options:$/m, what).index);
  for (const [, flag] of table.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)) {
    if (flag === "--help") continue;
    assert.ok(words.includes(flag), `${what}: the usage line leaves out ${flag}:\n${help}`);
  }
}
