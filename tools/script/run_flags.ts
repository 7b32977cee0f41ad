/**
 * The script contract's first half: line 1 of every lab script is how it is run,
 * `#!/usr/bin/env -S deno run <flags>`. This module reads those flags, judges them
 * (least privilege) and builds the one `deno run` command from them, so the grader, the
 * capture tool and the site all run and show a script the same way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoRunCommand, parseRunFlags } from "./run_flags.ts";
 *
 * const flags = parseRunFlags("#!/usr/bin/env -S deno run --allow-net=127.0.0.1\n");
 * assert.deepEqual(flags, ["--allow-net=127.0.0.1"]);
 * assert.deepEqual(denoRunCommand("labs/lab1/tcp_echo_client.ts", flags, ["Hi"]), [
 *   "deno", "run", "--allow-net=127.0.0.1", "labs/lab1/tcp_echo_client.ts", "Hi",
 * ]);
 * ```
 *
 * @module
 */

/** What every lab script's first line starts with. */
export const SHEBANG_PREFIX = "#!/usr/bin/env -S deno run";

/** Flags that would defeat least privilege: a lab script must never need them. */
const TOO_BROAD = /^(-A|--allow-all|--allow-net|--allow-run|--allow-write|--allow-ffi)$/;

/**
 * Reads the `deno run` flags from a script's first line; throws an Error naming the
 * script when the line is missing or is not `#!/usr/bin/env -S deno run …`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRunFlags } from "./run_flags.ts";
 *
 * assert.deepEqual(parseRunFlags("#!/usr/bin/env -S deno run --allow-read\n"), ["--allow-read"]);
 * assert.throws(() => parseRunFlags("console.log(1)", "x.ts"), /x.ts: line 1 must start/);
 * ```
 */
export function parseRunFlags(source: string, scriptPath = "script"): string[] {
  const firstLine = source.split("\n", 1)[0];
  if (!firstLine.startsWith(SHEBANG_PREFIX)) {
    throw new Error(
      `${scriptPath}: line 1 must start with "${SHEBANG_PREFIX}" (found "${
        firstLine.slice(0, 60)
      }")`,
    );
  }
  return firstLine.slice(SHEBANG_PREFIX.length).trim().split(/\s+/).filter((flag) => flag !== "");
}

/** {@linkcode parseRunFlags} for a file; a missing file is an Error naming it. */
export async function readRunFlags(scriptPath: string): Promise<string[]> {
  try {
    return parseRunFlags(await Deno.readTextFile(scriptPath), scriptPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`${scriptPath} does not exist`);
    throw error;
  }
}

/** {@linkcode parseRunFlags} for a file, synchronously (for build-time markdown plugins). */
export function readRunFlagsSync(scriptPath: string): string[] {
  return parseRunFlags(Deno.readTextFileSync(scriptPath), scriptPath);
}

/**
 * The flags among `flags` that grant more than a lab script should have (e.g. `-A`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { overlyBroadFlags } from "./run_flags.ts";
 *
 * assert.deepEqual(overlyBroadFlags(["-A", "--allow-net=127.0.0.1"]), ["-A"]);
 * ```
 */
export function overlyBroadFlags(flags: readonly string[]): string[] {
  return flags.filter((flag) => TOO_BROAD.test(flag));
}

/**
 * The command that runs a script: `deno run <flags> <script> <args>`, as words. Every
 * place that runs or shows a lab script builds its command here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoRunCommand } from "./run_flags.ts";
 *
 * assert.deepEqual(denoRunCommand("a.ts", ["--allow-read"]), ["deno", "run", "--allow-read", "a.ts"]);
 * ```
 */
export function denoRunCommand(
  scriptPath: string,
  flags: readonly string[],
  args: readonly string[] = [],
): string[] {
  return ["deno", "run", ...flags, scriptPath, ...args];
}

/**
 * `words` as one line a POSIX shell reads back as the same words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellLine } from "./run_flags.ts";
 *
 * assert.equal(shellLine(["echo", "it's", "a.ts"]), `echo 'it'\\''s' a.ts`);
 * ```
 */
export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/** `word` as a POSIX shell reads it back: as is when safe, else in single quotes. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
