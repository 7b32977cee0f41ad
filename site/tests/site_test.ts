// The course site: it builds from a clean copy of the repository, every listing is the script
// it names, every run command is the script's shebang, broken references fail the build, and
// in a real browser (Debian's chromium) every page works in both languages.
//
// One build is shared by all tests in this file (they run in order), in a temp copy made from
// the files a clone would have; the browser test serves that build on 127.0.0.1.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { DefaultTheme } from "vitepress";
import { readRunFlags } from "../../tools/script/run_flags.ts";
import { themeEn, themeEs } from "../.vitepress/i18n.ts";
import { movedAnchors } from "../.vitepress/moved-anchors.ts";
import {
  type Block,
  buildSite,
  builtPages,
  chromiumPath,
  cleanCopy,
  contrastRatio,
  expectedListing,
  htmlText,
  repoRoot,
  runBlocks,
  snippetBlocks,
  withoutFences,
} from "./helpers.ts";

/** Asserts that `text` contains `part`, quoting the end of `text` otherwise. */
function assertIncludes(text: string, part: string, message = `expected ${JSON.stringify(part)}`) {
  const html = text.trimStart().startsWith("<");
  assert.ok(text.includes(part), html ? message : `${message}\n--- in ---\n${text.slice(-3000)}`);
}

let built: Promise<{ dir: string; outDir: string; seconds: number }> | undefined;

/** The shared build: a clean copy of the repository, built once. */
function site() {
  built ??= (async () => {
    const dir = await cleanCopy();
    const outDir = join(dir, "site/.vitepress/dist");
    const result = await buildSite(dir, outDir);
    if (!result.success) throw new Error(`the site did not build:\n${result.output}`);
    return { dir, outDir, seconds: result.seconds };
  })();
  return built;
}

/** Built page → its Markdown source (`es/lab1.html` → `site/es/lab1.md`). */
function sourceOf(page: string): string {
  return join("site", page.replace(/\.html$/, ".md"));
}

Deno.test("site: builds from a clean copy of the repository", async () => {
  const { dir, outDir, seconds } = await site();
  const pages = await builtPages(outDir, dir);
  for (const page of ["index.html", "lab1.html", "reference.html"]) {
    assert.ok(pages.includes(page), `${page} was built`);
    assert.ok(pages.includes(`es/${page}`), `es/${page} (its Spanish twin) was built`);
  }
  // Every page exists in both languages.
  const english = pages.filter((p) => !p.startsWith("es/"));
  assert.deepEqual(pages.filter((p) => p.startsWith("es/")), english.map((p) => `es/${p}`));
  console.log(`cold build (clean copy, fresh node_modules and cache): ${seconds.toFixed(1)} s`);
});

Deno.test("site: every listing is byte-identical to its source file or region", async () => {
  const { dir, outDir } = await site();
  let count = 0;
  for (const page of await builtPages(outDir, dir)) {
    const html = await Deno.readTextFile(join(outDir, page));
    const blocks: Block[] = snippetBlocks(html);
    const markdown = withoutFences(await Deno.readTextFile(join(dir, sourceOf(page))));
    assert.equal(
      blocks.length,
      (markdown.match(/^<<< /gm) ?? []).length,
      `${page}: one listing per "<<<" line of ${sourceOf(page)}`,
    );
    for (const block of blocks) {
      const source = await Deno.readTextFile(join(dir, block.path));
      assert.equal(
        block.text,
        expectedListing(source, block.region),
        `${page}: listing of ${block.path}${block.region ? `#${block.region}` : ""}`,
      );
      count++;
    }
  }
  assert.ok(count > 0, "the pages embed at least one listing");
});

Deno.test("site: every run command is the script's shebang flags", async () => {
  const { dir, outDir } = await site();
  let count = 0;
  for (const page of await builtPages(outDir, dir)) {
    const html = await Deno.readTextFile(join(outDir, page));
    const markdown = withoutFences(await Deno.readTextFile(join(dir, sourceOf(page))));
    const directives = [
      ...markdown.matchAll(/^@run((?:[ \t]+--\S+)*)[ \t]+(\S+)(?:[ \t]+(.*))?$/gm),
    ];
    const blocks = runBlocks(html);
    assert.equal(blocks.length, directives.length, `${page}: one command per "@run" line`);
    for (const [i, [, extras, script, args = ""]] of directives.entries()) {
      const flags = [...await readRunFlags(join(dir, script)), ...extras.trim().split(/\s+/)];
      const expected = ["deno", "run", ...flags, script, args.trim()].filter(Boolean).join(" ");
      assert.equal(blocks[i].path, script, `${page}: command ${i + 1} is for ${script}`);
      assert.equal(blocks[i].text, expected, `${page}: the command shown for ${script}`);
      count++;
    }
  }
  assert.ok(count > 0, "the pages show at least one run command");
});

