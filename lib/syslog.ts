/**
 * Syslog messages: writing them in the two formats daemons read, and reading them back.
 *
 * A syslog message starts with its priority in angle brackets: `facility * 8 + severity`
 * (`<12>` is facility 1, `user`, severity 4, `warning`). What follows depends on the format:
 *
 * - **RFC 5424**, the current standard, for messages sent over the network:
 *   `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG`, with `-` for a
 *   field that has no value.
 * - **The BSD format** (RFC 3164) that the C library's `syslog()` writes to `/dev/log`:
 *   `<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG`. Local daemons (rsyslog, journald) parse it by
 *   default; Python's `SysLogHandler` sends just `<PRI>MSG` followed by a NUL byte.
 * - **The BSD layout as relays send it**: a HOSTNAME after the timestamp
 *   (`<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`, rsyslog's traditional forward format);
 *   an RFC 3339 timestamp in its place (`<PRI>2025-11-03T09:05:07+01:00 HOST TAG: MSG`,
 *   rsyslog's forward format); and a TAG without its colon (rsyslog writes the APP-NAME
 *   of an RFC 5424 message that way).
 *
 * {@linkcode parseSyslog} reads all of them.
 *
 * @example Format a warning and read it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRfc5424, parseSyslog } from "./syslog.ts";
 *
 * const line = formatRfc5424({
 *   severity: 4,
 *   timestamp: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
 *   hostname: "pi",
 *   appName: "game",
 *   procId: "42",
 *   message: "unknown player id 12",
 * });
 * assert.equal(line, "<12>1 2025-01-02T03:04:05.000Z pi game 42 - - unknown player id 12");
 * assert.equal(parseSyslog(line).severity, 4);
 * ```
 *
 * @module
 */
import { withoutTrailing } from "./bytes.ts";
import type { LogLevel } from "./logging.ts";

/** Severity names by number (0 = `emerg` … 7 = `debug`), as RFC 5424 numbers them. */
export const SEVERITIES = [
  "emerg",
  "alert",
  "crit",
  "err",
  "warning",
  "notice",
  "info",
  "debug",
] as const;

/** Facility names by number (0 = `kern`, 1 = `user`, … 16-23 = `local0`-`local7`). */
export const FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "audit",
  "alert",
  "clock",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
] as const;

/** The facility programs use unless told otherwise (`user`, like Python and `logger`). */
const USER_FACILITY = 1;

/**
 * The syslog severity of a log level, as Python's `SysLogHandler` maps them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { severityOf, SEVERITIES } from "./syslog.ts";
 * assert.equal(SEVERITIES[severityOf("warning")], "warning");
 * assert.equal(severityOf("error"), 3);
 * ```
 */
export function severityOf(level: LogLevel): number {
  return { debug: 7, info: 6, warning: 4, error: 3, critical: 2 }[level];
}

/** The fields of a syslog message; only `severity` and `message` are required to format one. */
export interface SyslogFields {
  /** 0..23 (default 1, `user`). */
  facility?: number;
  /** 0..7, see {@linkcode SEVERITIES}. */
  severity: number;
  /** When it happened (default: now). */
  timestamp?: Date;
  /** The sending machine (RFC 5424 only; default `-`). */
  hostname?: string;
  /** The program, e.g. `game` (the BSD format's TAG). */
  appName?: string;
  /** The process id. */
  procId?: string;
  /** A message type (RFC 5424 only). */
  msgId?: string;
  /** The text. */
  message: string;
}

/** A message read by {@linkcode parseSyslog}: every field, `null` where it had none. */
export interface SyslogMessage {
  /** Which form it was in: `rfc5424`, `bsd` (timestamp and tag) or `bare` (`<PRI>` + text). */
  format: "rfc5424" | "bsd" | "bare";
  /** 0..23. */
  facility: number;
  /** 0..7. */
  severity: number;
  /** The timestamp exactly as written, or `null`. */
  timestamp: string | null;
  /** The sending machine, or `null`. */
  hostname: string | null;
  /** The program (the BSD TAG), or `null`. */
  appName: string | null;
  /** The process id, or `null`. */
  procId: string | null;
  /** The message type, or `null`. */
  msgId: string | null;
  /** RFC 5424 structured data as written (`[id key="value"]…`), or `null`. */
  structuredData: string | null;
  /** The text, without a trailing NUL or newline. */
  message: string;
}

