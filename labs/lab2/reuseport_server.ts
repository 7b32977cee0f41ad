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
 * of this file, handed over as text by `startTcpWorker`: it uses only Deno's built-ins and
 * the lib's accept loop, `serveConnection` and `ReadBuffer`, which that function gives every
 * worker.
 *
 * Run: ./labs/lab2/reuseport_server.ts              (then multiconn_client.ts, or the
 *      ./labs/lab2/reuseport_server.ts --workers 1   load generator, against both)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseCount,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { ReadBuffer } from "../../lib/buffers.ts";
import {
  acceptConnections,
  formatAddress,
  listenTcp,
  serveConnection,
  startTcpWorker,
} from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Echo server on every core (Task 2.5): one worker per core share one port.",
  options: {
    ...listenOptions("TCP", "65432"),
    workers: {
      default: String(navigator.hardwareConcurrency),
      valueName: "N",
      description: "worker threads (default: one per core)",
    },
    ...idleTimeoutOption(),
    quiet: { type: "boolean", description: "do not log every connection" },
  },
});

// #region worker
/** A worker's whole program: listens on the shared port and echoes to every client. */
async function workerProgram(
  name: string,
  host: string,
  port: number,
  idleMs: number,
  quiet: boolean,
) {
  const listener = Deno.listen({ hostname: host, port, reusePort: true });
  (globalThis as unknown as Worker).postMessage("ready"); // a worker's global posts to main
  for await (const conn of acceptConnections(listener, { idleTimeoutMs: idleMs })) {
    serveConnection(conn, echo); // a reset or a stalled client concerns that client only
  }

  async function echo(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    if (!quiet) console.log(`${name}: accepted connection from ${peer}`);
    const buffer = new ReadBuffer(); // small while idle, up to 64 KiB while busy
    try {
      for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
        for (let sent = 0; sent < n;) sent += await conn.write(buffer.bytes.subarray(sent, n));
      }
    } finally {
      buffer.release();
    }
    if (!quiet) console.log(`${name}: closing connection to ${peer}`);
  }
}
// #endregion worker

// #region main
await runMain(async () => {
  const count = parseCount(values.workers, "--workers", 1, 1024);
  const idleMs = parseIdleTimeout(values["idle-timeout"]);
  // A socket of our own learns the port (0 = any free one) and keeps it until the
  // workers have joined it; then it leaves, so that it accepts nothing.
  const first = listenTcp(values.host, parsePort(values.port), { reusePort: true });
  const workers = Array.from({ length: count }, (_, i) =>
    // A worker that fails ends the whole server with one line: no half-served port.
    startTcpWorker(
      `worker ${i + 1}`,
      workerProgram,
      `worker ${i + 1}`,
      values.host,
      first.addr.port,
      idleMs,
      values.quiet,
    ));
  exitOnSignal(() => workers.forEach((worker) => worker.terminate()));
  await Promise.all(workers.map((worker) => new Promise((ready) => worker.onmessage = ready)));
  first.close();
  console.log(`listening on ${formatAddress(first.addr)} with ${count} workers`);
});
// #endregion main
