// The real-browser half of the site tests: Debian's chromium driven by playwright-core, over
// the built site served on 127.0.0.1 by the same static server `deno task serve` uses.
//
// site_test.ts runs this file as its own process (deno run -A site/tests/browser.ts --out DIR
// --repo DIR --screenshots DIR): playwright-core reads files under /proc that Deno only opens
// with every permission, which the test task does not grant. Exits 1 if any step fails.
//
// The steps run at once; pages are visited by several browser tabs at once (--tabs, default 3),
// each page in light mode with every check (axe-core's WCAG 2 A/AA rules among them), then in
// dark mode for axe-core's contrast rule (only colours change: the page is the same).
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { toBinary } from "../../lib/bits.ts";
import { pack, Struct, type StructValue } from "../../lib/struct.ts";
import { type Lang, markdownLabels, widgetLabels } from "../.vitepress/i18n.ts";
import { movedAnchors } from "../.vitepress/moved-anchors.ts";
import { serveStatic } from "../.vitepress/static-server.ts";
import { builtPages, chromiumPath, contrastRatio, expectedListing } from "./helpers.ts";

/**
 * What local search must find, per language: a Lab 1 term (its page among the results), and a
 * task by its number or title (its page first).
 */
const SEARCHES = [
  { home: "index.html", term: "handshake", page: "lab1.html", first: false },
  { home: "es/index.html", term: "tres vías", page: "es/lab1.html", first: false },
  { home: "index.html", term: "1.4", page: "lab1/task-1-4.html", first: true },
  { home: "es/index.html", term: "Tarea 1.4", page: "es/lab1/task-1-4.html", first: true },
  { home: "index.html", term: "Binary data with struct", page: "lab1/task-1-4.html", first: true },
  { home: "es/index.html", term: "2.3", page: "es/lab2/task-2-3.html", first: true },
];

/** The page the screenshots of a task page show, at a laptop's and a phone's width. */
const TASK_PAGE = "lab1/task-1-1.html";
/** A task page with sections, so with an "On this page" outline (a page without has none). */
const OUTLINE_PAGE = "lab1/task-1-4.html";
const VIEWPORTS = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

/** axe-core's rules for WCAG 2.0 and 2.1, levels A and AA. */
const AXE_RULES = { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] };
/** Pages on which axe also checks highlighted code (a lot of it, in both languages). */
const CODE_PAGES = ["lab1/task-1-1.html", "es/lab2/task-2-3.html", "reference/struct.html"];
const AXE_SOURCE = await Deno.readTextFile(new URL(import.meta.resolve("axe-core/axe.min.js")));

interface BrowserTestOptions {
  outDir: string;
  /** The repository copy the site was built from (to compare listings with scripts). */
  repoDir: string;
  /** Built pages relative to `outDir`, e.g. `lab1.html`, `es/lab1.html`. */
  pages: string[];
  screenshots: string;
  /** How many pages are visited at once. */
  tabs: number;
}

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function isDark(page: Page): Promise<boolean> {
  return ((await page.getAttribute("html", "class")) ?? "").split(/\s+/).includes("dark");
}

async function openSearch(page: Page, term: string) {
  await page.locator(".VPNavBarSearch button").first().click();
  const input = page.locator(".VPLocalSearchBox input");
  await input.waitFor();
  await input.fill(term);
  await page.locator(".VPLocalSearchBox .results a.result").first().waitFor();
}

/** The Lab 3 pages that show the bit explorer and the struct playground (the Spanish under es/). */
const WIDGET_PAGES = {
  "bit-explorer": "lab3/task-3-3.html",
  "struct-playground": "lab3/task-3-2.html",
};

/** Formats and values typed into the struct playground, and the same values for `pack`. */
const STRUCT_CASES: { format: string; typed: string; values: StructValue[] }[] = [
  { format: "!BxHi", typed: "7, 1024, -2", values: [7, 1024, -2] },
  { format: "@bhq", typed: "-1\n300\n5", values: [-1, 300, 5n] },
  { format: "<?2se", typed: "true, hi, 1.5", values: [true, new TextEncoder().encode("hi"), 1.5] },
];

/** Retries `check` until it passes (Vue updates the page after each event) or 5 s pass. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The message `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

/** What the bit explorer must show for an unsigned pattern, worked out without lib/bits.ts. */
function expectedViews(bits: number, width: number): Record<string, string> {
  return {
    unsigned: String(bits),
    signed: String(bits >= 2 ** (width - 1) ? bits - 2 ** width : bits),
    hex: `0x${bits.toString(16).padStart(width / 4, "0")}`,
    binary: bits.toString(2).padStart(width, "0"),
  };
}

