/**
 * Made-up student submissions for the grader's own tests (and for measuring it): copies
 * of a reference lab as a platform delivers them (bare files in a folder outside this
 * repository, their `../../lib/` imports untouched), with one script changed the way
 * students get it wrong, or the way a hostile submission tries to get out of the sandbox.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REFERENCE_DIR } from "./checks.ts";

/** A change to one script of the copy: its new source, or null to leave it out. */
export interface Edit {
  script: string;
  edit: (source: string) => string | null;
}

function replaceOnce(source: string, from: string, to: string): string {
  assert.ok(source.includes(from), `the reference changed: "${from}" is gone; update this edit`);
  return source.replace(from, to);
}

/** The classic bug: the echo server writes back only the first chunk it reads. */
export const BROKEN_ECHO: Edit = {
  script: "tcp_echo_server.ts",
  edit: (source) =>
    replaceOnce(
      source,
      "await writeAll(conn, data);",
      "if (total === 0) await writeAll(conn, data);",
    ),
};

/** A type error in the echo server: it does not type-check. */
export const TYPE_ERROR: Edit = {
  script: "tcp_echo_server.ts",
  edit: (source) => replaceOnce(source, "let total = 0;", 'let total: number = "none";'),
};

/** An echo server that never listens for SIGTERM: it ends with the signal's 143. */
export const NO_SIGTERM: Edit = {
  script: "tcp_echo_server.ts",
  edit: (source) => replaceOnce(source, "  exitOnSignal(() => listener.close());\n", ""),
};

/**
 * A hostile echo server: its first line asks to write anywhere and run `touch`, and as it
 * starts it tries to write `<target>/results.json` and to run `touch <target>/ran`; then
 * it behaves. Under the course's permissions both attempts fail.
 */
export function hostileEcho(target: string): Edit {
  return {
    script: "tcp_echo_server.ts",
    edit: (source) =>
      replaceOnce(
        replaceOnce(
          source,
          "#!/usr/bin/env -S deno run --allow-net=127.0.0.1\n",
          "#!/usr/bin/env -S deno run --allow-net=127.0.0.1 --allow-write --allow-run=touch\n",
        ),
        "const { values } = parseCommandLine(",
        `try {
  Deno.writeTextFileSync(${JSON.stringify(`${target}/results.json`)}, '{"score": 1000}');
} catch { /* denied */ }
try {
  new Deno.Command("touch", { args: [${JSON.stringify(`${target}/ran`)}] }).outputSync();
} catch { /* denied */ }
const { values } = parseCommandLine(`,
      ),
  };
}

/** Writes a copy of the reference `lab<lab>/` into `dir` as bare files, with `edits` applied. */
export async function writeSubmission(dir: string, lab: number, edits: Edit[] = []): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for await (const entry of Deno.readDir(join(REFERENCE_DIR, `lab${lab}`))) {
    if (!entry.isFile) continue;
    let source: string | null = await Deno.readTextFile(
      join(REFERENCE_DIR, `lab${lab}`, entry.name),
    );
    for (const { script, edit } of edits) {
      if (script === entry.name && source !== null) source = edit(source);
    }
    if (source !== null) await Deno.writeTextFile(join(dir, entry.name), source);
  }
}

/** A new temporary folder holding {@linkcode writeSubmission}'s copy. */
export async function makeSubmission(lab: number, edits: Edit[] = []): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "submission-" });
  await writeSubmission(dir, lab, edits);
  return dir;
}
