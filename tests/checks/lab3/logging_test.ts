/**
 * Graded checks for Task 3.6: `log_levels.ts`, `syslog_sender.ts` and
 * `syslog_collector.ts`, with Python's `SysLogHandler` as a second sender when `python3`
 * is installed, and a real rsyslog as a relay when `rsyslogd` is. The sender's --local
 * mode is tested in `syslog_local_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseSyslog } from "../../../lib/syslog.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertRanUntilStopped, assertSuccess } from "../../harness/expect.ts";
import { udpSend, udpSocket } from "../../harness/peers.ts";
import { runScript, startProgram, startServer } from "../../../tools/script/process.ts";
import { collectDatagrams } from "../../harness/binary_io.ts";
import { FORWARD_TEMPLATES, startRsyslogRelay } from "../../harness/rsyslog_relay.ts";

const LEVELS = "log_levels.ts";
const SENDER = "syslog_sender.ts";
const COLLECTOR = "syslog_collector.ts";
const encode = (text: string) => new TextEncoder().encode(text);

/** The level names of the log lines in `stderr`, in order. */
function loggedLevels(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "").map((line) => {
    const match = line.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ([A-Z]+) lab3_game: \S/);
    assert.ok(match, `not a log line (ISO time, LEVEL, logger name, message): ${line}`);
    return match[1];
  });
}

/** Runs the sender against a UDP socket of ours and returns the messages it sent. */
async function sendAndCollect(script: string, args: string[], expected: number) {
  const socket = udpSocket();
  const port = String((socket.addr as Deno.NetAddr).port);
  const result = await runScript(script, ["--port", port, ...args]);
  // The script has ended, so everything it sent is already queued on our socket.
  const datagrams = await collectDatagrams(socket, expected, 1_000);
  assertSuccess(result);
  return datagrams.map((data) => parseSyslog(new TextDecoder().decode(data)));
}

