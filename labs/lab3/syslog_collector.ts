#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 3.6 — a syslog collector: receives syslog datagrams over UDP and prints each one,
 * field by field, keeping only those at least as severe as --min-severity.
 *
 * It reads RFC 5424 (what `syslog_sender.ts` and modern daemons send, with a MSGID and
 * structured data), the BSD format in the variants relays such as rsyslog forward, and
 * the bare `<PRI>text` that Python's `logging.handlers.SysLogHandler` sends. A datagram
 * that is not syslog is reported on stderr and skipped: one bad sender does not stop it.
 * Every field comes from the network, so each is printed with control characters escaped
 * and cut after 200 characters (`previewText`): a message cannot forge a line of ours.
 * Real daemons listen on UDP port 514, which needs root; ours uses 5514.
 *
 * Run: ./labs/lab3/syslog_collector.ts                     (then ./labs/lab3/syslog_sender.ts)
 *      ./labs/lab3/syslog_collector.ts --min-severity warning
 */
import { exitOnSignal, parseCommandLine, parsePort, runMain, UsageError } from "../../lib/cli.ts";
import { previewText, utf8Decode } from "../../lib/bytes.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { FACILITIES, parseSyslog, SEVERITIES, SyslogError } from "../../lib/syslog.ts";

const { values } = parseCommandLine({
  summary: "Receives syslog messages over UDP and prints their fields.",
  options: {
    host: { default: "127.0.0.1", description: "address to receive on" },
    port: { default: "5514", description: "UDP port to receive on (0 = any free port)" },
    "min-severity": {
      default: "debug",
      valueName: "NAME",
      description: `one of ${SEVERITIES.join(" ")}`,
    },
  },
});

await runMain(async () => {
  const threshold = SEVERITIES.indexOf(values["min-severity"] as typeof SEVERITIES[number]);
  if (threshold < 0) throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(", ")}`);
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // #region receive
  for await (const [data, sender] of socket) {
    const from = formatAddress(sender);
    try {
      const m = parseSyslog(utf8Decode(data));
      if (m.severity > threshold) continue; // a larger number is less severe
      // A field the format lacks, or the sender left out, shows as "-" (RFC 5424's nil).
      const show = (field: string | null | undefined) => previewText(field ?? "-");
      const fields = `host=${show(m.hostname)} app=${show(m.appName)} pid=${show(m.procId)} ` +
        `msgid=${show(m.msgId)} sd=${show(m.structuredData)}`;
      console.log(
        `${from} ${FACILITIES[m.facility]}.${SEVERITIES[m.severity]} ${m.format} ${fields} ` +
          `time=${show(m.timestamp)}: ${previewText(m.message)}`,
      );
    } catch (error) {
      if (!(error instanceof SyslogError)) throw error;
      console.error(`ignored ${data.length} bytes from ${from}: ${previewText(error.message)}`);
    }
  }
  // #endregion receive
});