function isSet(bits: number, position: number): boolean {
  return Math.floor(bits / 2 ** position) % 2 === 1;
}

function flipped(bits: number, position: number): number {
  return isSet(bits, position) ? bits - 2 ** position : bits + 2 ** position;
}

async function checkBitExplorer(page: Page, lang: Lang): Promise<void> {
  const labels = widgetLabels[lang].bitExplorer;
  const explorer = page.locator(".bit-explorer").first();
  assert.equal((await explorer.locator(".widget-title").textContent())?.trim(), labels.title);
  await explorer.locator("button.bit:not([disabled])").first().waitFor(); // the script took over
  const box = (view: keyof typeof labels.views) =>
    explorer.getByLabel(labels.views[view], { exact: true });
  const bit = (position: number) => explorer.locator(`button.bit[data-bit="${position}"]`);
  /** Checks the boxes (but those in `typing`, which keep a wrong text) and the bit buttons. */
  const expectShown = (bits: number, width: number, what: string, typing: string[] = []) =>
    eventually(async () => {
      const shown: Record<string, string> = {};
      const expected = expectedViews(bits, width);
      for (const view of ["unsigned", "signed", "hex", "binary"] as const) {
        if (typing.includes(view)) delete expected[view];
        else shown[view] = await box(view).inputValue();
      }
      assert.deepEqual(shown, expected, what);
      const pressed = await explorer.locator("button.bit").evaluateAll((buttons) =>
        buttons.map((b) => [Number(b.dataset.bit), b.getAttribute("aria-pressed") === "true"])
      );
      assert.equal(pressed.length, width, `${what}: one button per bit`);
      for (const [position, on] of pressed) {
        assert.equal(on, isSet(bits, position as number), `${what}: bit ${position}`);
      }
    });

  await explorer.getByLabel(labels.bits(16), { exact: true }).check();
  let bits = Number(await box("unsigned").inputValue());
  await expectShown(bits, 16, "16 bits");
  for (const position of [15, 0, 9]) {
    await bit(position).click();
    bits = flipped(bits, position);
    await expectShown(bits, 16, `after clicking bit ${position}`);
  }
  // Keyboard: the arrow keys move between bits, Space and Enter flip the focused one.
  await bit(9).focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Space");
  bits = flipped(bits, 10);
  await expectShown(bits, 16, "after ArrowLeft and Space");
  assert.equal(await page.evaluate(`document.activeElement.getAttribute("data-bit")`), "10");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  bits = flipped(bits, 0);
  await expectShown(bits, 16, "after End and Enter");

  // Typing a value in any notation.
  for (
    const [view, text, value] of [
      ["signed", "-2", 0xfffe],
      ["hex", "0x8001", 0x8001],
      ["binary", "0b0000_0000_0101_0011", 0x53],
      ["unsigned", "40000", 40000],
    ] as const
  ) {
    await box(view).fill(text);
    await box(view).blur(); // the box shows what was typed until it is left
    bits = value;
    await expectShown(bits, 16, `after typing ${text} as ${view}`);
  }
  // A wrong notation is explained in the page's language; a number too wide gets lib/bits.ts's
  // own message.
  const errorOf = async (view: keyof typeof labels.views) => {
    const id = await box(view).getAttribute("aria-describedby");
    assert.ok(id, `${view}: the box points at its error`);
    assert.equal(await box(view).getAttribute("aria-invalid"), "true");
    return (await page.locator(`[id="${id}"]`).textContent())?.trim();
  };
  await box("binary").fill("102");
  await eventually(async () => assert.equal(await errorOf("binary"), labels.notation.binary));
  await box("unsigned").fill("70000");
  const tooWide = messageOf(() => toBinary(70000, 16));
  await eventually(async () => assert.equal(await errorOf("unsigned"), tooWide));
  await expectShown(bits, 16, "a wrong value changes nothing", ["binary", "unsigned"]);

  // 32 bits: the top bit alone is the most negative number.
  await explorer.getByLabel(labels.bits(32), { exact: true }).check();
  await box("unsigned").fill("0");
  await bit(31).click();
  await expectShown(2 ** 31, 32, "32 bits, top bit set");
  await explorer.getByLabel(labels.bits(8), { exact: true }).check();
  await expectShown(0, 8, "back to 8 bits keeps the low 8");
  await box("signed").fill("-45");
  await box("signed").blur();
  await expectShown(0b11010011, 8, "-45 in 8 bits");
}