Deno.test("site: the API reference has a page per lib/ module, documenting every export", async () => {
  const { dir, outDir } = await site();
  const read = (page: string) => Deno.readTextFile(join(outDir, page));
  const [index, esIndex] = [await read("reference.html"), await read("es/reference.html")];
  assertIncludes(esIndex, "Referencia de la API");
  let modules = 0;
  for await (const entry of Deno.readDir(join(dir, "lib"))) {
    if (!/^[^_]+\.ts$/.test(entry.name) || entry.name.endsWith("_test.ts")) continue;
    const module = entry.name.replace(/\.ts$/, "");
    modules++;
    // The index links to the module's page, whose title is the module's file.
    assertIncludes(index, `href="/reference/${module}.html"`, `the index lists lib/${entry.name}`);
    assertIncludes(esIndex, `href="/es/reference/${module}.html"`, `es index: lib/${entry.name}`);
    const [page, es] = [
      await read(`reference/${module}.html`),
      await read(`es/reference/${module}.html`),
    ];
    const moduleId = `module-${module}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    assertIncludes(page, `id="${moduleId}"`, `reference/${module}.html is lib/${entry.name}'s`);
    assertIncludes(es, `id="${moduleId}"`, `es/reference/${module}.html is lib/${entry.name}'s`);
    const source = await Deno.readTextFile(join(dir, "lib", entry.name));
    for (
      const [, name] of source.matchAll(
        /^export (?:async )?(?:function\*?|class|interface|type|const|enum) (\w+)/gm,
      )
    ) {
      const id = `${module}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      assertIncludes(page, `id="${id}"`, `lib/${entry.name}: ${name} is documented`);
      assertIncludes(es, `id="${id}"`, `lib/${entry.name}: ${name} is on the Spanish page`);
    }
  }
  assert.ok(modules > 0, "lib/ has modules");
});

Deno.test("site: every link to a place on a page finds it (no stale #anchors)", async () => {
  const { dir, outDir } = await site();
  const ids = new Map<string, Set<string>>(); // page → the ids it has
  const idsOf = async (page: string) => {
    if (!ids.has(page)) {
      const html = await Deno.readTextFile(join(outDir, page)).catch(() => "");
      ids.set(page, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id)));
    }
    return ids.get(page)!;
  };
  const broken: string[] = [];
  let count = 0;
  for (const page of await builtPages(outDir, dir)) {
    const html = await Deno.readTextFile(join(outDir, page));
    for (const [, href] of html.matchAll(/<a [^>]*href="([^"]*#[^"]+)"/g)) {
      const url = new URL(htmlText(href), `http://site/${page}`);
      if (url.host !== "site") continue;
      const target = url.pathname.slice(1).replace(/(^|\/)$/, "$1index.html");
      const id = decodeURIComponent(url.hash.slice(1));
      count++;
      if (!(await idsOf(target)).has(id)) broken.push(`${page}: ${href}`);
    }
  }
  assert.deepEqual(broken, [], "links whose #anchor is not on the page they open");
  assert.ok(count > 0, "the pages link to places on pages");
});

Deno.test("site: the home page and each lab overview say how to get the course and how to work", async () => {
  const { outDir } = await site();
  for (const page of ["index.html", "lab1.html", "lab2.html", "lab3.html"]) {
    for (const built of [page, `es/${page}`]) {
      const html = await Deno.readTextFile(join(outDir, built));
      const text = htmlText(html.slice(html.indexOf('id="VPContent"'))); // the page, not the nav
      for (
        const part of [
          "git clone",
          "deno task start",
          "mywork/",
          "deno task watch",
          "deno task progress",
        ]
      ) {
        assertIncludes(text, part, `${built} mentions ${part}`);
      }
    }
  }
});

