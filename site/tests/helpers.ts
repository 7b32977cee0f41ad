// Helpers for the site tests: a clean copy of the repository, builds in it, and reading what
// the built pages show.
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Where chromium is (the CHROMIUM variable overrides), or undefined when it is missing. */
export const chromiumPath: string | undefined = [Deno.env.get("CHROMIUM"), "/usr/bin/chromium"]
  .find((path) => path !== undefined && existsSync(path));

/** Folders never copied: installs, build output, caches. */
const SKIP = new Set([".git", "node_modules", "test-output", "dist", "cache"]);

async function listFiles(): Promise<string[]> {
  // What a clone would have: tracked files plus new ones git would not ignore.
  const git = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (git?.success) {
    return new TextDecoder().decode(git.stdout).split("\0").filter(Boolean);
  }
  const files: string[] = []; // not a git checkout: walk the tree instead
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(join(repoRoot, dir))) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  await walk("");
  return files;
}

/** Copies the repository's files (as a fresh clone would hold them) into a new temp dir. */
export async function cleanCopy(): Promise<string> {
  const target = await Deno.makeTempDir({ prefix: "site-test-" });
  for (const file of await listFiles()) {
    try {
      await Deno.mkdir(join(target, dirname(file)), { recursive: true });
      await Deno.copyFile(join(repoRoot, file), join(target, file));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // deleted, not yet committed
    }
  }
  return target;
}

export interface BuildResult {
  success: boolean;
  output: string;
  seconds: number;
}

/** Runs `deno task build` in `dir`, writing to `outDir`. */
export async function buildSite(dir: string, outDir: string): Promise<BuildResult> {
  const started = performance.now();
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build", "--out", outDir],
    cwd: join(dir, "site"),
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  return { success, output, seconds: (performance.now() - started) / 1000 };
}

/**
 * The pages built from Markdown (`lab1.html`, `es/lab1.html`, …), relative to the output folder.
 * HTML files copied from `site/public/` are static assets, not pages, and are left out.
 */
export async function builtPages(outDir: string, repoDir: string): Promise<string[]> {
  const pages: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && entry.name !== "assets") await walk(path);
      else if (entry.name.endsWith(".html")) pages.push(relative(outDir, path));
    }
  };
  await walk(outDir);
  const fromMarkdown = (page: string) =>
    existsSync(join(repoDir, "site", page.replace(/\.html$/, ".md")));
  return pages.filter(fromMarkdown).sort();
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** The text of an HTML fragment: tags removed, entities decoded. */
export function htmlText(fragment: string): string {
  return fragment.replace(/<[^>]*>/g, "").replace(
    /&(#x[0-9a-f]+|#\d+|\w+);/gi,
    (all, name: string) =>
      name[0] !== "#" ? ENTITIES[name] ?? all : String.fromCodePoint(
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
      ),
  );
}

export interface Block {
  /** `data-src` (snippet) or `data-script` (run command). */
  path: string;
  /** The region name, "" for a whole file. */
  region: string;
  /** The text shown in the code block. */
  text: string;
}

/** The snippet listings of a built page, in order. */
export function snippetBlocks(html: string): Block[] {
  return [...html.matchAll(
    /<div class="snippet" data-src="([^"]*)" data-region="([^"]*)">[\s\S]*?<code>([\s\S]*?)<\/code>/g,
  )].map(([, path, region, code]) => ({ path, region, text: htmlText(code) }));
}

/** The `@run` command blocks of a built page, in order. */
export function runBlocks(html: string): Block[] {
  return [...html.matchAll(
    /<div class="run-command" data-script="([^"]*)">[\s\S]*?<code>([\s\S]*?)<\/code>/g,
  )].map(([, path, code]) => ({ path, region: "", text: htmlText(code).trim() }));
}

/**
 * What a listing must show: the whole file, or the lines between `// #region name` and
 * `// #endregion name` without marker lines, their common indentation removed. Written
 * independently of the site's plugin so the test checks it.
 */
export function expectedListing(source: string, region: string): string {
  const lines = source.replaceAll("\r\n", "\n").split("\n");
  if (!region) return lines.join("\n").replace(/\n$/, "");
  const marker = /^\s*\/\/ ?#?(end)?region ([\w*-]+)\s*$/;
  const start = lines.findIndex((line) =>
    marker.exec(line)?.[1] === undefined &&
    marker.exec(line)?.[2] === region
  );
  const end = lines.findIndex((line, i) =>
    i > start && marker.exec(line)?.[1] === "end" && marker.exec(line)?.[2] === region
  );
  if (start === -1 || end === -1) throw new Error(`region ${region} not found`);
  const body = lines.slice(start + 1, end).filter((line) => !marker.test(line));
  const indent = Math.min(
    ...body.filter((line) => line.trim() !== "").map((line) => line.match(/^[ \t]*/)![0].length),
  );
  return body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join("\n")
    .replace(/\n$/, "");
}

/** Markdown source without fenced code blocks (so examples of the syntax are not counted). */
export function withoutFences(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/**
 * The WCAG 2 contrast ratio of two colours, each `#rrggbb` or a computed `rgb(r, g, b)`. Written
 * apart from the site's own (plugins/contrast.ts) so that the tests check it.
 */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (colour: string) => {
    const channels = colour.startsWith("#")
      ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
      : colour.match(/[\d.]+/g)!.slice(0, 3).map(Number);
    const [r, g, b] = channels.map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}
