// Run commands: a paragraph that is exactly `@run labs/lab1/udp_sender.ts "Hello there"` becomes
// a shell code block (with VitePress's copy button) holding the command that runs the script
// with the flags of its shebang line: `deno run --unstable-net --allow-net=127.0.0.1
// labs/lab1/udp_sender.ts "Hello there"`. The flags come from the same module the grader
// uses, so the handout and the grader cannot disagree. A missing script or a malformed
// shebang fails the build.
import { resolve } from "node:path";
import { overlyBroadFlags, readRunFlagsSync } from "../../../tools/script/run_flags.ts";
import { escapeHtml, htmlToken, type Md, pageOf, type Token } from "./types.ts";

// `@run [--allow-…=… …] <script> [args]`: permission flags before the script are added to
// those of its shebang (e.g. `--allow-net=0.0.0.0` to reach beyond loopback).
const RUN = /^@run((?:[ \t]+--\S+)*)(?:[ \t]+(\S+)(?:[ \t]+(.*))?)?$/;

/**
 * The command shown for `@run [extra flags] <script> [args]`: `deno run`, the shebang's
 * flags, the extra permission flags, the script; `args` is kept as the author wrote it.
 */
export function runLine(repoRoot: string, script: string, args = "", extraFlags = ""): string {
  const path = resolve(repoRoot, script);
  try {
    Deno.statSync(path);
  } catch {
    throw new Error(`script not found: ${script}`);
  }
  const flags = readRunFlagsSync(path);
  const notFlag = flags.find((flag) => !flag.startsWith("-"));
  if (notFlag !== undefined) {
    throw new Error(`${script}: line 1 may hold only flags after "deno run", found "${notFlag}"`);
  }
  const extras = extraFlags.trim().split(/\s+/).filter((flag) => flag !== "");
  const broad = [...overlyBroadFlags(extras), ...extras.filter((f) => !f.startsWith("--allow-"))];
  if (broad.length > 0) {
    throw new Error(`extra flags may only widen a permission to a target, not "${broad[0]}"`);
  }
  return ["deno", "run", ...flags, ...extras, script, args.trim()].filter((part) => part !== "")
    .join(" ");
}

export function runCommandPlugin(md: Md, repoRoot: string): void {
  md.core.ruler.after("block", "run_command", (state) => {
    const tokens = state.tokens;
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const inline = tokens[i + 1];
      const isRun = tokens[i].type === "paragraph_open" && inline?.type === "inline" &&
        /^@run\b/.test(inline.content);
      if (!isRun) {
        out.push(tokens[i]);
        continue;
      }
      const page = pageOf(state.env);
      const match = RUN.exec(inline.content);
      if (!match?.[2]) {
        throw new Error(
          `${page}: "@run" must be alone on its line as "@run <script> [args]", found ${
            JSON.stringify(inline.content)
          }`,
        );
      }
      const [, extraFlags, script, args = ""] = match;
      if (script.startsWith("/") || script.split("/").includes("..")) {
        throw new Error(
          `${page}: "@run ${script}": give the script's path from the repository root`,
        );
      }
      let command: string;
      try {
        command = runLine(repoRoot, script, args, extraFlags);
      } catch (error) {
        throw new Error(`${page}: "@run ${script}": ${(error as Error).message}`);
      }
      const fence = new state.Token("fence", "code", 0);
      fence.info = "sh";
      fence.content = command + "\n";
      fence.markup = "```";
      fence.map = tokens[i].map;
      fence.block = true;
      out.push(
        htmlToken(state, `<div class="run-command" data-script="${escapeHtml(script)}">\n`),
        fence,
        htmlToken(state, "</div>\n"),
      );
      i += 2; // skip the inline token and paragraph_close
    }
    state.tokens = out;
  });
}
