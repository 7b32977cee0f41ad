/**
 * Fuzz test of lib/syslog.ts: `parseSyslog` on random and damaged datagrams (as the
 * collector decodes them, UTF-8 with replacement characters) throws only `SyslogError`;
 * formatted messages of both formats read back field for field; its time per byte stays
 * flat on the inputs a backtracking regex would choke on.
 *
 * @module
 */
import assert from "node:assert/strict";
import { utf8Decode, utf8Encode } from "../../../lib/bytes.ts";
import type { SeededRandom } from "../../../lib/random.ts";
import {
  formatBsdSyslog,
  formatRfc5424,
  parseSyslog,
  SyslogError,
  type SyslogFields,
} from "../../../lib/syslog.ts";
import { fuzzTest, hostileBytes, randomText, repeatTo } from "../../harness/fuzz.ts";

/** The characters syslog's syntax is made of, and a few it is not. */
const SYNTAX = [...'<>0123456789 1-[]"\\=:abcZ\n\0\t\uFEFFé🧦'];
/** Printable ASCII, what RFC 5424 header fields may hold. */
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i));
/** Any text a message may carry, except at its end (see `message`). */
const TEXT = [...PRINTABLE, " ", "é", "🧦", "\u0000", "\n", "\t"];

/** A random valid message text: parsing drops trailing NULs and newlines and a leading BOM. */
function message(random: SeededRandom): string {
  return randomText(random, TEXT, 40).replace(/[\0\n]+$/, "");
}

function fields(random: SeededRandom): SyslogFields {
  const optional = (max: number) =>
    random.chance(0.2) ? undefined : randomText(random, PRINTABLE, max);
  return {
    facility: random.integer(0, 23),
    severity: random.integer(0, 7),
    timestamp: new Date(random.integer(0, 4102444800000)),
    hostname: optional(255),
    appName: optional(48),
    procId: optional(128),
    msgId: optional(32),
    message: message(random),
  };
}

/** What parsing gives back for a header field: `-` or nothing is `null`. */
function nil(value: string | undefined): string | null {
  return value === undefined || value === "" || value === "-" ? null : value;
}

fuzzTest({
  name: "parseSyslog",
  throws: [SyslogError],
  decode: parseSyslog,
  input(random) {
    if (random.chance(0.3)) return randomText(random, SYNTAX, 80);
    const valid = () => {
      const f = fields(random);
      return utf8Encode(random.chance(0.5) ? formatRfc5424(f) : formatBsdSyslog(f));
    };
    return utf8Decode(hostileBytes(random, valid, 8));
  },
  roundTrip(random) {
    const f = fields(random);
    if (random.chance(0.5)) {
      const parsed = parseSyslog(formatRfc5424(f));
      assert.deepEqual(parsed, {
        format: "rfc5424",
        facility: f.facility,
        severity: f.severity,
        timestamp: f.timestamp!.toISOString(),
        hostname: nil(f.hostname),
        appName: nil(f.appName),
        procId: nil(f.procId),
        msgId: nil(f.msgId),
        structuredData: null,
        message: f.message,
      });
    } else {
      // The BSD format's tag has no ':', '[' or ']', and its PID is a number.
      const appName = randomText(random, PRINTABLE.filter((c) => !":[]".includes(c)), 48) || "-";
      const procId = random.chance(0.5) ? String(random.integer(1, 4194304)) : undefined;
      const parsed = parseSyslog(formatBsdSyslog({ ...f, appName, procId }));
      assert.equal(parsed.format, "bsd");
      assert.deepEqual(
        [parsed.facility, parsed.severity, parsed.appName, parsed.procId, parsed.message],
        [f.facility, f.severity, appName, procId ?? null, f.message],
      );
    }
  },
  shapes: {
    "trailing newlines": (n) => `<13>x${"\n".repeat(n)}y`,
    "trailing NULs and newlines": (n) => `<13>x${repeatTo("\0\n", n)}`,
    "one long RFC 5424 field": (n) => `<13>1 ${"a".repeat(n)}`,
    "RFC 5424 fields, no message": (n) => `<13>1 ${repeatTo("a ", n)}`,
    "unclosed structured data": (n) => `<13>1 - - - - - [id ${repeatTo('a="\\"\\]" ', n)}`,
    "many structured data elements": (n) => `<13>1 - - - - - ${repeatTo("[x]", n)}z`,
    "BSD host without a tag": (n) => `<13>Jan  1 00:00:00 ${"h".repeat(n)} `,
    "BSD tag-like words": (n) => `<13>Jan  1 00:00:00 ${repeatTo("a[1] ", n)}`,
  },
});