/** The links of a sidebar, in order, with their text: `["/lab1/task-1-1", "1.1 TCP echo…"]`. */
function sidebarLinks(items: DefaultTheme.SidebarItem[]): [string, string][] {
  return items.flatMap((item) => [
    ...(item.link ? [[item.link, item.text ?? ""] as [string, string]] : []),
    ...sidebarLinks(item.items ?? []),
  ]);
}

/** A sidebar link → its built page (`/es/lab1/task-1-1` → `es/lab1/task-1-1.html`). */
function pageOfLink(link: string): string {
  return link.endsWith("/") ? `${link.slice(1)}index.html` : `${link.slice(1)}.html`;
}

/** The ids of a built page's content (`<main>`), where the outline and the task boxes are. */
function contentIds(html: string): Set<string> {
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
  return new Set([...main.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id));
}

Deno.test("site: every page is in its language's sidebar, tasks by number, each with its box, run lines and check", async () => {
  const { dir, outDir } = await site();
  const pages = await builtPages(outDir, dir);
  for (const [lang, theme] of [["en", themeEn], ["es", themeEs]] as const) {
    const links = sidebarLinks(theme.sidebar as DefaultTheme.SidebarItem[]);
    const listed = links.map(([link]) => pageOfLink(link));
    for (const page of listed) assert.ok(pages.includes(page), `${lang} sidebar: ${page} exists`);
    const own = pages.filter((page) =>
      (lang === "es") === page.startsWith("es/") && !/(^|\/)reference\//.test(page)
    );
    assert.deepEqual(
      own.filter((page) => !listed.includes(page)),
      [],
      `${lang}: pages not in the sidebar`,
    );

    // Task pages: the sidebar's text starts with the codes `deno task grade --task` takes,
    // in order within each lab; the page has a task box, a run line and its grading command.
    const numbers: string[] = [];
    for (const [link, text] of links) {
      const codes = /^((?:[1-9]\.\d|[DOX]\d)(?:, (?:[1-9]\.\d|[DOX]\d))*) /.exec(text)?.[1];
      if (!codes) continue;
      const page = pageOfLink(link);
      const html = await Deno.readTextFile(join(outDir, page));
      assert.match(html, /<section class="task-box task-/, `${page}: a task box`);
      assert.ok(runBlocks(html).length > 0, `${page}: at least one run command`);
      for (const code of codes.split(", ")) {
        // Inline code holds no tags: the whole command is in one stretch of the HTML.
        const command = new RegExp(
          `deno task grade [^<]*--task ${code.replace(".", "\\.")}(?![\\w.])`,
        );
        assert.match(html, command, `${page}: its check, deno task grade … --task ${code}`);
        numbers.push(code);
      }
      if (/^\d/.test(codes)) {
        const title = htmlText(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)![1]).replace(/\u200b/g, "")
          .trim();
        assert.match(
          title,
          new RegExp(`^(Task|Tarea) ${codes.replace(".", "\\.")} — `),
          `${page}: title`,
        );
      }
    }
    const tasks = numbers.filter((code) => /^\d/.test(code));
    assert.deepEqual(tasks, [...tasks].sort(), `${lang}: tasks in the sidebar in order`);
    assert.ok(
      tasks.length >= 17,
      `${lang}: the sidebar lists every numbered task (${tasks.length})`,
    );
  }
});

Deno.test("site: every anchor of the old one-page labs is forwarded to a place that exists", async () => {
  const { outDir } = await site();
  let count = 0;
  for (const [from, moved] of Object.entries(movedAnchors)) {
    const left = contentIds(await Deno.readTextFile(join(outDir, `${from}.html`)));
    for (const [anchor, target] of Object.entries(moved)) {
      assert.ok(!left.has(anchor), `${from}#${anchor} is listed as moved but is still on ${from}`);
      const [page, id] = target.split("#");
      const ids = contentIds(await Deno.readTextFile(join(outDir, page)).catch(() => ""));
      assert.ok(ids.size > 0, `${from}#${anchor} → ${page}: that page exists`);
      if (id) assert.ok(ids.has(id), `${from}#${anchor} → ${target}: the anchor is there`);
      count++;
    }
  }
  assert.ok(count > 100, `the old labs' anchors are all listed (${count})`);
});

