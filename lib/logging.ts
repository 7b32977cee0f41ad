/**
 * Logging instead of printing: named loggers, levels, and filtering.
 *
 * A `console.log` line goes wherever stdout goes and cannot be turned down. A log record
 * carries a level (`debug` … `critical`, Python's `logging` levels), a time and the name of
 * the program part that wrote it, so it can be filtered ("only warnings and worse"), formatted
 * and sent to a file, the terminal or the system log by {@linkcode LogHandler}s.
 *
 * @example A logger that shows warnings and worse on stderr
 * ```ts
 * import assert from "node:assert/strict";
 * import { Logger, type LogRecord } from "./logging.ts";
 *
 * const written: LogRecord[] = [];
 * const keep = (record: LogRecord) => void written.push(record); // a script: stderrHandler
 * const log = new Logger("game", { level: "warning", handlers: [keep] });
 * log.debug("tick 41"); // filtered out: below "warning"
 * log.error("player 7 timed out");
 * await log.flush();
 * assert.deepEqual(written.map((record) => record.message), ["player 7 timed out"]);
 * ```
 *
 * @module
 */
import { previewBytes } from "./bytes.ts";
import { UsageError } from "./errors.ts";

/** The level names, least severe first (Python's `DEBUG` … `CRITICAL`). */
export const LOG_LEVELS = ["debug", "info", "warning", "error", "critical"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/**
 * Python's number for a level (`logging.DEBUG` is 10 … `logging.CRITICAL` is 50): a record
 * passes a filter when its number is at least the filter's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { levelNumber } from "./logging.ts";
 * assert.equal(levelNumber("warning"), 30);
 * ```
 */
export function levelNumber(level: LogLevel): number {
  return (LOG_LEVELS.indexOf(level) + 1) * 10;
}

/**
 * Reads a level name as typed on a command line (any case, `warn` for `warning`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLogLevel } from "./logging.ts";
 * assert.equal(parseLogLevel("WARN"), "warning");
 * ```
 *
 * @throws {UsageError} If `text` names no level; the message lists the names.
 */
export function parseLogLevel(text: string): LogLevel {
  const name = text.toLowerCase() === "warn" ? "warning" : text.toLowerCase();
  const level = LOG_LEVELS.find((candidate) => candidate === name);
  if (level === undefined) {
    throw new UsageError(`unknown log level "${text}" (use one of ${LOG_LEVELS.join(", ")})`);
  }
  return level;
}

/** What a logger hands its handlers: one event. */
export interface LogRecord {
  /** When it was logged. */
  time: Date;
  /** The logger's name, e.g. `game`. */
  logger: string;
  /** How severe it is. */
  level: LogLevel;
  /** The text. */
  message: string;
}

/** Delivers records somewhere; may return a promise (a socket send). */
export type LogHandler = (record: LogRecord) => void | Promise<void>;

/**
 * The one-line text form of a record: ISO time, level in capitals, logger name, message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatLogRecord } from "./logging.ts";
 * const line = formatLogRecord({
 *   time: new Date(0),
 *   logger: "game",
 *   level: "info",
 *   message: "started",
 * });
 * assert.equal(line, "1970-01-01T00:00:00.000Z INFO game: started");
 * ```
 */
export function formatLogRecord(record: LogRecord): string {
  return `${record.time.toISOString()} ${record.level.toUpperCase()} ${record.logger}: ${record.message}`;
}

/**
 * A handler that writes each record as one line on stderr, where diagnostics belong (stdout
 * stays free for the program's output).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Logger, stderrHandler } from "./logging.ts";
 * const log = new Logger("demo", { handlers: [stderrHandler] });
 * assert.ok(log.warning("disk almost full")); // on stderr: "… WARNING demo: disk almost full"
 * ```
 */
export function stderrHandler(record: LogRecord): void {
  console.error(formatLogRecord(record));
}

/** Options for a {@linkcode Logger}. */
export interface LoggerOptions {
  /** The least severe level that passes (default `warning`, like Python's root logger). */
  level?: LogLevel;
  /** Where passing records go (default: none). */
  handlers?: LogHandler[];
}

/** A named source of log records with a level filter and a list of handlers. */
export class Logger {
  /** The least severe level that passes the filter; change it at any time. */
  level: LogLevel;
  readonly #handlers: LogHandler[];
  #pending: Promise<void>[] = [];

  /**
   * Creates a logger.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * const log = new Logger("game", { level: "debug" });
   * assert.equal(log.isEnabledFor("debug"), true);
   * ```
   */
  constructor(readonly name: string, options: LoggerOptions = {}) {
    this.level = options.level ?? "warning";
    this.#handlers = [...(options.handlers ?? [])];
  }

  /**
   * Whether a record of `level` would pass the filter.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game", { level: "error" }).isEnabledFor("warning"), false);
   * ```
   */
  isEnabledFor(level: LogLevel): boolean {
    return levelNumber(level) >= levelNumber(this.level);
  }

  /**
   * Logs `message` at `level`; returns whether it passed the filter. Handlers that return
   * a promise are awaited by {@linkcode Logger.flush}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * const seen: string[] = [];
   * const log = new Logger("game", { level: "info", handlers: [(r) => void seen.push(r.message)] });
   * assert.equal(log.log("debug", "hidden"), false);
   * assert.equal(log.log("info", "shown"), true);
   * ```
   */
  log(level: LogLevel, message: string): boolean {
    if (!this.isEnabledFor(level)) return false;
    const record: LogRecord = { time: new Date(), logger: this.name, level, message };
    for (const handler of this.#handlers) {
      const result = handler(record);
      if (result instanceof Promise) this.#pending.push(result);
    }
    return true;
  }

  /**
   * Logs at `debug`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game").debug("tick"), false); // below warning, the default
   * assert.equal(new Logger("game", { level: "debug" }).debug("tick"), true);
   * ```
   */
  debug(message: string): boolean {
    return this.log("debug", message);
  }

  /**
   * Logs at `info`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game").info("player 2 joined"), false); // below warning, the default
   * assert.equal(new Logger("game", { level: "info" }).info("player 2 joined"), true);
   * ```
   */
  info(message: string): boolean {
    return this.log("info", message);
  }

  /**
   * Logs at `warning`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game").warning("unknown player id 12"), true); // passes
   * ```
   */
  warning(message: string): boolean {
    return this.log("warning", message);
  }

  /**
   * Logs at `error`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game").error("lost player 7"), true); // passes: at least warning
   * ```
   */
  error(message: string): boolean {
    return this.log("error", message);
  }

  /**
   * Logs at `critical`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * assert.equal(new Logger("game").critical("out of memory"), true); // passes: at least warning
   * ```
   */
  critical(message: string): boolean {
    return this.log("critical", message);
  }

  /**
   * Waits until every handler's pending work (socket sends) is done; rejects with the first
   * handler error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Logger } from "./logging.ts";
   * const sent: string[] = [];
   * const slowHandler = async (record: { message: string }) => {
   *   await new Promise((resolve) => setTimeout(resolve, 10)); // like a socket send
   *   sent.push(record.message);
   * };
   * const log = new Logger("game", { handlers: [slowHandler] });
   * log.error("bye");
   * await log.flush();
   * assert.deepEqual(sent, ["bye"]);
   * ```
   */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending);
  }
}

