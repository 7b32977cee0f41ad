// The course site: VitePress with an English root locale and a Spanish one under /es/.
// Interface strings live in ./i18n.ts, our markdown conventions in ./plugins/ (see README.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DefaultTheme, defineConfig } from "vitepress";
import { searchEs, themeEn, themeEs } from "./i18n.ts";
import { movedAnchors } from "./moved-anchors.ts";
import { readableCodeColours } from "./plugins/contrast.ts";
import { formatCodesPlugin } from "./plugins/format-codes.ts";
import { highlightCachePlugin } from "./plugins/highlight-cache.ts";
import { inlineCommandsPlugin } from "./plugins/inline-commands.ts";
import { rawContainersPlugin } from "./plugins/raw-containers.ts";
import { localizePlugin } from "./plugins/localize.ts";
import { runCommandPlugin } from "./plugins/run-command.ts";
import { snippetsPlugin } from "./plugins/snippets.ts";
import { taskBoxPlugin } from "./plugins/task-box.ts";
import { libModules } from "./reference.ts";

// Snippets and `@run` paths are relative to the repository root, two levels up from here.
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
// SITE_BASE lets the static build live under a sub-path, e.g. SITE_BASE=/labs/.
const base = Deno.env.get("SITE_BASE") ?? "/";

/**
 * The theme with the API reference's page per lib/ module listed under its sidebar entry
 * (folded away except on the reference pages).
 */
function withModulePages(theme: DefaultTheme.Config, root: string): DefaultTheme.Config {
  const modules = libModules(repoRoot).map((name) => ({
    text: `lib/${name}.ts`,
    link: `${root}reference/${name}`,
  }));
  const sidebar = (theme.sidebar as DefaultTheme.SidebarItem[]).map((group) => ({
    ...group,
    items: group.items?.map((item) =>
      item.link === `${root}reference` ? { ...item, collapsed: true, items: modules } : item
    ),
  }));
  return { ...theme, sidebar };
}

/**
 * The words local search indexes: MiniSearch's own (split at spaces and punctuation), plus task
 * numbers such as 1.4 kept whole. VitePress sends these functions to the browser as their source
 * text, so they use nothing from outside them.
 */
function searchTerms(text: string): string[] {
  return [...text.split(/[\n\r\p{Z}\p{P}]+/u), ...(text.match(/\d+(?:\.\d+)+/g) ?? [])];
}

/**
 * The words of a query: a number such as 1.4 stays whole, without its parts (a "1" and a "4"
 * would find every page), so that "1.4" or "Tarea 1.4" finds Task 1.4 first.
 */
function queryTerms(text: string): string[] {
  return text.match(/\d+(?:\.\d+)+|[^\n\r\p{Z}\p{P}]+/gu) ?? [];
}

export default defineConfig({
  title: "Network Programming Labs",
  description: "TCP and UDP sockets, application protocols and wire encodings, in Deno.",
  // Plain `.html` links work on any static host (a clean URL needs server rewrites).
  cleanUrls: false,
  // Generated fragments in public/ (e.g. the game's bytes-per-tick table) are included
  // into pages, not pages of their own.
  srcExclude: ["public/**"],
  base,
  // Dead links fail the build (VitePress's default; kept explicit so nobody turns it off).
  ignoreDeadLinks: false,
  head: [["link", { rel: "icon", href: `${base}favicon.svg`, type: "image/svg+xml" }]],

  locales: {
    root: { label: "English", lang: "en", themeConfig: withModulePages(themeEn, "/") },
    es: {
      label: "Español",
      lang: "es",
      title: "Prácticas de programación de red",
      description: "Sockets TCP y UDP, protocolos de aplicación y codificación de datos, en Deno.",
      themeConfig: withModulePages(themeEs, "/es/"),
    },
  },

  themeConfig: {
    search: {
      provider: "local",
      options: {
        locales: { es: searchEs },
        miniSearch: {
          options: { tokenize: searchTerms },
          searchOptions: {
            tokenize: queryTerms,
            // A number is looked for as written: 1.4 is not 2.4 (fuzzy) nor 1.45 (prefix).
            fuzzy: (term: string) => (/^[\d.]+$/.test(term) ? false : 0.2),
            prefix: (term: string) => !/^[\d.]+$/.test(term),
          },
        },
      },
    },
  },

  // An overview page that lost anchors to its task pages carries where they went (theme/moved-anchors.ts).
  // A page without sections has no outline: its listings get the outline's column too (the
  // `no-outline` rules of theme/custom.css).
  transformPageData(pageData, { siteConfig }) {
    const moved = movedAnchors[pageData.relativePath.replace(/\.md$/, "")];
    if (moved) pageData.frontmatter.movedAnchors = moved;
    const source = readFileSync(join(siteConfig.srcDir, pageData.filePath), "utf8");
    if (!/^#{2,3} /m.test(source) && pageData.frontmatter.aside === undefined) {
      const classes = pageData.frontmatter.pageClass ?? "";
      pageData.frontmatter.pageClass = `${classes} no-outline`.trim();
    }
  },

  markdown: {
    shikiSetup(highlighter) {
      // Shiki gives up on a line after 500 ms and leaves the rest of it uncoloured: on a busy
      // machine, a page would show different colours from one build to the next. No limit.
      const codeToHtml = highlighter.codeToHtml;
      highlighter.codeToHtml = (code, options) =>
        codeToHtml(code, { ...options, tokenizeTimeLimit: 0 });
      // The languages of the site's code, loaded with the highlighter: VitePress would otherwise
      // start a worker the first time it meets each one, and wait for it.
      return highlighter.loadLanguage("ts", "sh", "python");
    },
    codeTransformers: [readableCodeColours],
    config(md) {
      highlightCachePlugin(md);
      snippetsPlugin(md, repoRoot);
      runCommandPlugin(md, repoRoot);
      taskBoxPlugin(md);
      formatCodesPlugin(md);
      inlineCommandsPlugin(md);
      rawContainersPlugin(md);
      localizePlugin(md);
    },
  },
});
