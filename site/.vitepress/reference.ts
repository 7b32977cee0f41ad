// Generates site/reference.md and site/es/reference.md from the documentation comments of
// lib/*.ts (`deno doc --json`), so the API reference is never retyped. The pages are build
// output: site/.vitepress/cli.ts writes them before every build or serve, and .gitignore keeps
// them out of the repository. Run alone: deno run -A site/.vitepress/reference.ts
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
      "The modules in `lib/` that the lab scripts share. This page is generated from their",
      "documentation comments when the site is built, so it always matches the code; to change",
      "it, edit the comments in `lib/`.",
    ].join("\n"),
    none: "There are no modules in `lib/` yet.",
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
      "Los módulos de `lib/` que comparten los scripts de las prácticas. Esta página se genera",
      "a partir de los comentarios de documentación del código al construir el sitio, así que",
      "siempre coincide con él. **La documentación de la API está en inglés**, tal como está",
      "escrita en `lib/`; solo los títulos y esta introducción están traducidos.",
    ].join("\n"),
    none: "Todavía no hay módulos en `lib/`.",
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

/** Runs `deno doc --json` on every lib/*.ts (tests and declarations excluded). */
export async function readDocs(repoRoot: string): Promise<DocModules> {
  const lib = join(repoRoot, "lib");
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(lib)) {
      if (entry.isFile && /\.ts$/.test(entry.name) && !/(_test|\.d)\.ts$/.test(entry.name)) {
        files.push(join("lib", entry.name));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (files.length === 0) return {};
  files.sort();
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

/** The reference page in one language. */
export async function referencePage(modules: DocModules, lang: "en" | "es"): Promise<string> {
  const l = LABELS[lang];
  const files = Object.keys(modules).sort();
  // One entry per symbol; overloads and merged declarations share its heading.
  const entries = files.flatMap((file) =>
    modules[file].symbols.map((s) => ({
      file,
      name: s.name,
      decls: s.declarations.filter((d) => d.kind !== "import" && d.kind !== "moduleDoc"),
    })).filter((e) => e.decls.length > 0)
  );
  const flat = entries.flatMap((e) => e.decls.map((d) => signature(e.name, d)));
  const formatted = await formatAll(flat);
  let next = 0;
  const signatures = entries.map((e) => e.decls.map(() => formatted[next++]).join("\n\n"));
  const ids = new Map<string, string>(); // symbol name → anchor (first module wins)
  for (const e of entries) {
    if (!ids.has(e.name)) ids.set(e.name, `#${anchor(base(e.file), e.name)}`);
  }

  const out = [
    "---",
    "# Generated by site/.vitepress/reference.ts from lib/*.ts. Do not edit.",
    "outline: [2, 3]",
    "lastUpdated: false",
    "---",
    "",
    `# ${l.title}`,
    "",
    l.intro,
    "",
  ];
  if (files.length === 0) out.push(l.none, "");
  for (const file of files) {
    const module = modules[file];
    const local = new Map(
      module.symbols.map((s) => [s.name, `#${anchor(base(file), s.name)}`] as const),
    );
    const fix = (text: string) => prose(text, (name) => local.get(name) ?? ids.get(name));
    out.push(`## ${file} {#${anchor("module", base(file))}}`, "");
    if (module.module_doc?.doc) out.push(fix(module.module_doc.doc.trim()), "");
    out.push(`${l.import}`, "", "```ts", `import { … } from "../../${file}";`, "```", "");
    for (const tag of module.module_doc?.tags ?? []) {
      if (tag.kind === "example") out.push(example(tag, l, fix));
    }
    entries.forEach((e, i) => {
      if (e.file !== file) return;
      const id = anchor(base(file), e.name);
      out.push(`### ${e.name} {#${id}}`, "");
      out.push("```ts", signatures[i], "```", "");
      for (const d of e.decls) {
        if (d.jsDoc?.doc) out.push(fix(d.jsDoc.doc.trim()), "");
        const sections = tagSections(d.jsDoc, l, fix);
        if (sections) out.push(sections);
        const documented = documentedMembers(d);
        if (documented.length) {
          out.push(`**${l.members}**`, "");
          for (const m of documented) {
            const doc = m.jsDoc.doc ? fix(m.jsDoc.doc.trim()) : "";
            out.push(
              `#### ${e.name}.${m.name} {#${id}--${
                m.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")
              }}`,
              "",
              doc,
              "",
              tagSections(m.jsDoc, l, fix),
              "",
            );
          }
        }
      }
    });
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

function base(file: string): string {
  return basename(file, ".ts");
}

/** Writes site/reference.md and site/es/reference.md; returns the paths written. */
export async function writeReference(repoRoot: string): Promise<string[]> {
  const modules = await readDocs(repoRoot);
  const written = [];
  for (
    const [lang, path] of [["en", "site/reference.md"], ["es", "site/es/reference.md"]] as const
  ) {
    const target = join(repoRoot, path);
    const text = await referencePage(modules, lang);
    // Rewrite only on change, so a running dev server does not reload for nothing.
    const old = await Deno.readTextFile(target).catch(() => "");
    if (old !== text) await Deno.writeTextFile(target, text);
    written.push(path);
  }
  return written;
}

if (import.meta.main) {
  const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
  console.log(`Wrote ${(await writeReference(repoRoot)).join(", ")}`);
}
