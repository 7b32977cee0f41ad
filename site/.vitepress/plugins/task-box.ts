// Task boxes: a custom container that numbers and labels a task in the page's language.
//
//   ::: task 1.1 TCP echo server and client      → "Task 1.1 — TCP echo server and client"
//   ::: task Deliverable 1 — Sensor telemetry     → "Deliverable 1 — Sensor telemetry"
//   ::: task Optional — Reliable UDP              → "Optional — Reliable UDP"
//
// Spanish pages use the same syntax; the label becomes "Tarea" / "Entregable" / "Opcional".
// The box gets an id (task-1-1, deliverable-1, optional-…) so other pages can link to it.
import container from "markdown-it-container";
import { markdownLabels, pageLang } from "../i18n.ts";
import { escapeHtml, type Md, pageOf, type Token } from "./types.ts";

export interface TaskHeading {
  kind: "task" | "deliverable" | "optional";
  /** "1.1", "1", or "" when the box has no number. */
  number: string;
  title: string;
}

// `1.1 Title`, `Deliverable 1 — Title`, `Optional — Title` (Spanish keywords accepted too);
// the title may follow an em dash, en dash, hyphen or colon.
const HEADING =
  /^(?:(?<word>deliverable|entregable|optional|opcional)(?:\s+(?<wordNumber>\d[\w.]*))?|(?<number>\d[\w.]*))\s*(?:[—–:-]\s*)?(?<title>.*)$/i;

/** Parses what follows `::: task`; undefined when it matches none of the forms. */
export function parseTaskHeading(params: string): TaskHeading | undefined {
  const groups = HEADING.exec(params.trim())?.groups;
  if (!groups || !groups.title) return undefined;
  const word = groups.word?.toLowerCase();
  const kind = word === undefined
    ? "task"
    : word === "deliverable" || word === "entregable"
    ? "deliverable"
    : "optional";
  return { kind, number: groups.number ?? groups.wordNumber ?? "", title: groups.title.trim() };
}

function slug(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export function taskBoxPlugin(md: Md): void {
  md.use(container, "task", {
    validate: (params: string) => /^task(\s|$)/.test(params.trim()),
    render(tokens: Token[], idx: number, _options: unknown, env: Record<string, unknown>) {
      const token = tokens[idx];
      if (token.nesting !== 1) return "</div></section>\n";
      const params = token.info.trim().slice("task".length).trim();
      const heading = parseTaskHeading(params);
      if (!heading) {
        throw new Error(
          `${pageOf(env)}: cannot read "::: task ${params}"; write "::: task 1.1 Title", ` +
            `"::: task Deliverable 1 — Title" or "::: task Optional — Title"`,
        );
      }
      const labels = markdownLabels[pageLang(env)];
      const label = [labels[heading.kind], heading.number].filter(Boolean).join(" ");
      // Ids are the same in both languages; repeated ids on one page get a suffix.
      const seen = (env.taskIds ??= new Set<string>()) as Set<string>;
      const base = heading.kind === "optional" && !heading.number
        ? `optional-${slug(heading.title)}`
        : slug(`${heading.kind} ${heading.number}`);
      let id = base;
      for (let n = 2; seen.has(id); n++) id = `${base}-${n}`;
      seen.add(id);
      const title = md.renderInline(heading.title, env);
      return `<section class="task-box task-${heading.kind}" id="${id}">\n` +
        `<p class="task-title"><a class="task-label" href="#${id}">${escapeHtml(label)}</a>` +
        `<span class="task-sep"> — </span><span class="task-name">${title}</span></p>\n` +
        `<div class="task-body">\n`;
    },
  });
}