interface Cell {
  text: string;
  field: string;
  background: string;
  image: string;
  border: string;
  color: string;
}

/** The byte cells and legend entries the playground shows, with their computed colours. */
function readPlayground(playground: Locator): Promise<[Cell[], Cell[]]> {
  const read = (selector: string) =>
    playground.locator(selector).evaluateAll((elements) =>
      elements.map((element) => {
        const paint = element.matches(".swatch, .byte")
          ? element
          : element.querySelector(".swatch")!;
        const css = element.ownerDocument.defaultView!.getComputedStyle(paint);
        return {
          text: element.textContent?.trim() ?? "",
          field: element.getAttribute("data-field") ?? "",
          background: css.backgroundColor,
          image: css.backgroundImage,
          border: css.borderTopStyle,
          color: css.color,
        };
      })
    );
  return Promise.all([read(".dump .byte"), read(".legend li")]);
}

async function checkStructPlayground(page: Page, lang: Lang): Promise<void> {
  const labels = widgetLabels[lang].structPlayground;
  const playground = page.locator(".struct-playground").first();
  assert.equal((await playground.locator(".widget-title").textContent())?.trim(), labels.title);
  const format = playground.getByLabel(labels.format, { exact: true });
  const values = playground.getByLabel(labels.values, { exact: true });
  await playground.locator("textarea:not([disabled])").waitFor(); // the script took over

  for (const { format: text, typed, values: expectedValues } of STRUCT_CASES) {
    await format.fill(text);
    await values.fill(typed);
    const bytes = pack(text, ...expectedValues);
    const { fields } = new Struct(text);
    await eventually(async () => {
      const [cells, legend] = await readPlayground(playground);
      assert.deepEqual(
        cells.map((cell) => cell.text),
        [...bytes].map((byte) => byte.toString(16).padStart(2, "0")),
        `${text}: the bytes pack gives`,
      );
      const swatch = new Map(legend.map((entry) => [entry.field, entry]));
      for (const [offset, cell] of cells.entries()) {
        const owner = fields.findIndex((f) => offset >= f.offset && offset < f.offset + f.size);
        if (owner === -1) {
          assert.equal(cell.field, "pad", `${text}: byte ${offset} is padding`);
          assert.equal(cell.border, "dashed", `${text}: padding byte ${offset} is dashed`);
          assert.notEqual(cell.image, "none", `${text}: padding byte ${offset} is hatched`);
          assert.equal(swatch.get("pad")?.image, cell.image, `${text}: padding in the legend`);
        } else {
          assert.equal(cell.field, String(owner), `${text}: byte ${offset} is field ${owner}`);
          assert.equal(cell.image, "none");
          assert.equal(cell.background, swatch.get(String(owner))?.background, `${text}: colour`);
          assert.ok(
            contrastRatio(cell.color, cell.background) >= 4.5,
            `${text}: byte text readable`,
          );
        }
      }
      const colours = fields.map((_, i) => swatch.get(String(i))?.background);
      for (let i = 1; i < colours.length; i++) {
        assert.notEqual(colours[i], colours[i - 1], `${text}: fields ${i - 1} and ${i} differ`);
      }
      assert.ok(colours.every((c) => c && c !== "rgba(0, 0, 0, 0)"), `${text}: fields coloured`);
      assert.equal(swatch.has("pad"), fields.reduce((n, f) => n + f.size, 0) < bytes.length);
    });
  }

  // Mistakes: the error the library throws, word for word.
  for (
    const [text, typed, message] of [
      ["!Bz", "1", messageOf(() => new Struct("!Bz"))],
      ["!h", "40000", messageOf(() => pack("!h", 40000))],
    ]
  ) {
    await format.fill(text);
    await values.fill(typed);
    await eventually(async () => {
      assert.equal((await playground.locator(".error-name").textContent())?.trim(), "StructError");
      assert.equal((await playground.locator(".error-message").textContent())?.trim(), message);
      assert.equal(await playground.locator(".dump").count(), 0, "no bytes beside an error");
    });
  }
  await format.fill(STRUCT_CASES[0].format);
  await values.fill(STRUCT_CASES[0].typed);
}

/** Runs `fn` as a named step: prints ✔ or ✘, its time and the error, and records a failure. */
let failures = 0;
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  const started = performance.now();
  const seconds = () => `(${((performance.now() - started) / 1000).toFixed(1)} s)`;
  try {
    await fn();
    console.log(`✔ ${name} ${seconds()}`);
  } catch (error) {
    failures++;
    console.log(`✘ ${name} ${seconds()}\n${error instanceof Error ? error.message : error}`);
  }
}

