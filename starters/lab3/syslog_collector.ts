#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 3.6 — a syslog collector: receives syslog datagrams over UDP and prints each one,
 * field by field, keeping only those at least as severe as --min-severity.
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place
 * (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab3/task-3-6#task-3-6.
 *
 * Run:   ./mywork/lab3/syslog_collector.ts                     (then ./mywork/lab3/syslog_sender.ts)
 *        ./mywork/lab3/syslog_collector.ts --min-severity warning
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.6)
 */
import { exitOnSignal, parseCommandLine, parsePort, runMain } from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { SEVERITIES } from "../../lib/syslog.ts";
import { todo } from "../../lib/todo.ts";

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
  // TODO(3.6): refuse a --min-severity that is not one of SEVERITIES (a UsageError); its
  // index is the threshold: a larger number is less severe.
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const _datagram of socket) {
    // TODO(3.6): each datagram is [bytes, sender]. `parseSyslog(utf8Decode(bytes))` from
    // ../../lib/syslog.ts reads RFC 5424, the BSD format and bare `<PRI>text`; print one
    // line per message at least as severe as the threshold: `<sender>
    // <facility>.<severity> <format> host=… app=… pid=… msgid=… sd=… time=…: <message>`
    // (`-` for a field the message lacks). A SyslogError is one line on stderr for that
    // datagram; the collector goes on.
    todo(
      "/lab3/task-3-6#task-3-6",
      `print each syslog message (--min-severity ${values["min-severity"]})`,
    );
  }
});
