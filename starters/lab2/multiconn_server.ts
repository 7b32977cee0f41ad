#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — multi-connection echo server: serves every client at once, logging each
 * accept, echo and close. With --quiet it logs a summary once a second instead, for the
 * load generator's 10,000 connections.
 *
 * STARTER: the command line, the listening socket, the `listening on` line, the accept
 * loop and the --quiet summary are in place; each TODO is a step of the task, and the
 * handout explains it: /lab2/task-2-1#task-2-1.
 *
 * Run:   ./mywork/lab2/multiconn_server.ts      (then ./mywork/lab2/multiconn_client.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.1)
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
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

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

/** Echoes one client's bytes until it closes, keeping `stats` up to date. */
async function echo(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  stats.peak = Math.max(stats.peak, ++stats.open);
  stats.accepted++;
  log?.(`accepted connection from ${peer}`);
  try {
    // TODO(2.1): echo as in Task 1.1, with a 1 KiB buffer per connection (10 MiB for
    // 10,000 clients); log each echo with `log?.(`echoing ${previewBytes(data)} to
    // ${peer}`)` and add its bytes to `stats.echoedBytes`.
    await todo("/lab2/task-2-1#task-2-1", `echo to ${peer} alongside every other client`);
  } finally {
    stats.open--;
    log?.(`closing connection to ${peer}`);
  }
}

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
