#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1,unix:/run/systemd/journal/dev-log,unix:/tmp/lab3_log.sock --allow-read=/tmp/lab3_log.sock --allow-write=/run/systemd/journal/dev-log,/tmp/lab3_log.sock --allow-sys=hostname
/**
 * Task 3.6 — real syslog: log messages sent to a syslog collector, not printed.
 *
 * Each log record becomes one datagram. Over UDP (port 514 for a real daemon; 5514 for
 * our `syslog_collector.ts`) it is an RFC 5424 message: `<PRI>1 TIME HOST APP PID - - TEXT`,
 * where PRI = facility * 8 + severity. With --local it goes to this machine's syslog in the
 * format the C library's `syslog()` uses, so journald files it (`journalctl -f -t lab3_game`).
 * Programs usually write to `/dev/log`, but Deno lets a script touch a path under /dev only
 * with --allow-all; on systemd machines /dev/log is a link to journald's socket, which we
 * name directly. Deno also sends a Unix datagram only from a bound socket: the /tmp path.
 *
 * STARTER: the command line and the socket (UDP, or journald's with --local) are in
 * place; each TODO is a step of the task, and the handout explains it: /lab3/task-3-6#task-3-6.
 *
 * Run:   ./mywork/lab3/syslog_sender.ts                       (to syslog_collector.ts)
 *        ./mywork/lab3/syslog_sender.ts --level warning "player 3 joined"
 *        ./mywork/lab3/syslog_sender.ts --local                (to this machine's journald)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.6)
 */
import { closeQuietly, listenUdp } from "../../lib/net.ts";
import { parseCommandLine, parsePort, runMain } from "../../lib/cli.ts";
import { parseLogLevel } from "../../lib/logging.ts";
import { todo } from "../../lib/todo.ts";

const JOURNAL_SOCKET = "/run/systemd/journal/dev-log"; // where /dev/log points under systemd
const CLIENT_SOCKET = "/tmp/lab3_log.sock"; // must match the flags on line 1

const { values, positionals } = parseCommandLine({
  summary: "Logs game events to syslog: RFC 5424 over UDP, or to the local journald.",
  options: {
    host: { default: "127.0.0.1", description: "syslog collector address (UDP)" },
    port: { default: "5514", description: "syslog collector UDP port" },
    local: { type: "boolean", description: `send to ${JOURNAL_SOCKET} instead of UDP` },
    level: { default: "debug", valueName: "LEVEL", description: "least severe level that is sent" },
    "app-name": { default: "lab3_game", valueName: "NAME", description: "the APP-NAME field" },
  },
  arguments: "[MESSAGE...]",
});

/** Opens the socket and returns a function that sends one datagram to the collector. */
function openTransport(): { send: (data: Uint8Array) => Promise<number>; close: () => void } {
  if (!values.local) {
    const port = parsePort(values.port);
    const socket = listenUdp("127.0.0.1", 0);
    const to: Deno.NetAddr = { transport: "udp", hostname: values.host, port };
    return { send: (data) => socket.send(data, to), close: () => closeQuietly(socket) };
  }
  try {
    Deno.removeSync(CLIENT_SOCKET); // a run that crashed may have left it
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const socket = Deno.listenDatagram({ transport: "unixpacket", path: CLIENT_SOCKET });
  const to: Deno.UnixAddr = { transport: "unixpacket", path: JOURNAL_SOCKET };
  return {
    send: (data) =>
      socket.send(data, to).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        throw new Error(`no syslog socket at ${JOURNAL_SOCKET} (no systemd-journald here)`);
      }),
    close: () => (closeQuietly(socket), Deno.removeSync(CLIENT_SOCKET)),
  };
}

await runMain(async () => {
  const level = parseLogLevel(values.level);
  const transport = openTransport();
  try {
    // TODO(3.6): a log handler that turns each record into one syslog message and sends
    // it as one datagram (`transport.send(utf8Encode(text))`): RFC 5424 over UDP
    // (`formatRfc5424` from ../../lib/syslog.ts), the C library's format with --local
    // (`formatBsdSyslog`), with the record's severity (`severityOf(record.level)`), time,
    // this machine's name (`Deno.hostname()`), the app name and the process id. Sends
    // started together may leave in any order: chain each one after the last.
    // TODO(3.6): a `Logger(appName, { level, handlers: [yourHandler] })` (../../lib/
    // logging.ts) logs debug `game started: 2 players`, each MESSAGE at info, warning
    // `ignored a command from unknown player id 12`, error `lost contact with player 7`;
    // `await log.flush()`, then print `sent <n> messages to <where> (level <l> and above)`.
    await todo(
      "/lab3/task-3-6#task-3-6",
      `log ${positionals.length + 3} messages at ${level} and above to syslog`,
    );
  } finally {
    transport.close();
  }
});