export const checks = defineChecks(3, [
  {
    id: "3.6-levels-filter",
    task: "3.6",
    title: "log_levels logs to stderr and keeps only warning and worse by default",
    points: 2,
    hint: "write log records to stderr as `<ISO time> LEVEL lab3_game: message`, drop those " +
      "below --level (default warning), and keep stdout for the program's own output",
    async run({ script }) {
      const result = await runScript(script(LEVELS));
      assertSuccess(result);
      assert.deepEqual(loggedLevels(result.stderr), ["WARNING", "ERROR", "CRITICAL"]);
      assert.equal(result.stdout.trim(), "game over after 3 ticks", "no log lines on stdout");
    },
  },
  {
    id: "3.6-levels-debug",
    task: "3.6",
    title: "log_levels --level debug logs everything in order; a bad level is refused",
    points: 1,
    hint: "compare level numbers (debug 10 < info 20 < warning 30 < error 40 < critical 50) " +
      "and refuse an unknown --level in one line",
    async run({ script }) {
      const result = await runScript(script(LEVELS), ["--level", "debug"]);
      assertSuccess(result);
      assert.deepEqual(loggedLevels(result.stderr), [
        "INFO",
        "DEBUG",
        "DEBUG",
        "WARNING",
        "DEBUG",
        "ERROR",
        "CRITICAL",
      ]);
      const errors = await runScript(script(LEVELS), ["--level", "ERROR"]);
      assert.deepEqual(loggedLevels(errors.stderr), ["ERROR", "CRITICAL"]);
      assertCleanFailure(await runScript(script(LEVELS), ["--level", "loud"]), /loud/);
    },
  },
  {
    id: "3.6-sender-rfc5424",
    task: "3.6",
    title: "syslog_sender sends each record as one RFC 5424 datagram, in order",
    points: 3,
    hint: "one datagram per record: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG` " +
      "with PRI = 1 * 8 + severity (debug 7, warning 4, error 3), sent one after another",
    async run({ script }) {
      const before = Date.now();
      const messages = await sendAndCollect(script(SENDER), [], 3);
      assert.equal(messages.length, 3, "expected 3 datagrams: debug, warning, error");
      assert.deepEqual(messages.map((m) => m.format), ["rfc5424", "rfc5424", "rfc5424"]);
      assert.deepEqual(messages.map((m) => m.severity), [7, 4, 3]);
      assert.deepEqual(messages.map((m) => m.facility), [1, 1, 1], "facility 1 (user)");
      for (const message of messages) {
        assert.equal(message.appName, "lab3_game");
        assert.match(message.procId ?? "", /^\d+$/, "PROCID is the process id");
        assert.ok(message.hostname, "HOSTNAME is the machine's name");
        const time = Date.parse(message.timestamp ?? "");
        assert.ok(Math.abs(time - before) < 60_000, `TIMESTAMP ${message.timestamp} is now`);
      }
      assert.match(messages[2].message, /lost contact with player 7/);
    },
  },
  {
    id: "3.6-sender-level",
    task: "3.6",
    title: "syslog_sender filters by --level and sends extra messages at info",
    points: 2,
    hint: "the level filter decides what is sent at all; each MESSAGE argument is logged at info",
    async run({ script }) {
      const warnings = await sendAndCollect(script(SENDER), ["--level", "warning", "hi"], 3);
      assert.deepEqual(warnings.map((m) => m.severity), [4, 3], "only warning and error");
      const info = await sendAndCollect(script(SENDER), ["--level", "info", "player 3 joined"], 3);
      assert.deepEqual(info.map((m) => m.severity), [6, 4, 3]);
      assert.equal(info[0].message, "player 3 joined");
    },
  },
  {
    id: "3.6-collector",
    task: "3.6",
    title: "syslog_collector prints RFC 5424, BSD and bare messages and skips garbage",
    points: 3,
    hint: "parse each datagram (lib/syslog.ts parseSyslog), print `facility.severity` and the " +
      "fields; report a datagram that is not syslog on stderr and keep receiving",
    async run({ script }) {
      const collector = await startServer(script(COLLECTOR));
      const sender = await udpSend(
        collector.port,
        encode("<12>1 2025-01-02T03:04:05.000Z pi game 42 - - player 3 is idle"),
        encode("not syslog at all"),
        encode("<14>Nov  3 09:05:07 game[42]: hello from C"),
        encode("<11>lost contact\u0000"),
      );
      try {
        await collector.script.waitFor(/lost contact$/m);
        const out = collector.script.stdout;
        assert.match(out, /user\.warning rfc5424 host=pi app=game pid=42 .*: player 3 is idle$/m);
        assert.match(out, /user\.info bsd .*app=game pid=42 .*: hello from C$/m);
        assert.match(out, /user\.err bare .*: lost contact$/m);
        assert.match(collector.script.stderr, /ignored 17 bytes from 127\.0\.0\.1:\d+/);
      } finally {
        sender.close();
        assertRanUntilStopped(await collector.script.stop(), "the collector");
      }
    },
  },
  {
    id: "3.6-collector-filter",
    task: "3.6",
    title: "syslog_collector --min-severity keeps only messages at least that severe",
    points: 1,
    hint: "severity numbers grow as messages get less severe: keep those ≤ the threshold",
    async run({ script }) {
      await using collector = await startServer(script(COLLECTOR), ["--min-severity", "warning"]);
      const sender = await udpSend(
        collector.port,
        encode("<15>1 - - a - - - debug noise"),
        encode("<14>1 - - a - - - info noise"),
        encode("<12>1 - - a - - - a warning"),
        encode("<10>1 - - a - - - critical!"),
      );
      try {
        await collector.script.waitFor(/critical!$/m);
        assert.match(collector.script.stdout, /a warning$/m);
        assert.doesNotMatch(collector.script.stdout, /noise/);
      } finally {
        sender.close();
      }
    },
  },
  {
    id: "3.6-python-syslog",
    task: "3.6",
    title: "syslog_collector understands Python's logging.handlers.SysLogHandler",
    points: 2,
    kind: "interoperability",
    requires: "python3",
    hint: "Python sends `<PRI>message` and a NUL byte, with no header: read it as a bare " +
      "message and drop the trailing NUL",
    async run({ script }) {
      await using collector = await startServer(script(COLLECTOR));
      const program = "import logging, logging.handlers, sys\n" +
        "log = logging.getLogger('226_game'); log.setLevel(logging.DEBUG)\n" +
        "log.addHandler(logging.handlers.SysLogHandler(address=('127.0.0.1', int(sys.argv[1]))))\n" +
        "log.debug('This is a debug message')\nlog.warning('This is a warning message')\n" +
        "log.error('This is an error message')\n";
      const python = startProgram("python3", ["-c", program, String(collector.port)]);
      assertSuccess(await python.finished());
      await collector.script.waitFor(/This is an error message$/m);
      const out = collector.script.stdout;
      assert.match(out, /user\.debug bare .*: This is a debug message$/m);
      assert.match(out, /user\.warning bare .*: This is a warning message$/m);
      assert.match(out, /user\.err bare .*: This is an error message$/m);
    },
  },
  {
    id: "3.6-rsyslog-relay",
    task: "3.6",
    title: "syslog_collector reads what rsyslog relays, in its three forward formats",
    points: 2,
    kind: "interoperability",
    requires: "rsyslogd",
    hint: "relays put a HOSTNAME after the BSD timestamp, may write an RFC 3339 timestamp in " +
      "its place, and drop the colon of a tag made from an RFC 5424 APP-NAME; RFC 5424 " +
      "messages carry a MSGID and structured data: print them too (msgid=…, sd=…)",
    async run({ script }) {
      const collector = await startServer(script(COLLECTOR));
      const relay = await startRsyslogRelay(collector.port);
      const sender = udpSocket();
      const toRelay: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: relay.port };
      try {
        // rsyslogd gives no sign that it is ready: send probes until one comes through.
        for (let i = 0; !/ready \d+$/m.test(collector.script.stdout); i++) {
          if (!collector.script.running) { // it will print nothing more
            throw new Error(`the collector exited:\n${collector.script.stderr}`);
          }
          if (i === 100) throw new Error(`rsyslogd relayed nothing:\n${relay.daemon.stderr}`);
          await sender.send(encode(`<14>Nov  3 09:05:06 pi probe: ready ${i}`), toRelay);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await sender.send(
          encode(
            '<13>1 2025-11-03T09:05:07.123+01:00 pi game - JOIN [game@32473 player="3"] ' +
              "player 3 joined",
          ),
          toRelay,
        );
        await sender.send(encode("<12>Nov  3 09:05:08 pi game[42]: player 3 is idle"), toRelay);
        const lines = () => collector.script.stdout.split("\n");
        for (const text of ["player 3 joined", "player 3 is idle"]) {
          await collector.script.waitFor(
            new RegExp(`(: +${text}$[^]*){${FORWARD_TEMPLATES.length}}`, "m"),
          );
        }
        const joined = lines().filter((line) => line.endsWith("player 3 joined"));
        const bsdStamp = /time=[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d: /;
        const rfc3339 = /time=2025-11-03T09:05:07\.123\+01:00: /;
        const asBsd = /user\.notice bsd host=pi app=game pid=- msgid=- sd=- /;
        assert.ok(joined.some((l) => asBsd.test(l) && bsdStamp.test(l)), joined.join("\n"));
        assert.ok(joined.some((l) => asBsd.test(l) && rfc3339.test(l)), joined.join("\n"));
        const sd =
          /user\.notice rfc5424 host=pi app=game pid=- msgid=JOIN sd=\[game@32473 player="3"\] /;
        assert.ok(joined.some((l) => sd.test(l)), joined.join("\n"));
        const idle = lines().filter((line) => line.endsWith("player 3 is idle"));
        const idleFields = /user\.warning (bsd|rfc5424) host=pi app=game pid=42 /;
        assert.equal(idle.filter((l) => idleFields.test(l)).length, 3, idle.join("\n"));
      } finally {
        sender.close();
        await relay.stop();
        await collector.script.stop();
      }
    },
  },
]);
