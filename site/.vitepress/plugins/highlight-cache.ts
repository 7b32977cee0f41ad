// Highlighting is most of the markdown time of a build: Shiki runs a TextMate grammar over every
// line. The same listing is highlighted several times, though: on the English page and on its
// Spanish twin, and again when the local search indexes each page. This keeps each result, keyed
// by the code, its language and its attributes (all Shiki's output depends on), so each listing is
// highlighted once per build.
import type { Md } from "./types.ts";

const cache = new Map<string, string>();
/** Enough for every listing of the site; past it (a long dev session), start afresh. */
const LIMIT = 5000;

export function highlightCachePlugin(md: Md): void {
  const highlight = md.options.highlight;
  if (!highlight) return;
  md.options.highlight = (code, lang, attrs) => {
    const key = `${lang}\0${attrs}\0${code}`;
    let html = cache.get(key);
    if (html === undefined) {
      if (cache.size >= LIMIT) cache.clear();
      html = highlight(code, lang, attrs);
      cache.set(key, html);
    }
    return html;
  };
}
