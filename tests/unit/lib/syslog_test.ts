import assert from "node:assert/strict";
import {
  FACILITIES,
  formatBsdSyslog,
  formatRfc5424,
  parseSyslog,
  SEVERITIES,
  severityOf,
  SyslogError,
} from "../../../lib/syslog.ts";

const WHEN = new Date(Date.UTC(2025, 10, 21, 8, 30, 1, 250));

Deno.test("syslog: RFC 5424 messages carry PRI = facility * 8 + severity and nil fields", () => {
  assert.equal(
    formatRfc5424({ severity: 4, timestamp: WHEN, message: "x" }),
    "<12>1 2025-11-21T08:30:01.250Z - - - - - x",
  );
  assert.equal(
    formatRfc5424({
      facility: 16,
      severity: 7,
      timestamp: WHEN,
      hostname: "pi",
      appName: "lab3 game",
      procId: "77",
      msgId: "MOVE",
      message: "héllo",
    }),
    "<135>1 2025-11-21T08:30:01.250Z pi lab3_game 77 MOVE - héllo",
  );
  assert.throws(() => formatRfc5424({ severity: 8, message: "" }), RangeError);
  assert.throws(() => formatRfc5424({ facility: 24, severity: 0, message: "" }), RangeError);
});

Deno.test("syslog: RFC 5424 round trip, structured data and a BOM", () => {
  const line = formatRfc5424({
    severity: 3,
    timestamp: WHEN,
    hostname: "h",
    appName: "a",
    procId: "1",
    message: "m  with spaces",
  });
  assert.deepEqual(parseSyslog(line), {
    format: "rfc5424",
    facility: 1,
    severity: 3,
    timestamp: "2025-11-21T08:30:01.250Z",
    hostname: "h",
    appName: "a",
    procId: "1",
    msgId: null,
    structuredData: null,
    message: "m  with spaces",
  });
  const sd = parseSyslog(
    '<165>1 2003-10-11T22:14:15.003Z host app - ID47 [ex@32473 iut="3" a="x\\]y"][b@1 c="d"] \uFEFFmsg',
  );
  assert.equal(sd.structuredData, '[ex@32473 iut="3" a="x\\]y"][b@1 c="d"]');
  assert.equal(sd.message, "msg");
  assert.equal(sd.facility, 20);
  assert.equal(sd.severity, 5);
  assert.equal(parseSyslog("<14>1 - - - - - -").message, "");
});

Deno.test("syslog: the BSD /dev/log form and Python's bare form are read too", () => {
  const local = formatBsdSyslog({
    severity: 6,
    timestamp: new Date(2025, 0, 5, 7, 8, 9),
    appName: "game",
    procId: "4242",
    message: "player 1 joined",
  });
  assert.equal(local, "<14>Jan  5 07:08:09 game[4242]: player 1 joined");
  const parsed = parseSyslog(local);
  assert.equal(parsed.format, "bsd");
  assert.equal(parsed.appName, "game");
  assert.equal(parsed.procId, "4242");
  assert.equal(parsed.timestamp, "Jan  5 07:08:09");
  assert.equal(parsed.message, "player 1 joined");
  const network = parseSyslog("<13>Nov 21 08:16:39 vm root: sent by logger --rfc3164");
  assert.equal(network.format, "bsd");
  assert.equal(network.hostname, "vm");
  assert.equal(network.appName, "root");
  assert.equal(network.procId, null);
  assert.equal(network.message, "sent by logger --rfc3164");
  assert.equal(parseSyslog("<14>Jan  5 07:08:09 game: a: b").message, "a: b");
  const bare = parseSyslog("<11>lost contact with player 7\u0000");
  assert.equal(bare.format, "bare");
  assert.equal(bare.severity, 3);
  assert.equal(bare.message, "lost contact with player 7");
});

