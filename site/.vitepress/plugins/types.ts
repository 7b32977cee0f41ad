// Shared types for our markdown-it plugins, taken from VitePress's own markdown-it instance.
import type { MarkdownRenderer } from "vitepress";

export type Md = MarkdownRenderer;
export type Token = ReturnType<Md["parse"]>[number];
/** A core rule's state (what `md.core.ruler.push` hands a rule). */
export type CoreState = Parameters<Parameters<Md["core"]["ruler"]["push"]>[1]>[0];

/** The page a rule is running on, relative to `site/` (VitePress puts it in `env`). */
export function pageOf(env: { relativePath?: string; path?: string }): string {
  return env.relativePath ? `site/${env.relativePath}` : (env.path ?? "(unknown page)");
}

/** An HTML block token holding `html`, to wrap VitePress's own output. */
export function htmlToken(state: CoreState, html: string): Token {
  const token = new state.Token("html_block", "", 0);
  token.content = html;
  return token;
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
