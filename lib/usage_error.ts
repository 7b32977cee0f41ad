/**
 * The error for a mistake in how a program was called or what its user typed: a bad
 * flag, a value that does not parse.
 *
 * It lives alone, with no imports, so that modules which also run in a web page (the
 * course site's struct playground reads its values with `values.ts`) can throw it
 * without pulling in the command-line code. `cli.ts` re-exports it, and its `runMain`
 * exits with code 2 for it.
 *
 * @example
 * ```ts
 * import { UsageError } from "./usage_error.ts";
 *
 * try {
 *   throw new UsageError("--port must be a number");
 * } catch (error) {
 *   console.log(error instanceof UsageError, (error as Error).message);
 *   // true --port must be a number
 * }
 * ```
 *
 * @module
 */

/** A mistake in how a script was called; `runMain` in `cli.ts` exits with code 2 for it. */
export class UsageError extends Error {
  /**
   * Creates the error.
   *
   * @param message What was wrong with the command line.
   *
   * @example
   * ```ts
   * import { UsageError } from "./usage_error.ts";
   * const error = new UsageError("--port must be a number");
   * console.log(error.message);
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
