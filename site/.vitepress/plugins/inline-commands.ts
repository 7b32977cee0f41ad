// Copy buttons on commands written inline: `deno task grade --task 1.1` or
// `./labs/lab1/tcp_echo_server.ts` in a sentence or a table gets a small button after it that
// copies the command (theme/inline-copy.ts does the copying). Only inline code that starts with
// `deno ` or `./labs/` is a command a student runs; headings keep plain code, since their text
// also becomes the outline and the anchor.
import { markdownLabels, pageLang } from "../i18n.ts";
import { escapeHtml, type Md } from "./types.ts";

/** Whether inline code is a command a student runs (and so gets a copy button). */
export function isInlineCommand(code: string): boolean {
  return /^(deno |\.\/labs\/)/.test(code);
}

export function inlineCommandsPlugin(md: Md): void {
  // Mark the inline code of headings, which keeps VitePress's plain rendering.
  md.core.ruler.push("inline_commands_headings", (state) => {
    state.tokens.forEach((token, i) => {
      if (token.type !== "inline" || state.tokens[i - 1]?.type !== "heading_open") return;
      for (const child of token.children ?? []) {
        if (child.type === "code_inline") child.meta = { ...child.meta, inHeading: true };
      }
    });
  });

  const codeInline = md.renderer.rules.code_inline!;
  md.renderer.rules.code_inline = (tokens, idx, options, env, self) => {
    const html = codeInline(tokens, idx, options, env, self);
    const token = tokens[idx];
    if (token.meta?.inHeading || !isInlineCommand(token.content)) return html;
    const labels = markdownLabels[pageLang(env)];
    const label = escapeHtml(`${labels.copyCommand}: ${token.content}`);
    return `<span class="inline-command">${html}<button type="button" class="copy-inline" ` +
      `title="${label}" aria-label="${label}" data-copied="${labels.copied}"></button></span>`;
  };
}