/** A datagram that is not a syslog message; the message says what is wrong with it. */
export class SyslogError extends Error {
  /**
   * Creates the error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { parseSyslog, SyslogError } from "./syslog.ts";
   * assert.equal(new SyslogError("no <PRI> at the start").name, "SyslogError");
   * assert.throws(() => parseSyslog("not syslog at all"), SyslogError);
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "SyslogError";
  }
}

function priority(fields: SyslogFields): string {
  const facility = fields.facility ?? USER_FACILITY;
  if (!Number.isInteger(facility) || facility < 0 || facility >= FACILITIES.length) {
    throw new RangeError(`facility must be 0..23, got ${facility}`);
  }
  if (!Number.isInteger(fields.severity) || fields.severity < 0 || fields.severity > 7) {
    throw new RangeError(`severity must be 0..7, got ${fields.severity}`);
  }
  return `<${facility * 8 + fields.severity}>`;
}

/** An RFC 5424 header field: printable ASCII without spaces, at most `max` long, or `-`. */
function headerField(value: string | undefined, max: number): string {
  if (value === undefined || value === "") return "-";
  return value.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
}

/**
 * Formats an RFC 5424 message (no structured data).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRfc5424 } from "./syslog.ts";
 * assert.equal(
 *   formatRfc5424({ severity: 3, timestamp: new Date(0), appName: "game", message: "oops" }),
 *   "<11>1 1970-01-01T00:00:00.000Z - game - - - oops",
 * );
 * ```
 *
 * @throws {RangeError} If the facility or severity is out of range.
 */
export function formatRfc5424(fields: SyslogFields): string {
  const header = [
    `${priority(fields)}1`,
    (fields.timestamp ?? new Date()).toISOString(),
    headerField(fields.hostname, 255),
    headerField(fields.appName, 48),
    headerField(fields.procId, 128),
    headerField(fields.msgId, 32),
    "-",
  ];
  return `${header.join(" ")} ${fields.message}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Formats a message the way the C library's `syslog()` writes it to `/dev/log`:
 * `<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG`, local time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBsdSyslog } from "./syslog.ts";
 * const line = formatBsdSyslog({
 *   severity: 6,
 *   timestamp: new Date(2025, 10, 3, 9, 5, 7),
 *   appName: "game",
 *   procId: "42",
 *   message: "hello",
 * });
 * assert.equal(line, "<14>Nov  3 09:05:07 game[42]: hello");
 * ```
 *
 * @throws {RangeError} If the facility or severity is out of range.
 */
export function formatBsdSyslog(fields: SyslogFields): string {
  const time = fields.timestamp ?? new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = `${MONTHS[time.getMonth()]} ${String(time.getDate()).padStart(2, " ")} ` +
    `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`;
  const tag = (fields.appName ?? "-").replace(/[^\x21-\x7e]|[:[\]]/g, "_").slice(0, 48);
  const pid = fields.procId ? `[${fields.procId}]` : "";
  return `${priority(fields)}${stamp} ${tag}${pid}: ${fields.message}`;
}

const PRI = /^<(\d{1,3})>/;
const RFC5424_HEADER = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
// `Mmm dd hh:mm:ss` (RFC 3164), or an RFC 3339 timestamp in its place (rsyslog's forward format).
const BSD_STAMP =
  /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) /;
const TAG = String.raw`([^\s:[\]]{1,48})`;
const PID = String.raw`\[([^\]\s]{1,128})\]`;
const HOST = String.raw`([^\s[\]]*[^\s:[\]])`; // no brackets, and not ending in a colon
/** The ways a BSD header goes on after its timestamp, tried in this order. */
const BSD_HEADERS = [
  // TAG[PID]: or TAG: and no hostname, as the C library writes to /dev/log.
  { pattern: new RegExp(`^${TAG}(?:${PID})?:(?: |$)`), hasHost: false },
  // HOSTNAME TAG[PID]: as relays send it; the tag may lack its colon. When a message has
  // no hostname and a tag without a colon, its first word is read as the hostname, as
  // rsyslog reads it: the two cannot be told apart.
  { pattern: new RegExp(`^${HOST} ${TAG}(?:${PID})?:?(?: |$)`), hasHost: true },
  // TAG[PID] without a colon and no hostname (a hostname has no brackets).
  { pattern: new RegExp(`^${TAG}${PID}(?: |$)`), hasHost: false },
];
const nil = (field: string) => field === "-" ? null : field;

/**
 * Reads a syslog message in any of the forms described in the module documentation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSyslog } from "./syslog.ts";
 * const python = parseSyslog("<12>player 3 is idle\u0000"); // what Python's SysLogHandler sends
 * assert.equal(python.format, "bare");
 * assert.equal(python.severity, 4);
 * assert.equal(parseSyslog("<14>Nov  3 09:05:07 game[42]: hello").appName, "game");
 * ```
 *
 * @example As rsyslog relays an RFC 5424 message in its forward format
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSyslog } from "./syslog.ts";
 * const relayed = parseSyslog("<13>2025-11-03T09:05:07.61+01:00 pi game player 3 joined");
 * assert.equal(relayed.hostname, "pi");
 * assert.equal(relayed.appName, "game"); // a tag without its colon
 * assert.equal(relayed.message, "player 3 joined");
 * ```
 *
 * @throws {SyslogError} If the text does not start with a valid `<PRI>`, or an RFC 5424
 * header or its structured data is malformed.
 */
export function parseSyslog(text: string): SyslogMessage {
  const pri = PRI.exec(text);
  if (!pri) {
    // JSON escapes control characters: the text came from the network.
    throw new SyslogError(`no <PRI> at the start of ${JSON.stringify(text.slice(0, 20))}`);
  }
  const value = Number(pri[1]);
  if (value > 191) throw new SyslogError(`priority ${value} is above 191`);
  const base = { facility: Math.floor(value / 8), severity: value % 8 };
  // Not /[\0\n]+$/: retried from every newline, a datagram of them took seconds.
  const rest = withoutTrailing(text.slice(pri[0].length), "\0\n");
  if (rest.startsWith("1 ")) return parseRfc5424(rest, base);
  const result: SyslogMessage = {
    format: "bare",
    ...base,
    timestamp: null,
    hostname: null,
    appName: null,
    procId: null,
    msgId: null,
    structuredData: null,
    message: rest,
  };
  const stamp = BSD_STAMP.exec(rest);
  if (stamp) {
    result.format = "bsd";
    result.timestamp = stamp[1];
    result.message = rest.slice(stamp[0].length);
    for (const { pattern, hasHost } of BSD_HEADERS) {
      const header = pattern.exec(result.message);
      if (!header) continue;
      const [hostname, appName, procId] = hasHost ? header.slice(1) : [null, ...header.slice(1)];
      Object.assign(result, { hostname, appName, procId: procId ?? null });
      result.message = result.message.slice(header[0].length);
      break;
    }
  }
  return result;
}

function parseRfc5424(
  rest: string,
  base: { facility: number; severity: number },
): SyslogMessage {
  const header = RFC5424_HEADER.exec(rest);
  if (!header) throw new SyslogError("RFC 5424 header needs 6 fields after the version");
  const [, timestamp, hostname, appName, procId, msgId] = header;
  const afterHeader = rest.slice(header[0].length);
  const sdLength = structuredDataLength(afterHeader);
  const structuredData = afterHeader.slice(0, sdLength);
  let message = afterHeader.slice(sdLength);
  if (message !== "" && !message.startsWith(" ")) {
    throw new SyslogError("RFC 5424 structured data must be followed by a space");
  }
  message = message.slice(1).replace(/^\uFEFF/, ""); // a UTF-8 message may start with a BOM
  return {
    format: "rfc5424",
    ...base,
    timestamp: nil(timestamp),
    hostname: nil(hostname),
    appName: nil(appName),
    procId: nil(procId),
    msgId: nil(msgId),
    structuredData: nil(structuredData),
    message,
  };
}

/** The length of the structured data at the start of `text`: `-` or `[…]` elements. */
function structuredDataLength(text: string): number {
  if (text.startsWith("-")) return 1;
  let i = 0;
  while (text[i] === "[") {
    i++;
    let inValue = false;
    for (; i < text.length && (inValue || text[i] !== "]"); i++) {
      if (text[i] === "\\" && inValue) i++; // \" \\ \] inside a value
      else if (text[i] === '"') inValue = !inValue;
    }
    if (i >= text.length) throw new SyslogError("RFC 5424 structured data is not closed");
    i++;
  }
  if (i === 0) throw new SyslogError('RFC 5424 structured data must be "-" or "[…]"');
  return i;
}
