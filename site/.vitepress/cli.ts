// `deno task build` and `deno task serve`: VitePress driven by Deno (no Node needed).
//
//   build [--out DIR]                  writes the static site (default site/.vitepress/dist)
//   serve [--port N] [--host H]        builds, then serves the built site on http://H:N/
//   serve --dev [--port N] [--host H]  VitePress's dev server: pages reload as you edit them
//
// Both first regenerate the API reference pages from lib/ (./reference.ts).
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { relative, resolve } from "node:path";
import { writeReference } from "./reference.ts";
import { serveStatic } from "./static-server.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const siteDir = resolve(repoRoot, "site");

const { positionals, values } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    out: { type: "string" },
    port: { type: "string", default: "5173" },
    host: { type: "string", default: "127.0.0.1" },
    dev: { type: "boolean", default: false },
  },
});
const command = positionals[0];
if (command !== "build" && command !== "serve") {
  console.error("usage: cli.ts build [--out DIR] | serve [--dev] [--port N] [--host H]");
  Deno.exit(2);
}
const outDir = values.out ? resolve(Deno.cwd(), values.out) : resolve(siteDir, ".vitepress/dist");
const port = Number(values.port);
const base = Deno.env.get("SITE_BASE") ?? "/";

// VitePress takes a while to load; `deno doc`, in a process of its own, runs meanwhile.
const vitepress = import("vitepress");
try {
  await writeReference(repoRoot);
} catch (error) {
  console.error(`\nThe site did not build: ${(error as Error).message}`);
  Deno.exit(1);
}
const { build, createServer } = await vitepress;

if (command === "serve" && values.dev) {
  const server = await createServer(siteDir, { host: values.host, port });
  await server.listen();
  server.printUrls();
  // Keep the API reference in step with lib/ while the dev server runs.
  (async () => {
    for await (const _event of Deno.watchFs(resolve(repoRoot, "lib"))) {
      await writeReference(repoRoot).catch((error) => console.error(error.message));
    }
  })();
} else {
  const started = performance.now();
  try {
    await build(siteDir, { outDir });
  } catch (error) {
    console.error(`\nThe site did not build: ${(error as Error).message}`);
    Deno.exit(1);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nBuilt the site in ${seconds} s: ${relative(Deno.cwd(), outDir) || "."}/`);
  console.log(`(absolute path: ${outDir})`);

  if (command === "serve") {
    const listen = (p: number) =>
      serveStatic({
        root: outDir,
        hostname: values.host,
        port: p,
        base,
        onListen: ({ hostname, port }) =>
          console.log(`\nThe course site is at http://${hostname}:${port}${base}  (Ctrl+C stops)`),
      });
    try {
      listen(port);
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      console.log(`Port ${port} is in use; picking a free one.`);
      listen(0);
    }
  } else {
    // VitePress leaves worker handles open after a build; leave now that the site is written.
    Deno.exit(0);
  }
}