/** Runs `job` on every item, `n` at a time; fails naming every item's error. */
async function atOnce<T>(items: T[], n: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const errors: string[] = [];
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await job(item).catch((error) => errors.push(String(error?.message ?? error)));
    }
  }));
  assert.deepEqual(errors, [], "every item passed");
}

/** Runs `job` on every item, `tabs` at a time, each in a tab that it reuses after another item. */
async function inTabs<T>(
  items: T[],
  tabs: number,
  newPage: () => Promise<Page>,
  job: (item: T, page: Page) => Promise<void>,
): Promise<void> {
  const free: Page[] = [];
  try {
    await atOnce(items, tabs, async (item) => {
      const page = free.pop() ?? await newPage();
      try {
        await job(item, page);
      } finally {
        free.push(page);
      }
    });
  } finally {
    await Promise.all(free.map((page) => page.close()));
  }
}

/** The app has hydrated: VitePress names the appearance switch once it runs. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('.VPSwitchAppearance[title]:not([title=""])', { state: "attached" });
}

interface AxeNode {
  target: string[];
  any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[];
}

/**
 * axe-core's violations on the page, one line per rule with an example. `rules: "contrast"` runs
 * only the colour-contrast rule (what dark mode changes); `code: false` leaves out highlighted
 * code, whose thousands of tokens make axe several times slower: site_test.ts checks every
 * token's colour, and axe checks them on the CODE_PAGES.
 */
