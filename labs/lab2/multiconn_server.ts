#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — multi-connection echo server: serves every client at once, logging each
 * accept, echo and close.
 *
 * The Python original makes its sockets non-blocking, registers them with a selector and
 * runs the loop itself: wait until some socket is ready, then read or write a little on
 * that one. Deno's runtime is that loop (epoll on Linux, kqueue on macOS): each `await`
 * on a socket registers interest and hands control back until the socket is ready. What
 * the Python code keeps per connection in `data.outb`, we keep in local variables.
 *
 * With --quiet it logs a summary once a second instead, for the load generator's
 * 10,000 connections: a log line per echo would cost more than the echo itself. A
 * connection on which nothing moves for --idle-timeout is closed: 10,000 clients that
 * went away without closing must not hold 10,000 descriptors forever.
 *
 * Run: ./labs/lab2/multiconn_server.ts      (then ./labs/lab2/multiconn_client.ts)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { ReadBuffer } from "../../lib/buffers.ts";
import { writeAll } from "../../lib/framing.ts";
import { TrafficLog } from "../../lib/logging.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Multi-connection echo server (Task 2.1): echoes to every client at once.",
  options: {
    ...listenOptions("TCP", "65432"),
    ...idleTimeoutOption(),
    quiet: { type: "boolean", description: "log a summary each second, not every event" },
  },
});
// `log?.(…)` skips even building the line when quiet: a no-op function would not.
const log = values.quiet ? undefined : console.log;
const stats = { open: 0, peak: 0, accepted: 0, echoedBytes: 0 };

// #region echo
async function echo(conn: Deno.TcpConn): Promise<void> {
  const peer = log && formatAddress(conn.remoteAddr); // quiet: no name kept per connection
  stats.peak = Math.max(stats.peak, ++stats.open);
  stats.accepted++;
  log?.(`accepted connection from ${peer}`);
  // At most one line per 100 ms for the echoes: a line per read would cost more than the echo.
  const echoes = log && new TrafficLog(({ reads, bytes, preview }) => {
    log(`echoing ${reads === 1 ? preview : `${bytes} bytes in ${reads} reads`} to ${peer}`);
  });
  // An idle connection waits with 128 bytes; a busy one borrows up to 64 KiB from pools
  // shared by all (lib/buffers.ts): 10,000 idle clients hold 1.25 MiB of buffers.
  const buffer = new ReadBuffer();
  try {
    for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
      const data = buffer.bytes.subarray(0, n);
      echoes?.add(data);
      await writeAll(conn, data);
      stats.echoedBytes += n;
    }
  } finally {
    buffer.release();
    echoes?.flush();
    stats.open--;
    log?.(`closing connection to ${peer}`);
  }
}
// #endregion echo

function printSummary(): void {
  const rssMiB = (Deno.memoryUsage().rss / 2 ** 20).toFixed(1);
  console.log(
    `${stats.open} connections open (peak ${stats.peak}), ${stats.accepted} accepted, ` +
      `${stats.echoedBytes} bytes echoed, RSS ${rssMiB} MiB`,
  );
}

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  if (values.quiet) {
    let last = "";
    setInterval(() => { // only when something changed, so an idle server stays silent
      const now = JSON.stringify(stats);
      if (now !== last) printSummary();
      last = now;
    }, 1000);
  }
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, echo);
  }
});