/** What a {@linkcode TrafficLog} line reports: the reads since the last line. */
export interface TrafficSummary<Detail> {
  /** How many reads (or datagrams). */
  reads: number;
  /** Their bytes, all together. */
  bytes: number;
  /** The first read's bytes as Python prints them, cut after 64 bytes (`previewBytes`). */
  preview: string;
  /** What the first read came with (for a datagram: its sender). */
  first: Detail;
}

/**
 * Shows what a connection receives without letting the log cost more than the traffic.
 *
 * A log line costs about as much as echoing a small read does, so a line per read would
 * halve a server's speed on a bulk transfer. Here the first read after a quiet spell is
 * logged at once, so a message typed by hand shows up as it arrives; the reads of the
 * next `intervalMs` (default 100 ms) are gathered into one summary line at its end. A
 * bulk transfer thus logs ten lines a second, whatever its speed. Call
 * {@linkcode TrafficLog.flush} when the connection ends, to log what is still gathered.
 *
 * @example One line for a read, one for the burst that follows it
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrafficLog } from "./logging.ts";
 *
 * const lines: string[] = [];
 * const log = new TrafficLog<void>(({ reads, bytes, preview }) => {
 *   lines.push(`${reads} reads, ${bytes} bytes, the first ${preview}`);
 * });
 * log.add(new TextEncoder().encode("hi"));
 * log.add(new Uint8Array(1000));
 * log.add(new Uint8Array(1000));
 * log.flush();
 * assert.deepEqual(lines, [
 *   "1 reads, 2 bytes, the first b'hi'",
 *   `2 reads, 2000 bytes, the first b'${"\\x00".repeat(64)}' … (936 more bytes)`,
 * ]);
 * ```
 */
export class TrafficLog<Detail = void> {
  readonly #write: (summary: TrafficSummary<Detail>) => void;
  readonly #intervalMs: number;
  #pending: TrafficSummary<Detail> | undefined;
  #lastLine = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Creates a log that hands each summary to `write`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TrafficLog } from "./logging.ts";
   *
   * let logged = 0;
   * const log = new TrafficLog(() => logged++, 1000);
   * log.add(new Uint8Array(1));
   * assert.equal(logged, 1);
   * ```
   */
  constructor(write: (summary: TrafficSummary<Detail>) => void, intervalMs = 100) {
    this.#write = write;
    this.#intervalMs = intervalMs;
  }

  /**
   * Notes one read: logs it at once if no line was logged in the last interval, or adds
   * it to the summary that the end of the interval logs. `data` is not kept.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TrafficLog } from "./logging.ts";
   *
   * const senders: string[] = [];
   * const log = new TrafficLog<string>(({ first }) => senders.push(first));
   * log.add(new Uint8Array(8), "127.0.0.1:5000");
   * log.add(new Uint8Array(8), "127.0.0.1:6000"); // gathered
   * log.flush();
   * assert.deepEqual(senders, ["127.0.0.1:5000", "127.0.0.1:6000"]);
   * ```
   */
  add(data: Uint8Array, detail: Detail): void {
    if (this.#pending !== undefined) {
      this.#pending.reads++;
      this.#pending.bytes += data.length;
      return;
    }
    this.#pending = { reads: 1, bytes: data.length, preview: previewBytes(data), first: detail };
    const wait = this.#lastLine + this.#intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.#timer = setTimeout(() => this.flush(), wait);
  }

  /**
   * Logs the gathered summary now, if there is one.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TrafficLog } from "./logging.ts";
   *
   * let logged = 0;
   * const log = new TrafficLog(() => logged++);
   * log.flush(); // nothing gathered: nothing logged
   * assert.equal(logged, 0);
   * ```
   */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const summary = this.#pending;
    if (summary === undefined) return;
    this.#pending = undefined;
    this.#lastLine = performance.now();
    this.#write(summary);
  }
}
