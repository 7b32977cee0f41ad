/**
 * What a user types: whole numbers written in decimal, binary, octal or hex, and a line
 * answered at a prompt (typed, or piped in as `echo 12 | script.ts`).
 *
 * @example Ask for a number unless it was given on the command line
 * ```ts ignore
 * import { askLine, parseInteger } from "./input.ts";
 *
 * const n = parseInteger(Deno.args[0] ?? await askLine("Enter a number:"), "the number");
 * console.log(n.toString(2));
 * ```
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { BufferedReader } from "./framing.ts";

/**
 * Reads a whole number as JavaScript writes one: `42`, `-42`, `0b101010`, `0o52`, `0x2A`
 * (a sign may precede any of them). Numbers beyond 2**53 are refused, since they would
 * not stay exact.
 *
 * @throws {UsageError} Naming `what`, for any other text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseInteger } from "./input.ts";
 * assert.equal(parseInteger("0b01010011", "h"), 83);
 * assert.equal(parseInteger("-0x10", "value"), -16);
 * ```
 */
export function parseInteger(text: string, what: string): number {
  const match = /^([+-]?)(0[bB][01]+|0[oO][0-7]+|0[xX][\da-fA-F]+|\d+)$/.exec(text.trim());
  const magnitude = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(magnitude)) {
    throw new UsageError(
      `${what} must be a whole number such as 12, -7, 0b1100 or 0xff (got "${text}")`,
    );
  }
  return match![1] === "-" ? -magnitude : magnitude;
}

/**
 * Prints `question` on stdout and returns the next line of stdin, without its line end.
 * Unlike the global `prompt()`, it also reads a line that is piped in; it throws a
 * {@linkcode UsageError} if stdin ends before a line.
 *
 * @example
 * ```ts ignore
 * import { askLine } from "./input.ts";
 * const name = await askLine("Your name?");
 * console.log(`hello, ${name}`);
 * ```
 */
export async function askLine(question: string): Promise<string> {
  console.log(question);
  const line = await new BufferedReader(Deno.stdin).readLine({ maxLength: 4096 });
  if (line === null) throw new UsageError("no answer: standard input ended");
  return line;
}
