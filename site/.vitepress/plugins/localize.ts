// VitePress sets the code copy button's title and the default titles of `::: tip`-style blocks
// once for the whole site. This plugin puts them in the page's language instead.
import { markdownLabels, pageLang } from "../i18n.ts";
import type { Md } from "./types.ts";

type Containers = typeof markdownLabels.en.containers;

export function localizePlugin(md: Md): void {
  // Blocks without their own title (`::: warning`, `> [!NOTE]`) get the translated default.
  md.core.ruler.push("localize_containers", (state) => {
    const labels = markdownLabels[pageLang(state.env)].containers;
    for (const token of state.tokens) {
      const kind = /^container_(\w+)_open$/.exec(token.type)?.[1] as keyof Containers | undefined;
      if (kind && kind in labels && token.info.trim() === kind) {
        token.info = `${kind} ${labels[kind]}`;
      }
      const alert = token.type === "github_alert_open" ? token.meta : undefined;
      if (alert && alert.title === markdownLabels.en.containers[alert.type as keyof Containers]) {
        alert.title = labels[alert.type as keyof Containers];
      }
    }
  });

  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) =>
    fence(tokens, idx, options, env, self).replace(
      /<button title="[^"]*" class="copy">/,
      `<button title="${markdownLabels[pageLang(env)].copyCode}" class="copy">`,
    );
}