Deno.test("site: every container renders as its box, and no page shows raw ':::'", async () => {
  const { dir, outDir } = await site();
  const kinds = ["tip", "info", "warning", "danger", "details", "task"];
  let count = 0;
  for (const page of await builtPages(outDir, dir)) {
    const html = await Deno.readTextFile(join(outDir, page));
    const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
    const text = htmlText(
      main.replace(/<pre[\s\S]*?<\/pre>/g, "").replace(/<code>[\s\S]*?<\/code>/g, ""),
    );
    assert.ok(
      !text.includes(":::"),
      `${page} shows raw container syntax: …${
        text.slice(text.indexOf(":::") - 80, text.indexOf(":::") + 20)
      }…`,
    );
    const markdown = withoutFences(await Deno.readTextFile(join(dir, sourceOf(page))));
    for (const kind of kinds) {
      const written = (markdown.match(new RegExp(`^::: ${kind}(\\s|$)`, "gm")) ?? []).length;
      const rendered = kind === "task"
        ? (main.match(/<section class="task-box /g) ?? []).length
        : kind === "details"
        ? (main.match(/<details class="details custom-block"/g) ?? []).length
        : (main.match(new RegExp(`<div class="${kind} custom-block">`, "g")) ?? []).length;
      assert.equal(
        rendered,
        written,
        `${page}: ${written} "::: ${kind}" written, ${rendered} boxes shown`,
      );
      count += written;
    }
  }
  assert.ok(count > 30, `the pages have containers (${count})`);
});

Deno.test("site: every highlighted code token is readable: WCAG AA contrast in light and dark mode", async () => {
  // The code background in each mode (VitePress's --vp-code-block-bg, i.e. --vp-c-bg-alt). The
  // browser test runs axe-core over highlighted code on some pages, and over the rest of every page.
  const background = { light: "#f6f6f7", dark: "#161618" };
  const { dir, outDir } = await site();
  const faint = new Set<string>();
  let count = 0;
  for (const page of await builtPages(outDir, dir)) {
    const html = await Deno.readTextFile(join(outDir, page));
    for (const [, mode, colour] of html.matchAll(/--shiki-(light|dark):([^;"]*)/g)) {
      assert.match(colour, /^#[0-9a-fA-F]{6}$/, `${page}: a token colour this test can read`);
      const ratio = contrastRatio(colour, background[mode as "light" | "dark"]);
      if (ratio < 4.5) faint.add(`${page}: ${mode} ${colour} (${ratio.toFixed(2)}:1)`);
      count++;
    }
  }
  assert.deepEqual([...faint], [], "token colours below 4.5:1 on the code background");
  assert.ok(count > 1000, `the pages have highlighted code (${count} tokens)`);
});

Deno.test("site: a broken page fails the build, naming page and path", async () => {
  // One case end to end; markdown_test.ts has each kind (missing file, region, script).
  const { dir } = await site();
  const page = join(dir, "site/broken-reference.md");
  try {
    await Deno.writeTextFile(
      page,
      "# Broken\n\n<<< @/../labs/lab1/tcp_echo_server.ts#no-such-region\n",
    );
    const result = await buildSite(dir, join(dir, "broken-dist"));
    assert.ok(!result.success, "the build must fail");
    assertIncludes(result.output, "site/broken-reference.md");
    assertIncludes(result.output, '"#no-such-region" not found in labs/lab1/tcp_echo_server.ts');
  } finally {
    await Deno.remove(page).catch(() => {});
  }
});

if (chromiumPath === undefined) {
  console.log(
    "SKIPPED: the browser test of the site needs chromium at /usr/bin/chromium " +
      "(apt-get install chromium; .ci/run installs it). It is reported as ignored.",
  );
}

Deno.test({
  name: "site: in chromium, every page in both languages (search, language switch, dark mode)",
  ignore: chromiumPath === undefined,
  async fn() {
    const { dir, outDir } = await site();
    const screenshots = join(repoRoot, "test-output/screenshots");
    // Its own process: playwright-core needs permissions this test task does not grant.
    const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(repoRoot, "site/tests/browser.ts"),
        ...["--out", outDir, "--repo", dir, "--screenshots", screenshots],
      ],
      cwd: repoRoot,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    console.log(output.trimEnd());
    assert.ok(success, "every browser step passed (see the ✘ lines above)");
  },
});

Deno.test("site: the temp copy is removed", async () => {
  if (!built) return;
  const { dir } = await built;
  await Deno.remove(dir, { recursive: true });
  assert.match(dir, /site-test-/);
});
