/**
 * The first line of every lab script is how it is run:
 * `#!/usr/bin/env -S deno run <flags>`. This module reads those flags, so the graded
 * checks spawn a script with exactly them and the site shows exactly them.
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

/** {@linkcode parseRunFlags} for a file. */
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

/** The flags among `flags` that grant more than a lab script should have (e.g. `-A`). */
export function overlyBroadFlags(flags: readonly string[]): string[] {
  return flags.filter((flag) => TOO_BROAD.test(flag));
}

/** The command a student types: `deno run <flags> <script> <args>`, arguments quoted as needed. */
export function runCommand(
  scriptPath: string,
  flags: readonly string[],
  args: readonly string[] = [],
): string {
  return ["deno", "run", ...flags, scriptPath, ...args.map(shellQuote)].join(" ");
}

/** `word` as a POSIX shell reads it back: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
