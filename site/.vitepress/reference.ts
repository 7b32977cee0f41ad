// Generates the API reference from the documentation comments of lib/*.ts (`deno doc --json`),
// so it is never retyped: an index page (site/reference.md: every module with its summary) and one
// page per module (site/reference/struct.md, …), and the same in Spanish under site/es/. One page
// per module keeps every page light: the nav links to the index, so every page of the site
// prefetches it. The pages are build output: site/.vitepress/cli.ts writes them before every build
// or serve, and .gitignore keeps them out of the repository.
// Run alone: deno run -A site/.vitepress/reference.ts
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

// ---- The parts of `deno doc --json` (format version 2) that we read. ------------------------

// deno-lint-ignore no-explicit-any
type Json = any;
interface Tag {
  kind: string;
  name?: string;
  doc?: string;
  tsType?: Json;
}
interface JsDoc {
  doc?: string;
  tags?: Tag[];
}
interface Declaration {
  kind: string;
  location: { line: number };
  jsDoc?: JsDoc;
  def?: Json;
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}
interface DocModule {
  module_doc?: JsDoc;
  symbols: DocSymbol[];
}

// ---- TypeScript source text from doc nodes. -------------------------------------------------

function typeParams(params: Json[] | undefined): string {
  if (!params?.length) return "";
  return `<${
    params.map((p) =>
      p.name + (p.constraint ? ` extends ${type(p.constraint)}` : "") +
      (p.default ? ` = ${type(p.default)}` : "")
    ).join(", ")
  }>`;
}

function literal(value: Json): string {
  switch (value.kind) {
    case "string":
      return JSON.stringify(value.string);
    case "number":
      return String(value.number);
    case "boolean":
      return String(value.boolean);
    case "bigInt":
      return `${value.bigInt}n`;
    case "template":
      return "`" +
        (value.tsTypes ?? []).map((t: Json) =>
          t.kind === "literal" && t.value.kind === "string" ? t.value.string : `\${${type(t)}}`
        ).join("") + "`";
    default:
      return "unknown";
  }
}

function members(value: Json): string {
  const parts = [
    ...(value.callSignatures ?? []).map((s: Json) =>
      `${typeParams(s.typeParams)}(${params(s.params)})${s.tsType ? `: ${type(s.tsType)}` : ""}`
    ),
    ...(value.indexSignatures ?? []).map((s: Json) =>
      `${s.readonly ? "readonly " : ""}[${params(s.params)}]: ${type(s.tsType)}`
    ),
    ...(value.properties ?? []).map(property),
    ...(value.methods ?? []).map(method),
  ];
  return parts.length ? `{ ${parts.join("; ")} }` : "{}";
}

