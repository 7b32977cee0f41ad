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
 * Run: ./labs/lab3/syslog_sender.ts                       (to syslog_collector.ts)
 *      ./labs/lab3/syslog_sender.ts --level warning "player 3 joined"
 *      ./labs/lab3/syslog_sender.ts --local                (to this machine's journald)
 */
import { closeQuietly, listenUdp } from "../../lib/net.ts";
import { parseCommandLine, parsePort, runMain } from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { Logger, type LogRecord, parseLogLevel } from "../../lib/logging.ts";
import { formatBsdSyslog, formatRfc5424, severityOf } from "../../lib/syslog.ts";

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
  // #region handler
  const hostname = Deno.hostname();
  const format = values.local ? formatBsdSyslog : formatRfc5424;
  let sending = Promise.resolve(0);
  const toSyslog = (record: LogRecord) => {
    const message = format({
      severity: severityOf(record.level),
      timestamp: record.time,
      hostname,
      appName: values["app-name"],
      procId: String(Deno.pid),
      message: record.message,
    });
    // One record, one datagram; sent one after another, since sends started together
    // on one socket may leave in any order.
    sending = sending.then(() => transport.send(utf8Encode(message)));
    return sending.then(() => {});
  };
  // #endregion handler
  const log = new Logger(values["app-name"], { level, handlers: [toSyslog] });
  // #region log
  const passed = [
    log.debug("game started: 2 players"),
    ...positionals.map((message) => log.info(message)),
    log.warning("ignored a command from unknown player id 12"),
    log.error("lost contact with player 7"),
  ];
  // #endregion log
  try {
    await log.flush();
  } finally {
    transport.close();
  }
  const where = values.local ? JOURNAL_SOCKET : `${values.host}:${values.port}`;
  console.log(
    `sent ${passed.filter(Boolean).length} messages to ${where} (level ${level} and above)`,
  );
});
