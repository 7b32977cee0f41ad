// A small static file server for the built site, bound to one address (VitePress's own
// preview server listens on every interface). `deno task serve` and the browser test use it.
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

export interface StaticOptions {
  /** The built site (VitePress's outDir). */
  root: string;
  hostname?: string;
  /** 0 picks a free port; read the real one from `server.addr.port`. */
  port?: number;
  /** The site's base path, as in the VitePress config ("/" or "/labs/"). */
  base?: string;
  onListen?: (addr: Deno.NetAddr) => void;
}

async function readFileOrUndefined(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await Deno.readFile(path);
  } catch {
    return undefined;
  }
}

/** Serves `root`: `/x/` → `x/index.html`, `/x` → `x` or `x.html`, anything else → 404.html. */
export function serveStatic(options: StaticOptions): Deno.HttpServer<Deno.NetAddr> {
  const base = options.base ?? "/";
  return Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    onListen: options.onListen ?? (() => {}),
  }, async (request) => {
    let path = decodeURIComponent(new URL(request.url).pathname);
    if (!path.startsWith(base)) return new Response("Not found", { status: 404 });
    path = normalize("/" + path.slice(base.length));
    if (path.endsWith("/")) path += "index.html";
    for (const candidate of [path, path + ".html"]) {
      const body = await readFileOrUndefined(join(options.root, candidate));
      if (body) {
        return new Response(body, {
          headers: {
            "content-type": TYPES[extname(candidate)] ?? "application/octet-stream",
            "cache-control": candidate.startsWith("/assets/") ? "max-age=31536000" : "no-cache",
          },
        });
      }
    }
    const notFound = await readFileOrUndefined(join(options.root, "404.html"));
    return new Response(notFound ?? "Not found", {
      status: 404,
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  });
}