/** A type as TypeScript source; unknown shapes fall back to the text deno doc recorded. */
function type(t: Json): string {
  if (!t) return "unknown";
  const v = t.value;
  switch (t.kind) {
    case "keyword":
      return v;
    case "literal":
      return literal(v);
    case "typeRef":
      return v.typeName + (v.typeParams?.length ? `<${v.typeParams.map(type).join(", ")}>` : "");
    case "union":
      return v.map(type).join(" | ");
    case "intersection":
      return v.map(type).join(" & ");
    case "array": {
      const inner = type(v);
      return /[|&\s]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case "tuple":
      return `[${v.map(type).join(", ")}]`;
    case "parenthesized":
      return `(${type(v)})`;
    case "rest":
      return `...${type(v)}`;
    case "optional":
      return `${type(v)}?`;
    case "typeOperator":
      return `${v.operator} ${type(v.tsType)}`;
    case "indexedAccess":
      return `${type(v.objType)}[${type(v.indexType)}]`;
    case "this":
      return "this";
    case "typeQuery":
      return `typeof ${typeof v === "string" ? v : (v.exprName ?? t.repr)}`;
    case "fnOrConstructor":
      return `${v.constructor ? "new " : ""}${typeParams(v.typeParams)}(${params(v.params)}) => ${
        type(v.tsType)
      }`;
    case "conditional":
      return `${type(v.checkType)} extends ${type(v.extendsType)} ? ${type(v.trueType)} : ${
        type(v.falseType)
      }`;
    case "infer":
      return `infer ${v.typeParam.name}`;
    case "mapped": {
      const ro = v.readonlyModifier === true ? "readonly " : v.readonlyModifier ?? "";
      const opt = v.optionalModifier === true ? "?" : v.optionalModifier ?? "";
      const key = `${v.typeParam.name} in ${type(v.typeParam.constraint)}` +
        (v.nameType ? ` as ${type(v.nameType)}` : "");
      return `{ ${ro}[${key}]${opt}: ${type(v.tsType)} }`;
    }
    case "typeLiteral":
      return members(v);
    case "typePredicate": {
      const name = v.param?.type === "this" ? "this" : v.param?.name;
      return `${v.asserts ? "asserts " : ""}${name}${v.type ? ` is ${type(v.type)}` : ""}`;
    }
    case "importType":
      return `import(${JSON.stringify(v.specifier)})${v.qualifier ? `.${v.qualifier}` : ""}`;
    default:
      return t.repr || "unknown";
  }
}

function param(p: Json): string {
  const annotation = p.tsType ? `: ${type(p.tsType)}` : "";
  switch (p.kind) {
    case "identifier":
      return `${p.name}${p.optional ? "?" : ""}${annotation}`;
    case "rest":
      return `...${param(p.arg)}${annotation}`;
    case "assign":
      return `${param(p.left).replace(/:.*$/s, "")}${
        p.left.tsType ? `: ${type(p.left.tsType)}` : annotation
      } = ${p.right}`;
    case "object":
      return `{ ${(p.props ?? []).map((prop: Json) => prop.key ?? prop.name ?? "…").join(", ")} }${
        p.optional ? "?" : ""
      }${annotation}`;
    case "array":
      return `[…]${p.optional ? "?" : ""}${annotation}`;
    default:
      return "arg";
  }
}

function params(list: Json[] | undefined): string {
  return (list ?? []).map(param).join(", ");
}

function property(p: Json): string {
  return `${p.isStatic ? "static " : ""}${p.readonly ? "readonly " : ""}${p.name}${
    p.optional ? "?" : ""
  }${p.tsType ? `: ${type(p.tsType)}` : ""}`;
}

function method(m: Json): string {
  const fn = m.functionDef ?? m; // class methods nest the signature; interface methods do not
  const prefix = `${m.isStatic ? "static " : ""}${
    m.kind === "getter" ? "get " : m.kind === "setter" ? "set " : ""
  }`;
  const returns = fn.returnType ? `: ${type(fn.returnType)}` : "";
  return `${prefix}${m.name}${m.optional ? "?" : ""}${typeParams(fn.typeParams)}(${
    params(fn.params)
  })${returns}`;
}

/** The declaration of a symbol, without bodies or comments. */
function signature(name: string, d: Declaration): string {
  const def = d.def ?? {};
  switch (d.kind) {
    case "function":
      return `${def.isAsync ? "async " : ""}function${def.isGenerator ? "*" : ""} ${name}${
        typeParams(def.typeParams)
      }(${params(def.params)})${def.returnType ? `: ${type(def.returnType)}` : ""};`;
    case "variable":
      return `${def.kind ?? "const"} ${name}${def.tsType ? `: ${type(def.tsType)}` : ""};`;
    case "typeAlias":
      return `type ${name}${typeParams(def.typeParams)} = ${type(def.tsType)};`;
    case "enum":
      return `enum ${name} { ${
        (def.members ?? []).map((m: Json) => m.name + (m.init ? ` = ${type(m.init)}` : "")).join(
          ", ",
        )
      } }`;
    case "interface": {
      const ext = def.extends?.length ? ` extends ${def.extends.map(type).join(", ")}` : "";
      const body = [
        ...(def.callSignatures ?? []).map((s: Json) =>
          `${typeParams(s.typeParams)}(${params(s.params)})${
            s.tsType ? `: ${type(s.tsType)}` : ""
          };`
        ),
        ...(def.indexSignatures ?? []).map((s: Json) =>
          `${s.readonly ? "readonly " : ""}[${params(s.params)}]: ${type(s.tsType)};`
        ),
        ...(def.properties ?? []).map((p: Json) => property(p) + ";"),
        ...(def.methods ?? []).map((m: Json) => method(m) + ";"),
      ];
      return `interface ${name}${typeParams(def.typeParams)}${ext} {\n${
        body.map((line) => `  ${line}\n`).join("")
      }}`;
    }
    case "class": {
      const ext = def.extends
        ? ` extends ${def.extends}${
          def.superTypeParams?.length ? `<${def.superTypeParams.map(type).join(", ")}>` : ""
        }`
        : "";
      const impl = def.implements?.length
        ? ` implements ${def.implements.map(type).join(", ")}`
        : "";
      const visible = (m: Json) => m.accessibility !== "private" && !String(m.name).startsWith("#");
      const body = [
        ...(def.constructors ?? []).filter(visible).map((c: Json) =>
          `constructor(${params(c.params)});`
        ),
        ...(def.properties ?? []).filter(visible).map((p: Json) => property(p) + ";"),
        ...(def.methods ?? []).filter(visible).map((m: Json) => method(m) + ";"),
      ];
      return `${def.isAbstract ? "abstract " : ""}class ${name}${
        typeParams(def.typeParams)
      }${ext}${impl} {\n${body.map((line) => `  ${line}\n`).join("")}}`;
    }
    default:
      return `${d.kind} ${name}`;
  }
}

/** Formats TypeScript declarations with `deno fmt`, one call for all of them. */
async function formatAll(snippets: string[]): Promise<string[]> {
  const marker = (i: number) => `// @@snippet ${i}`;
  const source = snippets.map((s, i) => `${marker(i)}\n${s}\n`).join("");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=ts", "--line-width=88", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const { success, stdout } = await child.output();
  if (!success) return snippets; // unusual syntax: show it unformatted rather than fail
  const parts = new TextDecoder().decode(stdout).split(/^\/\/ @@snippet \d+\n/m).slice(1);
  return parts.length === snippets.length ? parts.map((p) => p.trim()) : snippets;
}

// ---- Markdown. -------------------------------------------------------------------------------

const LABELS = {
  en: {
    title: "API reference",
    intro: [
      "The modules in `lib/` that the lab scripts share, one page each. The pages are generated",
      "from their documentation comments when the site is built, so they always match the code;",
      "to change them, edit the comments in `lib/`.",
    ].join("\n"),
    none: "There are no modules in `lib/` yet.",
    module: "Module",
    summary: "What it is for",
    parameters: "Parameters",
    returns: "Returns",
    throws: "Throws",
    example: "Example",
    members: "Members",
    import: "Import it from a lab script with",
  },
  es: {
    title: "Referencia de la API",
    intro: [
      "Los módulos de `lib/` que comparten los scripts de las prácticas, cada uno en su página.",
      "Las páginas se generan a partir de los comentarios de documentación del código al construir",
      "el sitio, así que siempre coinciden con él. **La documentación de la API está en inglés**,",
      "tal como está escrita en `lib/`; solo los títulos y esta introducción están traducidos.",
    ].join("\n"),
    none: "Todavía no hay módulos en `lib/`.",
    module: "Módulo",
    summary: "Para qué sirve",
    parameters: "Parámetros",
    returns: "Devuelve",
    throws: "Lanza",
    example: "Ejemplo",
    members: "Miembros",
    import: "Impórtalo desde un script de prácticas con",
  },
};
type Labels = typeof LABELS.en;

function anchor(module: string, name: string): string {
  return `${module}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/**
 * Makes documentation prose safe inside a VitePress page: `{@link x}` becomes a link to x's
 * entry; `<` outside code becomes `&lt;` (Vue would read `Array<number>` as an element) and
 * `{{` cannot start a Vue interpolation.
 */
function prose(text: string, resolveLink: (name: string) => string | undefined): string {
  const linked = text.replace(
    /\{@link(code|plain)?\s+([^\s}|]+)(?:[\s|]+([^}]*))?\}/g,
    (_all, style, target, label) => {
      if (/^https?:/.test(target)) return `[${label || target}](${target})`;
      const href = resolveLink(target.replace(/\(\)$/, ""));
      const text = style === "plain" ? (label || target) : `\`${label || target}\``;
      return href ? `[${text}](${href})` : text;
    },
  );
  // Split into fenced blocks, code spans and the rest. Fenced blocks are safe (VitePress marks
  // them v-pre); a code span holding "{{" becomes raw HTML marked v-pre; the rest is escaped.
  return linked.split(/(```[\s\S]*?```|`[^`\n]*`)/g)
    .map((part, i) => {
      if (i % 2 === 0) return part.replaceAll("<", "&lt;").replaceAll("{{", "&#123;&#123;");
      if (part.startsWith("```") || !part.includes("{{")) return part;
      const code = part.slice(1, -1).replaceAll("&", "&amp;").replaceAll("<", "&lt;");
      return `<code v-pre>${code}</code>`;
    })
    .join("");
}

function example(tag: Tag, l: Labels, fix: (s: string) => string): string {
  const doc = (tag.doc ?? "").trim();
  const fence = doc.indexOf("```");
  const title = (fence === -1 ? doc : doc.slice(0, fence)).trim();
  const code = fence === -1 ? "" : doc.slice(fence);
  return `**${l.example}${title ? `: ${fix(title)}` : ""}**\n\n${code}\n`;
}

function tagSections(jsDoc: JsDoc | undefined, l: Labels, fix: (s: string) => string): string {
  const tags = jsDoc?.tags ?? [];
  const out: string[] = [];
  const list = (label: string, items: string[]) => {
    if (items.length) out.push(`**${label}**\n\n${items.join("\n")}\n`);
  };
  list(
    l.parameters,
    tags.filter((t) => t.kind === "param").map((t) =>
      `- \`${t.name}\`${t.doc ? ` — ${fix(t.doc.trim()).replaceAll("\n", " ")}` : ""}`
    ),
  );
  list(
    l.returns,
    tags.filter((t) => t.kind === "return").map((t) =>
      `- ${fix((t.doc ?? "").trim()).replaceAll("\n", " ")}`
    ),
  );
  list(
    l.throws,
    tags.filter((t) => t.kind === "throws").map((t) =>
      `- ${t.tsType ? `\`${type(t.tsType)}\`` : ""}${t.doc ? ` — ${fix(t.doc.trim())}` : ""}`
        .replaceAll("\n", " ")
    ),
  );
  for (const tag of tags.filter((t) => t.kind === "example")) out.push(example(tag, l, fix));
  return out.join("\n");
}

/** The members of a class or interface that carry their own documentation. */
function documentedMembers(d: Declaration): { name: string; jsDoc: JsDoc }[] {
  const def = d.def ?? {};
  const all = [
    ...(def.constructors ?? []).map((c: Json) => ({ ...c, name: "constructor" })),
    ...(def.properties ?? []),
    ...(def.methods ?? []),
  ];
  return all.filter((m: Json) => m.jsDoc && m.accessibility !== "private");
}

export interface DocModules {
  [file: string]: DocModule;
}

/**
 * The modules of lib/ by name (`struct` for lib/struct.ts), sorted; tests and declarations are
 * not modules. Synchronous, so that the site config can list the reference pages.
 */
export function libModules(repoRoot: string): string[] {
  try {
    return [...Deno.readDirSync(join(repoRoot, "lib"))]
      .filter((entry) =>
        entry.isFile && /\.ts$/.test(entry.name) && !/(_test|\.d)\.ts$/.test(entry.name)
      )
      .map((entry) => basename(entry.name, ".ts"))
      .sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Runs `deno doc --json` on every lib/*.ts module. */
export async function readDocs(repoRoot: string): Promise<DocModules> {
  const files = libModules(repoRoot).map((name) => `lib/${name}.ts`);
  if (files.length === 0) return {};
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(
      `API reference: "deno doc --json lib/*.ts" failed:\n${new TextDecoder().decode(stderr)}`,
    );
  }
  const json = JSON.parse(new TextDecoder().decode(stdout));
  const modules: DocModules = {};
  for (const [url, module] of Object.entries(json.nodes as Record<string, DocModule>)) {
    modules[`lib/${basename(fileURLToPath(url))}`] = module;
  }
  return modules;
}

interface Entry {
  file: string;
  name: string;
  decls: Declaration[];
  /** The declarations as formatted TypeScript. */
  signature: string;
}

/** One entry per exported symbol, module by module; overloads and merged declarations share it. */
async function entriesOf(modules: DocModules): Promise<Entry[]> {
  const entries = Object.keys(modules).sort().flatMap((file) =>
    modules[file].symbols.map((s) => ({
      file,
      name: s.name,
      decls: s.declarations.filter((d) => d.kind !== "import" && d.kind !== "moduleDoc"),
      signature: "",
    })).filter((e) => e.decls.length > 0)
  );
  const formatted = await formatAll(
    entries.flatMap((e) => e.decls.map((d) => signature(e.name, d))),
  );
  let next = 0;
  for (const e of entries) e.signature = e.decls.map(() => formatted[next++]).join("\n\n");
  return entries;
}

function frontmatter(outline: string): string[] {
  return [
    "---",
    "# Generated by site/.vitepress/reference.ts from lib/*.ts. Do not edit.",
    `outline: ${outline}`,
    "---",
    "",
  ];
}

/** The first sentence of a module's documentation, for the index. */
function summary(doc: string): string {
  const paragraph = doc.trim().split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ");
  return paragraph.match(/^[\s\S]*?[.!?](?=\s|$)/)?.[0] ?? paragraph;
}

/** The index page: every module, linked, with its summary. */
function indexPage(modules: DocModules, l: Labels): string {
  const out = [...frontmatter("false"), `# ${l.title}`, "", l.intro, ""];
  const files = Object.keys(modules).sort();
  if (files.length === 0) out.push(l.none, "");
  else out.push(`| ${l.module} | ${l.summary} |`, "| --- | --- |");
  for (const file of files) {
    // Links in a summary would point from the wrong folder: keep their text only.
    const text = prose(summary(modules[file].module_doc?.doc ?? ""), () => undefined);
    out.push(`| [\`${file}\`](./reference/${base(file)}.md) | ${text.replaceAll("|", "\\|")} |`);
  }
  return out.join("\n") + "\n";
}

/** The page of one module: its documentation, then every export with its signature. */
function modulePage(file: string, modules: DocModules, entries: Entry[], l: Labels): string {
  const module = modules[file];
  // Where `{@link name}` goes: this page first, then the first module that exports the name.
  const local = new Map(module.symbols.map((s) => [s.name, `#${anchor(base(file), s.name)}`]));
  const fix = (text: string) =>
    prose(text, (name) => {
      if (local.has(name)) return local.get(name);
      const other = entries.find((e) => e.name === name);
      return other && `./${base(other.file)}.md#${anchor(base(other.file), other.name)}`;
    });
  const out = [...frontmatter("[2, 3]"), `# ${file} {#${anchor("module", base(file))}}`, ""];
  out.push(`[${l.title}](../reference.md) › \`${file}\``, "");
  if (module.module_doc?.doc) out.push(fix(module.module_doc.doc.trim()), "");
  out.push(`${l.import}`, "", "```ts", `import { … } from "../../${file}";`, "```", "");
  for (const tag of module.module_doc?.tags ?? []) {
    if (tag.kind === "example") out.push(example(tag, l, fix));
  }
  for (const e of entries.filter((e) => e.file === file)) {
    const id = anchor(base(file), e.name);
    out.push(`## ${e.name} {#${id}}`, "", "```ts", e.signature, "```", "");
    for (const d of e.decls) {
      if (d.jsDoc?.doc) out.push(fix(d.jsDoc.doc.trim()), "");
      const sections = tagSections(d.jsDoc, l, fix);
      if (sections) out.push(sections);
      const documented = documentedMembers(d);
      if (documented.length) out.push(`**${l.members}**`, "");
      for (const m of documented) {
        const memberId = `${id}--${m.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
        out.push(
          `### ${e.name}.${m.name} {#${memberId}}`,
          "",
          m.jsDoc.doc ? fix(m.jsDoc.doc.trim()) : "",
          "",
          tagSections(m.jsDoc, l, fix),
          "",
        );
      }
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/**
 * The reference in one language: page paths relative to the language's root (`reference.md`,
 * `reference/struct.md`, …) and their Markdown.
 */
export async function referencePages(
  modules: DocModules,
  lang: "en" | "es",
): Promise<Map<string, string>> {
  const l = LABELS[lang];
  const entries = await entriesOf(modules);
  const pages = new Map([["reference.md", indexPage(modules, l)]]);
  for (const file of Object.keys(modules).sort()) {
    pages.set(`reference/${base(file)}.md`, modulePage(file, modules, entries, l));
  }
  return pages;
}

function base(file: string): string {
  return basename(file, ".ts");
}

/**
 * Writes the reference pages of both languages under site/ and removes the pages of modules
 * that no longer exist; returns the paths written.
 */
export async function writeReference(repoRoot: string): Promise<string[]> {
  const modules = await readDocs(repoRoot);
  const written: string[] = [];
  for (const [lang, root] of [["en", "site"], ["es", "site/es"]] as const) {
    const pages = await referencePages(modules, lang);
    await Deno.mkdir(join(repoRoot, root, "reference"), { recursive: true });
    for (const entry of Deno.readDirSync(join(repoRoot, root, "reference"))) {
      if (entry.name.endsWith(".md") && !pages.has(`reference/${entry.name}`)) {
        await Deno.remove(join(repoRoot, root, "reference", entry.name));
      }
    }
    for (const [page, text] of pages) {
      const target = join(repoRoot, root, page);
      // Rewrite only on change, so a running dev server does not reload for nothing.
      const old = await Deno.readTextFile(target).catch(() => "");
      if (old !== text) await Deno.writeTextFile(target, text);
      written.push(`${root}/${page}`);
    }
  }
  return written;
}

if (import.meta.main) {
  const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
  console.log(`Wrote ${(await writeReference(repoRoot)).join(", ")}`);
}
