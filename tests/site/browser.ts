// The real-browser half of the site tests: Debian's chromium driven by playwright-core, over
// the built site served on 127.0.0.1 by the same static server `deno task serve` uses.
//
// site_test.ts runs this file as its own process (deno run -A tests/site/browser.ts --out DIR
// --repo DIR --screenshots DIR): playwright-core reads files under /proc that Deno only opens
// with every permission, which the test task does not grant. Exits 1 if any step fails.
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import { serveStatic } from "../../site/.vitepress/static-server.ts";
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

    await step("the language switch goes to the Spanish twin", async () => {
      await page.goto(`${origin}/lab1.html`, { waitUntil: "networkidle" });
      await page.locator(".VPNavBarTranslations").hover();
      await page.locator(".VPNavBarTranslations a", { hasText: "Español" }).click();
      await page.waitForURL(`${origin}/es/lab1.html`);
      assert.equal(await page.getAttribute("html", "lang"), "es");
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