Deno.test("syslog: the BSD variants rsyslog 8.2302 relays (lines it sent, captured)", () => {
  const fields = (text: string) => {
    const m = parseSyslog(text);
    return [m.format, m.timestamp, m.hostname, m.appName, m.procId, m.message];
  };
  // RSYSLOG_TraditionalForwardFormat, from a BSD message and from an RFC 5424 one: the
  // tag made from an APP-NAME has no colon.
  assert.deepEqual(fields("<13>Dec  5 22:58:32 vm game[15235]: player 3 joined"), [
    "bsd",
    "Dec  5 22:58:32",
    "vm",
    "game",
    "15235",
    "player 3 joined",
  ]);
  assert.deepEqual(fields("<13>Nov  3 09:05:07 pi game player 3 joined"), [
    "bsd",
    "Nov  3 09:05:07",
    "pi",
    "game",
    null,
    "player 3 joined",
  ]);
  // RSYSLOG_ForwardFormat: an RFC 3339 timestamp in the BSD layout.
  assert.deepEqual(fields("<13>2025-11-03T09:05:07.123+01:00 pi game player 3 joined"), [
    "bsd",
    "2025-11-03T09:05:07.123+01:00",
    "pi",
    "game",
    null,
    "player 3 joined",
  ]);
  assert.deepEqual(fields("<12>2026-11-03T09:05:08Z pi game[42]: player 3 is idle"), [
    "bsd",
    "2026-11-03T09:05:08Z",
    "pi",
    "game",
    "42",
    "player 3 is idle",
  ]);
  // RSYSLOG_SyslogProtocol23Format: RFC 5424, with what rsyslog adds.
  const rfc = parseSyslog(
    '<13>1 2026-12-05T22:58:32.610342+00:00 vm game - JOIN [timeQuality tzKnown="1" ' +
      'isSynced="0"][game@32473 player="3"] player 3 joined',
  );
  assert.equal(rfc.msgId, "JOIN");
  assert.equal(rfc.structuredData, '[timeQuality tzKnown="1" isSynced="0"][game@32473 player="3"]');
  // No hostname: a tag with a colon, or with a [PID], is the tag; a bare word is taken as
  // the hostname, as rsyslog takes it; a lone word is the message.
  assert.deepEqual(fields("<14>Nov  3 09:05:07 game: a: b").slice(2), [null, "game", null, "a: b"]);
  assert.deepEqual(fields("<14>Nov  3 09:05:07 game[7] hi").slice(2), [null, "game", "7", "hi"]);
  assert.deepEqual(fields("<13>Dec  5 22:58:32 myapp no colon here").slice(2), [
    "myapp",
    "no",
    null,
    "colon here",
  ]);
  assert.deepEqual(fields("<14>Nov  3 09:05:07 hi").slice(2), [null, null, null, "hi"]);
  assert.deepEqual(fields("<14>Nov  3 09:05:07 ::1 app: x").slice(2), ["::1", "app", null, "x"]);
  // Not a timestamp: the whole text is the message of a bare datagram.
  assert.deepEqual(fields("<14>2025-11-03 pi game: x"), [
    "bare",
    null,
    null,
    null,
    null,
    "2025-11-03 pi game: x",
  ]);
});

Deno.test("syslog: malformed datagrams are rejected with a reason", () => {
  for (
    const [text, reason] of [
      ["hello", /no <PRI>/],
      ["<192>x", /above 191/],
      ["<13>1 2025 host", /6 fields/],
      ["<13>1 t h a p m [open", /not closed/],
      ["<13>1 t h a p m x", /"-" or "\[…\]"/],
      ["<13>1 t h a p m [a]x", /followed by a space/],
    ] as const
  ) {
    assert.throws(() => parseSyslog(text), (error) => {
      assert.ok(error instanceof SyslogError);
      assert.match(error.message, reason);
      return true;
    });
  }
});

Deno.test("syslog: names and Python's level mapping", () => {
  assert.equal(SEVERITIES.length, 8);
  assert.equal(FACILITIES.length, 24);
  assert.equal(FACILITIES[16], "local0");
  assert.deepEqual(
    (["debug", "info", "warning", "error", "critical"] as const).map((l) =>
      SEVERITIES[severityOf(l)]
    ),
    ["debug", "info", "warning", "err", "crit"],
  );
});
