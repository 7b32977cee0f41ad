// The real-browser half of the site tests: Debian's chromium driven by playwright-core, over
// the built site served on 127.0.0.1 by the same static server `deno task serve` uses.
//
// site_test.ts runs this file as its own process (deno run -A tests/site/browser.ts --out DIR
// --repo DIR --screenshots DIR): playwright-core reads files under /proc that Deno only opens
// with every permission, which the test task does not grant. Exits 1 if any step fails.
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Locator, type Page } from "playwright-core";
import { toBinary } from "../../lib/bits.ts";
import { pack, Struct, type StructValue } from "../../lib/struct.ts";
import { type Lang, widgetLabels } from "../.vitepress/i18n.ts";
import { serveStatic } from "../.vitepress/static-server.ts";
import { builtPages, chromiumPath, expectedListing } from "./helpers.ts";

/** A Lab 1 term the local search must find, and the page it must open, per language. */
const SEARCH = {
  en: { term: "handshake", page: "lab1.html", home: "index.html" },
  es: { term: "tres vías", page: "es/lab1.html", home: "es/index.html" },
};

interface BrowserTestOptions {
  outDir: string;
  /** The repository copy the site was built from (to compare listings with scripts). */
  repoDir: string;
  /** Built pages relative to `outDir`, e.g. `lab1.html`, `es/lab1.html`. */
  pages: string[];
  screenshots: string;
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

/** The Lab 3 page, which shows the bit explorer and the struct playground, per language. */
/** The pages of the Lab 3 widgets (the Spanish ones under es/). */
const WIDGET_PAGES = {
  "bit-explorer": "lab3/task-3-3.html",
  "struct-playground": "lab3/task-3-2.html",
} as const;

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

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(foreground: string, background: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = colour.match(/[\d.]+/g)!.slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
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
          assert.ok(contrast(cell.color, cell.background) >= 4.5, `${text}: byte text readable`);
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

/** Runs `fn` as a named step: prints ✔ or ✘ and the error, and records the failure. */
let failures = 0;
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await fn();
    console.log(`✔ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures++;
    console.log(`✘ ${name}\n${error instanceof Error ? error.message : error}`);
  }
}

async function browserTest(options: BrowserTestOptions) {
  const server = serveStatic({ root: options.outDir, port: 0 });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
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
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`${page.url()}: console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    await step(
      "every page loads without errors, in its language, showing the scripts",
      async () => {
        const js: string[] = [];
        for (const path of options.pages) {
          const es = path.startsWith("es/");
          await page.goto(`${origin}/${path}`, { waitUntil: "networkidle" });
          assert.equal(await page.getAttribute("html", "lang"), es ? "es" : "en", path);
          const search = await page.locator(".VPNavBarSearch button").first().textContent();
          assert.match(search ?? "", es ? /Buscar/ : /Search/, `${path}: search button label`);

          for (const snippet of await page.locator(".snippet").all()) {
            const src = (await snippet.getAttribute("data-src"))!;
            const region = (await snippet.getAttribute("data-region")) ?? "";
            const shown = await snippet.locator("pre code").textContent();
            const source = await Deno.readTextFile(join(options.repoDir, src));
            assert.equal(shown, expectedListing(source, region), `${path}: listing of ${src}`);
            assert.ok(await snippet.locator("pre").isVisible(), `${path}: ${src} is visible`);
          }

          // JavaScript this page loaded: what it needs to run, and what VitePress prefetches
          // for the links it shows (loaded when idle, so that a click opens the page at once).
          const { loaded, prefetched }: { loaded: string[]; prefetched: string[] } = await page
            .evaluate(`(() => {
            const prefetch = new Set([...document.querySelectorAll("link[rel=prefetch]")]
              .map((link) => link.href));
            const js = performance.getEntriesByType("resource").map((e) => e.name)
              .filter((name) => name.endsWith(".js"));
            return {
              loaded: js.filter((name) => !prefetch.has(name)),
              prefetched: js.filter((name) => prefetch.has(name)),
            };
          })()`);
          const sizes = async (urls: string[]) => {
            let raw = 0, gzip = 0;
            for (const url of urls) {
              const bytes = await Deno.readFile(join(options.outDir, new URL(url).pathname));
              raw += bytes.length;
              gzip += await gzipSize(bytes);
            }
            return `${(raw / 1024).toFixed(0)} KiB (${(gzip / 1024).toFixed(0)} KiB gzipped)`;
          };
          js.push(
            `  ${path.padEnd(18)} ${loaded.length} files, ${await sizes(loaded)}; ` +
              `prefetched for its links: ${prefetched.length} files, ${await sizes(prefetched)}`,
          );
        }
        console.log(`JavaScript per page (as loaded by chromium):\n${js.join("\n")}`);
        assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
      },
    );

    for (const lang of ["en", "es"] as const) {
      const { term, page: target, home } = SEARCH[lang];
      await step(`local search (${lang}) finds "${term}" and opens ${target}`, async () => {
        await page.goto(`${origin}/${home}`, { waitUntil: "networkidle" });
        await openSearch(page, term);
        // Other pages may mention the term too (the API reference can); the Lab 1 page must
        // be among the results, and choosing it must open it.
        const results = page.locator(".VPLocalSearchBox .results a.result");
        const hrefs = await results.evaluateAll((links) =>
          links.map((link) => link.getAttribute("href") ?? "")
        );
        const index = hrefs.findIndex((href) => href.startsWith(`/${target}`));
        assert.ok(index !== -1, `a result on ${target}; got ${JSON.stringify(hrefs)}`);
        await results.nth(index).click();
        await page.waitForURL(new RegExp(`/${target.replace(".", "\\.")}`));
        await page.locator(".VPDoc h1").first().waitFor();
      });
    }

    for (const lang of ["en", "es"] as const) {
      await step(
        `the Lab 3 widgets work (${lang}): bit explorer and struct playground`,
        async () => {
          const prefix = lang === "es" ? "es/" : "";
          const open = (widget: keyof typeof WIDGET_PAGES) =>
            page.goto(`${origin}/${prefix}${WIDGET_PAGES[widget]}`, { waitUntil: "networkidle" });
          await open("bit-explorer");
          await checkBitExplorer(page, lang);
          await open("struct-playground");
          await checkStructPlayground(page, lang);
          // Dark mode: the bytes stay readable; screenshots of both widgets in both modes.
          await Deno.mkdir(options.screenshots, { recursive: true });
          for (const mode of ["light", "dark"]) {
            if (mode === "dark") await page.locator(".VPNavBarAppearance button").click();
            assert.equal(await isDark(page), mode === "dark");
            await open("struct-playground"); // the mode stays: it is stored
            await checkStructPlayground(page, lang);
            for (const widget of ["struct-playground", "bit-explorer"] as const) {
              if (widget === "bit-explorer") await open(widget);
              assert.equal(await isDark(page), mode === "dark");
              await page.locator(`.${widget}`).first().screenshot({
                path: join(
                  options.screenshots,
                  `${lang === "es" ? "es-" : ""}${widget}-${mode}.png`,
                ),
              });
            }
          }
          await page.locator(".VPNavBarAppearance button").click(); // back to light
          assert.equal(await isDark(page), false);
          assert.deepEqual(problems, []);
        },
      );
    }

    await step("the language switch goes to the Spanish twin", async () => {
      await page.goto(`${origin}/lab1.html`, { waitUntil: "networkidle" });
      await page.locator(".VPNavBarTranslations").hover();
      await page.locator(".VPNavBarTranslations a", { hasText: "Español" }).click();
      await page.waitForURL(`${origin}/es/lab1.html`);
      // The URL changes before the Spanish page is rendered: a long page takes a moment more.
      await page.waitForSelector('html[lang="es"]', { state: "attached" });
      assert.equal(
        (await page.locator(".VPDocAsideOutline .outline-title").textContent())?.trim(),
        "En esta página",
      );
    });

    await step("screenshots of Lab 1 in light and dark mode", async () => {
      await Deno.mkdir(options.screenshots, { recursive: true });
      const shot = (name: string, fullPage = false) =>
        page.screenshot({ path: join(options.screenshots, `${name}.png`), fullPage });
      await page.goto(`${origin}/lab1.html`, { waitUntil: "networkidle" });
      assert.equal(
        await isDark(page),
        false,
      );
      await shot("lab1-light");
      await shot("lab1-light-full", true);
      await page.locator(".VPNavBarAppearance button").click();
      assert.ok(await isDark(page));
      await shot("lab1-dark");
      await shot("lab1-dark-full", true);
      await page.goto(`${origin}/es/lab1.html`, { waitUntil: "networkidle" });
      await shot("es-lab1-dark");
      await page.locator(".VPNavBarAppearance button").click(); // back to light
      console.log(`screenshots: ${options.screenshots}`);
      assert.deepEqual(problems, []);
    });
  } finally {
    await context.close();
    await server.shutdown();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      repo: { type: "string" },
      screenshots: { type: "string" },
    },
  });
  if (!values.out || !values.repo || !values.screenshots || !chromiumPath) {
    console.error("usage: browser.ts --out DIR --repo DIR --screenshots DIR (needs chromium)");
    Deno.exit(2);
  }
  await browserTest({
    outDir: values.out,
    repoDir: values.repo,
    pages: await builtPages(values.out, values.repo),
    screenshots: values.screenshots,
  });
  Deno.exit(failures === 0 ? 0 : 1);
}
