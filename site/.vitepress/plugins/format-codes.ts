// The struct format-code table: a paragraph that is exactly `@struct-format-codes` becomes an
// HTML table built at build time from `formatCodes` in lib/struct.ts, the data the library
// itself packs with, so the handout and the library cannot disagree. Column headings follow
// the page's language; the type names stay as the library writes them.
import { formatCodes } from "../../../lib/struct.ts";
import { type Lang, markdownLabels, pageLang } from "../i18n.ts";
import { escapeHtml, htmlToken, type Md, type Token } from "./types.ts";

const MARKER = "@struct-format-codes";

/** The table's HTML for a page in `lang`. */
export function formatCodesTable(lang: Lang): string {
  const label = markdownLabels[lang].formatCodes;
  const head = label.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("");
  const rows = formatCodes.map((row) => {
    const cells = [
      `<code>${escapeHtml(row.code)}</code>`,
      escapeHtml(row.cType),
      escapeHtml(row.pythonType),
      escapeHtml(row.jsType),
      row.standardSize === null ? escapeHtml(label.nativeOnly) : String(row.standardSize),
      String(row.nativeSize),
    ];
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join("")}</tr>`;
  });
  return `<table class="format-codes">\n<thead><tr>${head}</tr></thead>\n<tbody>\n` +
    `${rows.join("\n")}\n</tbody>\n</table>\n`;
}

export function formatCodesPlugin(md: Md): void {
  md.core.ruler.after("block", "struct_format_codes", (state) => {
    const tokens = state.tokens;
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const inline = tokens[i + 1];
      const isMarker = tokens[i].type === "paragraph_open" && inline?.type === "inline" &&
        inline.content.trim() === MARKER;
      if (!isMarker) {
        out.push(tokens[i]);
        continue;
      }
      out.push(htmlToken(state, formatCodesTable(pageLang(state.env))));
      i += 2; // skip the inline token and paragraph_close
    }
    state.tokens = out;
  });
}
