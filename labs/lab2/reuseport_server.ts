#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 2.5 — every core: an echo server that runs one worker per core, each with its
 * own listening socket on the same port.
 *
 * JavaScript runs on one thread, so a single event loop uses one core however many
 * clients it serves. A Web Worker is another thread with its own event loop. With
 * `reusePort` (SO_REUSEPORT, Linux; needs --unstable-net) several sockets may listen on
 * one port, and the kernel spreads new connections among them: each worker accepts and
 * serves its share, and no connection ever moves between threads.
 *
 * A worker runs a program of its own. To need no permission besides the network (a
 * worker's module would have to be read from disk), the worker's program is one function
 * of this file, handed over as text with the one class it uses (`ReadBuffer`, written to
 * need nothing else): it cannot use our other imports.
 *
 * Run: ./labs/lab2/reuseport_server.ts              (then multiconn_client.ts, or the
 *      ./labs/lab2/reuseport_server.ts --workers 1   load generator, against both)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseCount,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { ReadBuffer } from "../../lib/buffers.ts";
import { formatAddress, listenTcp } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Echo server on every core (Task 2.5): one worker per core share one port.",
  options: {
    ...listenOptions("TCP", "65432"),
    workers: {
      default: String(navigator.hardwareConcurrency),
      valueName: "N",
      description: "worker threads (default: one per core)",
    },
    quiet: { type: "boolean", description: "do not log every connection" },
  },
});

// #region worker
/** A worker's whole program: listens on the shared port and echoes to every client. */
async function workerProgram(name: string, host: string, port: number, quiet: boolean) {
  const listener = Deno.listen({ hostname: host, port, reusePort: true });
  (globalThis as unknown as Worker).postMessage("ready"); // a worker's global posts to main
  for await (const conn of listener) echo(conn);

  async function echo(conn: Deno.TcpConn): Promise<void> {
    const peer = `${conn.remoteAddr.hostname}:${conn.remoteAddr.port}`;
    if (!quiet) console.log(`${name}: accepted connection from ${peer}`);
    const buffer = new ReadBuffer(); // small while idle, up to 64 KiB while busy
    try {
      for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
        for (let sent = 0; sent < n;) sent += await conn.write(buffer.bytes.subarray(sent, n));
      }
    } catch (error) { // a reset concerns this client only
      console.error(`${name}: ${peer}: ${(error as Error).message}`);
    }
    buffer.release();
    conn.close();
    if (!quiet) console.log(`${name}: closing connection to ${peer}`);
  }
}
// #endregion worker

// #region main
await runMain(async () => {
  const count = parseCount(values.workers, "--workers");
  // A socket of our own learns the port (0 = any free one) and keeps it until the
  // workers have joined it; then it leaves, so that it accepts nothing.
  const first = listenTcp(values.host, parsePort(values.port), { reusePort: true });
  const workers = Array.from({ length: count }, (_, i) => {
    const args = [`worker ${i + 1}`, values.host, first.addr.port, values.quiet];
    const program = `${ReadBuffer}\n(${workerProgram})(...${JSON.stringify(args)});`;
    const url = URL.createObjectURL(new Blob([program], { type: "text/javascript" }));
    return new Worker(url, { type: "module" });
  });
  exitOnSignal(() => workers.forEach((worker) => worker.terminate()));
  await Promise.all(workers.map((worker, i) =>
    new Promise((resolve, reject) => {
      worker.onmessage = resolve;
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`worker ${i + 1}: ${event.message}`));
      };
    })
  ));
  first.close();
  console.log(`listening on ${formatAddress(first.addr)} with ${count} workers`);
});
// #endregion main
