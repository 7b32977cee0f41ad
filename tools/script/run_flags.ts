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

/** A kind of permission `deno run` grants: `--allow-<kind>`. */
export type PermissionKind = "read" | "write" | "net" | "env" | "sys" | "run" | "ffi" | "import";

const KINDS: readonly PermissionKind[] = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
];

/** Deno's one-letter forms of `--allow-<kind>`. */
const SHORT: Record<string, PermissionKind> = {
  R: "read",
  W: "write",
  N: "net",
  E: "env",
  S: "sys",
  I: "import",
};

/** What one flag grants: a kind to everything (`"all"`) or to a list of targets. */
type Grant = { kind: PermissionKind; targets: string[] | "all" };

/** The grants of one flag (`-A` grants every kind); none for a flag that grants nothing. */
function grantsOf(flag: string): Grant[] {
  if (flag === "-A" || flag === "--allow-all") {
    return KINDS.map((kind) => ({ kind, targets: "all" as const }));
  }
  // -P (a permission set of a config file) grants whatever that file says: all, as far as we know.
  if (/^(-P|--permission-set)(=|$)/.test(flag)) {
    return KINDS.map((kind) => ({ kind, targets: "all" as const }));
  }
  const match = /^(?:--allow-([a-z]+)|-([RWNESI]))(?:=(.*))?$/.exec(flag);
  const kind = match && (match[1] ?? SHORT[match[2]]) as PermissionKind;
  if (!match || !KINDS.includes(kind!)) return [];
  const targets = match[3] === undefined ? "all" : match[3].split(",").filter((t) => t !== "");
  return [{ kind: kind!, targets }];
}

/** Whether `grants` allow `kind` on `target` (on everything when `target` is `"all"`). */
function allows(grants: Grant[], kind: PermissionKind, target: string | "all"): boolean {
  return grants.some((grant) =>
    grant.kind === kind &&
    (grant.targets === "all" || (target !== "all" && grant.targets.includes(target)))
  );
}

/**
 * The flags among `flags` that grant more than `declared` does: any permission of a kind
 * the declared flags do not grant (`--allow-write`, `--allow-run=bash`, …), a whole kind
 * where they grant a list (`--allow-net` for `--allow-net=127.0.0.1`), or a target outside
 * their list. This is how a submitted script's first line is held to the course's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagsBeyond } from "./run_flags.ts";
 *
 * const declared = ["--allow-net=127.0.0.1"];
 * assert.deepEqual(flagsBeyond(["--allow-net=127.0.0.1"], declared), []);
 * assert.deepEqual(
 *   flagsBeyond(["--allow-net", "--allow-run=bash", "--allow-write=/tmp/x", "-A"], declared),
 *   ["--allow-net", "--allow-run=bash", "--allow-write=/tmp/x", "-A"],
 * );
 * assert.deepEqual(flagsBeyond(["--allow-net=127.0.0.1,0.0.0.0"], declared), [
 *   "--allow-net=127.0.0.1,0.0.0.0",
 * ]);
 * ```
 */
export function flagsBeyond(flags: readonly string[], declared: readonly string[]): string[] {
  const course = declared.flatMap(grantsOf);
  return flags.filter((flag) =>
    grantsOf(flag).some(({ kind, targets }) =>
      targets === "all"
        ? !allows(course, kind, "all")
        : targets.some((target) => !allows(course, kind, target))
    )
  );
}

/**
 * The flags of `declared` that `flags` do not grant (a permission, or an `--unstable-…`
 * API the script needs): a first line missing them fails when the student runs it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagsMissing } from "./run_flags.ts";
 *
 * const declared = ["--unstable-net", "--allow-net=127.0.0.1"];
 * assert.deepEqual(flagsMissing(["--allow-net"], declared), ["--unstable-net"]);
 * assert.deepEqual(flagsMissing([], declared), declared);
 * ```
 */
export function flagsMissing(flags: readonly string[], declared: readonly string[]): string[] {
  const granted = flags.flatMap(grantsOf);
  return declared.filter((flag) => {
    const needed = grantsOf(flag);
    if (needed.length === 0) return flag.startsWith("--unstable") && !flags.includes(flag);
    return needed.some(({ kind, targets }) =>
      targets === "all"
        ? !allows(granted, kind, "all")
        : targets.some((target) => !allows(granted, kind, target))
    );
  });
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
