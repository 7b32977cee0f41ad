/**
 * The course's errors as a person reads them: {@linkcode UsageError} for a mistake in
 * how a program was called or what its user typed (a bad flag, a value that does not
 * parse), and {@linkcode describeError}, which turns any error into one plain line.
 *
 * It has no imports, so that modules which also run in a web page (the course site's
 * struct playground reads its values with `values.ts`) can use it without pulling in the
 * command-line code. `cli.ts` re-exports both, and its `runMain` exits with code 2 for a
 * `UsageError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./errors.ts";
 *
 * const error = new UsageError("--port must be a number");
 * assert.ok(error instanceof Error);
 * assert.equal(error.name, "UsageError");
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
   * import assert from "node:assert/strict";
   * import { describeError, UsageError } from "./errors.ts";
   * const error = new UsageError("--port must be a number");
   * assert.equal(error.name, "UsageError");
   * assert.equal(describeError(error), "--port must be a number"); // runMain exits 2 with it
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Turns any error into one line a student can act on. Deno's network and permission
 * errors get advice; other errors keep their own message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError } from "./errors.ts";
 * assert.equal(
 *   describeError(new Deno.errors.ConnectionReset("os error 104")),
 *   "the connection was reset by the other side",
 * );
 * ```
 */
export function describeError(error: unknown): string {
  // Self-contained (no module-level helpers): reuseport workers run it as text (net.ts).
  const firstLine = (text: string) => text.split("\n")[0].trim();
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    const denied = firstLine(error.message).match(/Requires (\w+) access to "?([^",]+)"?/);
    if (denied) {
      const [, kind, target] = denied;
      const granted = `missing permission: ${kind} access to ${target} was not granted`;
      // Some paths (under /dev or /proc) only -A opens, which no lab script should need.
      if (kind === "all") return `${granted} (Deno opens it only with --allow-all)`;
      // A host's permission covers all its ports: the port (often a random one) is left out.
      const allow = kind === "net" ? target.replace(/:\d+$/, "") : target;
      return `${granted} (the flags on the script's first line allow only what the task ` +
        `needs; add --allow-${kind}=${allow} to allow this)`;
    }
  }
  if (error instanceof Deno.errors.ConnectionReset) {
    return "the connection was reset by the other side";
  }
  if (error instanceof Deno.errors.BrokenPipe) {
    return "the other side closed the connection while we were still sending";
  }
  if (error instanceof Error) return firstLine(error.message);
  return String(error);
}
