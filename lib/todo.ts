/**
 * What a starter leaves for you to write. The starters that `deno task start` copies
 * into your work folder run as they are; where a step of the task is missing, a script
 * calls {@linkcode todo}, which stops it with a line saying what to write and which
 * section of the handout explains it, and a module (whose functions the checks call)
 * throws a {@linkcode TodoError}. Delete the call when you write the step.
 *
 * Either way the script ends with two lines on stderr, not the one clear line of a
 * finished script's error (`runMain` in `cli.ts` adds the second for a `TodoError`), so
 * the checks of how a script fails keep failing until the step is written.
 *
 * @module
 */

/** The line that follows a TODO's error line: it is a step to write, not a bug to fix. */
export const TODO_NOTE = "  (a step of this starter not written yet)";

/** A step of a task that is not written yet. */
export class TodoError extends Error {
  /**
   * Creates the error; its message names the step and the handout section.
   *
   * @param handout The handout section that explains the step, e.g. `/lab1/task-1-1#task-1-1`.
   * @param what The step, as an instruction: `echo what the client sends`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TodoError } from "./todo.ts";
   *
   * const error = new TodoError("/lab3/task-3-1#task-3-1", "print the bytes");
   * assert.equal(error.message, "TODO: print the bytes (handout: /lab3/task-3-1#task-3-1)");
   * ```
   */
  constructor(readonly handout: string, what: string) {
    super(`TODO: ${what} (handout: ${handout})`);
    this.name = "TodoError";
  }
}

/**
 * A step of a script still to write: prints the {@linkcode TodoError} line and
 * {@linkcode TODO_NOTE} on stderr and ends the script with exit code 1, wherever it is
 * called (a server's connection handler included: the first client to reach the step
 * stops the server, so nothing waits on a step that is not there). In async code,
 * `await todo(…)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const code = `import { todo } from "${import.meta.resolve("./todo.ts")}";
 *   todo("/lab1/task-1-1#task-1-1", "echo what the client sends");`;
 * const run = await new Deno.Command(Deno.execPath(), { args: ["eval", code], stderr: "piped" })
 *   .output();
 * assert.equal(run.code, 1);
 * assert.equal(
 *   new TextDecoder().decode(run.stderr),
 *   "error: TODO: echo what the client sends (handout: /lab1/task-1-1#task-1-1)\n" +
 *     "  (a step of this starter not written yet)\n",
 * );
 * ```
 */
export function todo(handout: string, what: string): never {
  console.error(`error: ${new TodoError(handout, what).message}`);
  console.error(TODO_NOTE);
  Deno.exit(1);
}
