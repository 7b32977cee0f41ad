// Code listings: VitePress's own snippet import (`<<< @/../labs/lab1/x.ts#region`) does the
// embedding. This plugin adds what it lacks:
//  - a missing file or region fails the build (VitePress renders an error into the page, or
//    for a missing region silently shows the whole file);
//  - a caption naming the file, and a wrapper `<div class="snippet" data-src data-region>` that
//    the site tests use to compare every listing with its source.
import { relative } from "node:path";
import { markdownLabels, pageLang } from "../i18n.ts";
import { escapeHtml, htmlToken, type Md, pageOf, type Token } from "./types.ts";

/** Where VitePress's snippet parser stores `[absolute path, region name]` on a fence token. */
type SnippetToken = Token & { src?: [string, string] };

// The marker lines VitePress recognises for `// #region name` … `// #endregion name` (its
// `findRegion`, reduced to the comment styles our scripts and pages use).
const REGION_MARKERS = [
  /^\/\/ ?#?((?:end)?region) ([\w*-]+)$/,
  /^\/\* ?#((?:end)?region) ([\w*-]+) ?\*\/$/,
  /^<!-- #?((?:end)?region) ([\w*-]+) -->$/,
  /^# ?((?:end)?region) ([\w*-]+)$/,
];

/** Whether `lines` hold `#region name` followed later by the matching `#endregion name`. */
export function hasRegion(lines: string[], name: string): boolean {
  for (const marker of REGION_MARKERS) {
    let open = false;
    for (const line of lines) {
      const [, tag, found] = marker.exec(line.trim()) ?? [];
      if (found !== name) continue;
      if (!open && /^region$/i.test(tag)) open = true;
      else if (open && /^end ?region$/i.test(tag)) return true;
    }
  }
  return false;
}

function readLines(file: string): string[] | undefined {
  try {
    return Deno.readTextFileSync(file).replaceAll("\r\n", "\n").split("\n");
  } catch {
    return undefined;
  }
}

export function snippetsPlugin(md: Md, repoRoot: string): void {
  md.core.ruler.after("block", "snippet_check", (state) => {
    const out: Token[] = [];
    for (const token of state.tokens as SnippetToken[]) {
      if (token.type !== "fence" || !token.src) {
        out.push(token);
        continue;
      }
      const [file, region] = token.src;
      const shown = relative(repoRoot, file);
      const lines = readLines(file);
      if (lines === undefined) {
        throw new Error(`${pageOf(state.env)}: code snippet file not found: ${shown}`);
      }
      if (region && !hasRegion(lines, region)) {
        throw new Error(
          `${pageOf(state.env)}: region "#${region}" not found in ${shown} ` +
            `(mark it with "// #region ${region}" … "// #endregion ${region}")`,
        );
      }
      const label = markdownLabels[pageLang(state.env)];
      const caption = escapeHtml(shown) +
        (region ? ` <span class="snippet-region">(${label.excerpt})</span>` : "");
      out.push(
        htmlToken(
          state,
          `<div class="snippet" data-src="${escapeHtml(shown)}" data-region="${
            escapeHtml(region)
          }">\n<div class="snippet-file">${caption}</div>\n`,
        ),
        token,
        htmlToken(state, "</div>\n"),
      );
    }
    state.tokens = out;
  });
}