async function axeViolations(
  page: Page,
  { rules, code }: { rules: "wcag2" | "contrast"; code: boolean },
): Promise<{ count: number; lines: string[] }> {
  if (!(await page.evaluate("typeof axe === 'object'"))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const context = code ? "document" : `{ exclude: [[".vp-doc div[class*='language-'] pre"]] }`;
  const runOnly = rules === "contrast" ? `["color-contrast"]` : JSON.stringify(AXE_RULES);
  const violations: { id: string; help: string; nodes: AxeNode[] }[] = await page.evaluate(
    `axe.run(${context}, { runOnly: ${runOnly}, resultTypes: ["violations"] })
       .then((result) => result.violations)`,
  );
  const lines = violations.map(({ id, help, nodes }) => {
    const { fgColor, bgColor, contrastRatio } = nodes[0].any[0]?.data ?? {};
    const colours = fgColor ? ` (${fgColor} on ${bgColor}, ${contrastRatio}:1)` : "";
    return `${id}: ${nodes.length} × ${help}, e.g. ${nodes[0].target.join(" ")}${colours}`;
  });
  return { count: violations.reduce((sum, v) => sum + v.nodes.length, 0), lines };
}

/** Opens `path` in local search's results for `term`, from `home`; returns the results' hrefs. */
async function searchResults(page: Page, origin: string, home: string, term: string) {
  await page.goto(`${origin}/${home}`, { waitUntil: "load" });
  await hydrated(page);
  await openSearch(page, term);
  const results = page.locator(".VPLocalSearchBox .results a.result");
  return {
    results,
    hrefs: await results.evaluateAll((links) =>
      links.map((link) => link.getAttribute("href") ?? "")
    ),
  };
}

async function browserTest(options: BrowserTestOptions) {
  const server = serveStatic({ root: options.outDir, port: 0 });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const problems: string[] = [];
  const contexts = new Map<string, Promise<BrowserContext>>();
  /**
   * A tab that records console errors, page errors and failed requests in `problems` (and in
   * `record`, the step's own list).
   */
  const newPage = async (
    mode: "light" | "dark" = "light",
    viewport = VIEWPORTS.laptop,
    own = false,
    record: string[] = problems,
  ) => {
    // Tabs share a context (cache, storage) unless a step changes what the context keeps.
    const key = own ? `own ${contexts.size}` : `${mode} ${viewport.width}`;
    if (!contexts.has(key)) contexts.set(key, browser.newContext({ colorScheme: mode, viewport }));
    const page = await (await contexts.get(key)!).newPage();
    const problem = (text: string) => {
      problems.push(text);
      if (record !== problems) record.push(text);
    };
    page.on("console", (message) => {
      if (message.type() === "error") problem(`${page.url()}: console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problem(`${page.url()}: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problem(`${response.status()} ${response.url()}`);
    });
    return page;
  };
  // Only this run's screenshots: none left from an older run under a name no longer made.
  await Deno.remove(options.screenshots, { recursive: true }).catch(() => {});
  await Deno.mkdir(options.screenshots, { recursive: true });
  const shot = (page: Page | Locator, name: string) =>
    page.screenshot({ path: join(options.screenshots, `${name}.png`) });

  try {
    // The checks are independent of each other: all at once, each with its own tabs, so that
    // the steps that mostly wait (on the page's reaction to a click or a key) overlap with those
    // that keep the processor busy (axe-core on every page).
    await Promise.all([
      step(
        "every page in both languages loads without errors, shows its scripts, keeps long " +
          "headings whole in its outline, and passes axe-core's WCAG 2 A/AA rules in light and dark mode",
        async () => {
          const js: string[] = [];
          const axe: string[] = [];
          const own: string[] = [];
          let violations = 0;
          const tab = () => newPage("light", VIEWPORTS.laptop, false, own);
          await inTabs(options.pages, options.tabs, tab, async (path, page) => {
            await page.emulateMedia({ colorScheme: "light" });
            await page.goto(`${origin}/${path}`, { waitUntil: "load" });
            await hydrated(page);
            assert.equal(await isDark(page), false, `${path}: light mode`);
            await checkPage(page, path, options);
            const code = CODE_PAGES.includes(path);
            const light = await axeViolations(page, { rules: "wcag2", code });
            // The reader's system turns dark: the theme follows, and only colours change, so the
            // contrast rule is enough there.
            await page.emulateMedia({ colorScheme: "dark" });
            // Waited for in the page (on each frame), not asked for from here every 50 ms.
            await page.waitForFunction(
              `document.documentElement.classList.contains("dark")`,
              null,
              { timeout: 5000 },
            ).catch(() => {
              throw new Error(`${path}: dark mode`);
            });
            const dark = await axeViolations(page, { rules: "contrast", code });
            for (const [mode, result] of [["light", light], ["dark", dark]] as const) {
              violations += result.count;
              axe.push(`  ${path.padEnd(40)} ${mode.padEnd(5)} ${result.count}`);
              for (const line of result.lines) {
                axe.push(`  ${path.padEnd(40)} ${mode.padEnd(5)}   ${line}`);
              }
            }
            js.push(await javascriptOf(page, path, options.outDir));
          });
          console.log(`JavaScript per page (as loaded by chromium):\n${js.sort().join("\n")}`);
          console.log(
            `axe-core violations per page (WCAG 2 A/AA rules; dark mode: contrast; highlighted ` +
              `code on ${CODE_PAGES.join(", ")}):\n${axe.sort().join("\n")}`,
          );
          assert.equal(violations, 0, "no page violates a WCAG 2 A/AA rule (see above)");
          assert.deepEqual(own, [], "no console errors, page errors or failed requests");
        },
      ),
      step(
        "local search finds Lab 1 terms, and tasks by number and title, in both languages",
        async () => {
          await inTabs(
            SEARCHES,
            options.tabs,
            () => newPage(),
            async ({ home, term, page: target, first }, page) => {
              // The search box keeps the tab's last query (session storage): start afresh.
              await page.evaluate("sessionStorage.clear()").catch(() => {});
              const { results, hrefs } = await searchResults(page, origin, home, term);
              const index = hrefs.findIndex((href) => href.startsWith(`/${target}`));
              assert.ok(
                first ? index === 0 : index !== -1,
                `"${term}": ${first ? "the first result" : "a result"} on ${target}; got ${
                  JSON.stringify(hrefs.slice(0, 5))
                }`,
              );
              // Choosing the result opens its page.
              await results.nth(index).click();
              await page.waitForURL(new RegExp(`/${target.replaceAll(".", "\\.")}`));
              await page.locator(".VPDoc h1").first().waitFor();
            },
          );
        },
      ),

      step(
        "anchors of the old one-page labs open their new pages (/lab1.html#task-1-4 …)",
        async () => {
          // From each old page: a task box, a heading and a section that became a page of its own
          // (site_test.ts checks that every listed anchor's target exists).
          const cases = new Map<string, [string, string, string]>();
          for (const [from, moved] of Object.entries(movedAnchors)) {
            for (const [anchor, target] of Object.entries(moved)) {
              const kind = /^(task|deliverable|optional)-\d/.test(anchor)
                ? "box"
                : target.includes("#")
                ? "heading"
                : "page";
              if (!cases.has(`${from} ${kind}`)) {
                cases.set(`${from} ${kind}`, [from, anchor, target]);
              }
            }
          }
          await inTabs(
            [...cases.values()],
            options.tabs,
            () => newPage(),
            async ([from, anchor, target], page) => {
              await page.goto(`${origin}/${from}.html#${encodeURIComponent(anchor)}`, {
                waitUntil: "load",
              });
              const expected = `${origin}/${target.split("#")[0]}`;
              await page.waitForURL((url) => url.href.startsWith(expected), { timeout: 10_000 });
              const [, id] = target.split("#");
              if (id) {
                assert.equal(
                  decodeURIComponent(new URL(page.url()).hash.slice(1)),
                  id,
                  `${from}#${anchor}`,
                );
                // Shown (Playwright's own wait, up to its 30 s: the new page renders, then scrolls).
                await page.locator(`[id="${id}"]`).waitFor({ state: "visible" }).catch(() => {
                  throw new Error(`${from}#${anchor}: ${id} is not shown`);
                });
              }
            },
          );
          // The old address is replaced, not kept in the history; a changed #anchor is followed too.
          const page = await newPage();
          await page.goto(`${origin}/lab2.html`, { waitUntil: "load" });
          await hydrated(page);
          await page.evaluate(`location.hash = "#task-2-5"`);
          await page.waitForURL(`${origin}/lab2/task-2-5.html#task-2-5`);
          await page.goBack();
          await page.waitForURL(`${origin}/lab2.html`);
          await page.close();
          console.log(`  ${cases.size} old anchors followed`);
        },
      ),

      step("the sidebar lists a lab's pages, tasks by number, and opens them", async () => {
        const page = await newPage();
        await page.goto(`${origin}/lab2.html`, { waitUntil: "load" });
        await hydrated(page);
        const items = page.locator(".VPSidebar .VPSidebarItem.level-1 a.link");
        const texts = (await items.allTextContents()).map((text) => text.trim());
        const lab2 = texts.filter((text) => /^2\.\d /.test(text));
        assert.deepEqual(lab2.map((text) => text.slice(0, 3)), ["2.1", "2.2", "2.3", "2.4", "2.5"]);
        await page.locator(".VPSidebar a.link", { hasText: "2.4 Byte order" }).click();
        await page.waitForURL(`${origin}/lab2/task-2-4.html`);
        await page.locator(".VPDoc h1", { hasText: "Task 2.4" }).waitFor();
        await page.close();
      }),

      step("inline commands have a copy button that works from the keyboard", async () => {
        for (const [path, lang] of [[TASK_PAGE, "en"], [`es/${TASK_PAGE}`, "es"]] as const) {
          const page = await newPage();
          await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
          await page.goto(`${origin}/${path}`, { waitUntil: "load" });
          await hydrated(page);
          const command = page.locator(".vp-doc .inline-command").filter({
            hasText: "deno task grade",
          }).first();
          const button = command.locator("button.copy-inline");
          const text = (await command.locator("code").textContent())!;
          assert.equal(
            await button.getAttribute("aria-label"),
            `${markdownLabels[lang].copyCommand}: ${text}`,
          );
          // In the tab order: Tab from the element before it lands on it.
          await button.focus();
          await page.keyboard.press("Shift+Tab");
          await page.keyboard.press("Tab");
          assert.ok(
            await button.evaluate((b) => b.matches(":focus")),
            `${path}: Tab reaches it`,
          );
          // The tick and the announcement last two seconds: a busy machine may look too late, so
          // the page records each state it shows (status text, whether the button is ticked).
          await page.evaluate(`(() => {
            const button = document.activeElement; // the copy button, focused above
            globalThis.shown = [];
            new MutationObserver(() => {
              const status = document.getElementById("copy-inline-status")?.textContent ?? "";
              const tick = button.classList.contains("copied") ? " ticked" : "";
              globalThis.shown.push(status + tick);
            }).observe(document.body, {
              subtree: true, childList: true, characterData: true, attributes: true,
            });
          })()`);
          await page.keyboard.press("Enter");
          await eventually(async () => {
            assert.equal(await page.evaluate("navigator.clipboard.readText()"), text);
            assert.ok(
              (await page.evaluate<string[]>("shown")).includes(
                `${markdownLabels[lang].copied} ticked`,
              ),
              `${path}: the button shows its tick and "${
                markdownLabels[lang].copied
              }" is announced`,
            );
          });
          await page.close();
        }
      }),

      ...(["en", "es"] as const).map((lang) =>
        step(
          `the Lab 3 widgets work (${lang}): bit explorer and struct playground`,
          async () => {
            const prefix = lang === "es" ? "es/" : "";
            for (const mode of ["light", "dark"] as const) {
              const page = await newPage(mode);
              await page.goto(`${origin}/${prefix}${WIDGET_PAGES["bit-explorer"]}`, {
                waitUntil: "load",
              });
              await hydrated(page);
              if (mode === "light") await checkBitExplorer(page, lang);
              await shot(
                page.locator(".bit-explorer").first(),
                `${prefix.replace("/", "-")}bit-explorer-${mode}`,
              );
              await page.goto(`${origin}/${prefix}${WIDGET_PAGES["struct-playground"]}`, {
                waitUntil: "load",
              });
              await hydrated(page);
              // In dark mode too, the bytes stay readable.
              await checkStructPlayground(page, lang);
              await shot(
                page.locator(".struct-playground").first(),
                `${prefix.replace("/", "-")}struct-playground-${mode}`,
              );
              await page.close();
            }
          },
        )
      ),

      step(
        "the language switch goes to the Spanish twin, and the dark-mode switch works",
        async () => {
          // A context of its own: the appearance switch stores the choice for the context.
          const page = await newPage("light", VIEWPORTS.laptop, true);
          await page.goto(`${origin}/${OUTLINE_PAGE}`, { waitUntil: "load" });
          await hydrated(page);
          await page.locator(".VPNavBarTranslations").hover();
          await page.locator(".VPNavBarTranslations a", { hasText: "Español" }).click();
          await page.waitForURL(`${origin}/es/${OUTLINE_PAGE}`);
          await page.waitForSelector('html[lang="es"]', { state: "attached" });
          assert.equal(
            (await page.locator(".VPDocAsideOutline .outline-title").textContent())?.trim(),
            "En esta página",
          );
          assert.equal(await isDark(page), false);
          await page.locator(".VPNavBarAppearance button").click();
          assert.ok(await isDark(page), "dark after the switch");
          await page.locator(".VPNavBarAppearance button").click();
          assert.equal(await isDark(page), false, "light again");
          await page.close();
        },
      ),

      step(
        "screenshots: a task page at a laptop's and a phone's width in both languages, and " +
          "Lab 1, in light and dark mode; nothing wider than the phone's screen",
        async () => {
          const shots = (["light", "dark"] as const).flatMap((mode) => [
            ...(["laptop", "phone"] as const).flatMap((size) =>
              ["", "es/"].map((prefix) => ({ mode, size, prefix }))
            ),
            { mode, size: "lab1" as const, prefix: "" },
          ]);
          // One tab per mode and width (a page's context fixes both).
          await atOnce(shots, options.tabs, async ({ mode, size, prefix }) => {
            const page = await newPage(mode, size === "phone" ? VIEWPORTS.phone : VIEWPORTS.laptop);
            try {
              const path = size === "lab1" ? "lab1.html" : `${prefix}${TASK_PAGE}`;
              await page.goto(`${origin}/${path}`, { waitUntil: "networkidle" });
              await hydrated(page);
              assert.equal(await isDark(page), mode === "dark", `${path}: ${mode} mode`);
              if (size === "lab1") {
                await shot(page, `lab1-${mode}`);
                await page.screenshot({
                  path: join(options.screenshots, `lab1-${mode}-full.png`),
                  fullPage: true,
                });
                return;
              }
              const name = `${prefix.replace("/", "-")}task-1-1-${size}-${mode}`;
              await shot(page, name);
              // The task box itself, where a student reads what to do (cut from the whole page,
              // where the sticky bars stay at the top instead of covering it).
              await page.screenshot({
                path: join(options.screenshots, `${name}-task-box.png`),
                fullPage: true,
                clip: (await page.locator(".task-box").first().boundingBox())!,
              });
              // Nothing runs off the screen but inside what scrolls (code listings, tables).
              const wide = await page.evaluate(`[...document.querySelectorAll(".vp-doc *")]
                .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
                .filter((e) => {
                  for (let up = e.parentElement; up && !up.matches(".vp-doc"); up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== "visible") return false;
                  }
                  return true;
                })
                .map((e) => e.tagName + "." + e.className).slice(0, 5)`);
              assert.deepEqual(wide, [], `${path} at the ${size}'s width: wider than the screen`);
            } finally {
              await page.close();
            }
          });
          console.log(`screenshots: ${options.screenshots}`);
        },
      ),
    ]);
    await step(
      "no console errors, page errors or failed requests in any of them",
      () => Promise.resolve(assert.deepEqual(problems, [])),
    );
  } finally {
    await browser.close();
    await server.shutdown();
  }
}

/** The checks of one page: language, interface, listings, outline. */
async function checkPage(page: Page, path: string, options: BrowserTestOptions): Promise<void> {
  const es = path.startsWith("es/");
  assert.equal(await page.getAttribute("html", "lang"), es ? "es" : "en", path);
  const search = await page.locator(".VPNavBarSearch button").first().textContent();
  assert.match(search ?? "", es ? /Buscar/ : /Search/, `${path}: search button label`);

  // Every listing at once (one round trip to the page, not four per listing); visible as
  // Playwright's isVisible() means it: a box that is not empty and not `visibility: hidden`.
  const snippets: { src: string; region: string; codes: string[]; visible: boolean }[] = await page
    .evaluate(`[...document.querySelectorAll(".snippet")].map((node) => {
      const pre = node.querySelector("pre");
      const box = pre?.getBoundingClientRect();
      return {
        src: node.getAttribute("data-src") ?? "",
        region: node.getAttribute("data-region") ?? "",
        codes: [...node.querySelectorAll("pre code")].map((code) => code.textContent),
        visible: !!pre && box.width > 0 && box.height > 0 &&
          getComputedStyle(pre).visibility !== "hidden",
      };
    })`);
  for (const { src, region, codes, visible } of snippets) {
    const source = await Deno.readTextFile(join(options.repoDir, src));
    assert.equal(codes.length, 1, `${path}: ${src} has one listing`);
    assert.equal(codes[0], expectedListing(source, region), `${path}: listing of ${src}`);
    assert.ok(visible, `${path}: ${src} is visible`);
  }

  // "On this page" shows each heading whole, however long (VitePress cuts them with "…").
  const cut = await page.locator(".VPDocAsideOutline .outline-link").evaluateAll((links) =>
    links.filter((link) => link.scrollWidth > link.clientWidth + 1).map((link) => link.textContent)
  );
  assert.deepEqual(cut, [], `${path}: outline entries cut short`);
}

/** Sizes of the built files, raw and gzipped, by URL (most pages load the same few). */
const sizeCache = new Map<string, [number, number]>();

/**
 * The JavaScript a page loaded, as one line: what it needs to run, and what VitePress prefetches
 * for the links it shows (loaded when idle, so that a click opens the page at once).
 */
async function javascriptOf(page: Page, path: string, outDir: string): Promise<string> {
  await page.waitForLoadState("networkidle");
  const { loaded, prefetched }: { loaded: string[]; prefetched: string[] } = await page.evaluate(
    `(() => {
    const prefetch = new Set([...document.querySelectorAll("link[rel=prefetch]")].map((link) => link.href));
    const js = performance.getEntriesByType("resource").map((e) => e.name).filter((name) => name.endsWith(".js"));
    return {
      loaded: js.filter((name) => !prefetch.has(name)),
      prefetched: js.filter((name) => prefetch.has(name)),
    };
  })()`,
  );
  const sizes = async (urls: string[]) => {
    let raw = 0, gzip = 0;
    for (const url of urls) {
      if (!sizeCache.has(url)) {
        const bytes = await Deno.readFile(join(outDir, new URL(url).pathname));
        sizeCache.set(url, [bytes.length, await gzipSize(bytes)]);
      }
      raw += sizeCache.get(url)![0];
      gzip += sizeCache.get(url)![1];
    }
    return `${(raw / 1024).toFixed(0)} KiB (${(gzip / 1024).toFixed(0)} KiB gzipped)`;
  };
  return `  ${path.padEnd(40)} ${loaded.length} files, ${await sizes(loaded)}; ` +
    `prefetched for its links: ${prefetched.length} files, ${await sizes(prefetched)}`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      repo: { type: "string" },
      screenshots: { type: "string" },
      tabs: { type: "string", default: "3" },
    },
  });
  if (!values.out || !values.repo || !values.screenshots || !chromiumPath) {
    console.error(
      "usage: browser.ts --out DIR --repo DIR --screenshots DIR [--tabs N] (needs chromium)",
    );
    Deno.exit(2);
  }
  await browserTest({
    outDir: values.out,
    repoDir: values.repo,
    pages: await builtPages(values.out, values.repo),
    screenshots: values.screenshots,
    tabs: Math.max(1, Number(values.tabs)),
  });
  Deno.exit(failures === 0 ? 0 : 1);
}
