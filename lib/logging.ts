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
 * import { Logger, stderrHandler } from "./logging.ts";
 *
 * const log = new Logger("game", { level: "warning", handlers: [stderrHandler] });
 * log.debug("tick 41"); // filtered out: below "warning"
 * log.error("player 7 timed out"); // written to stderr
 * await log.flush();
 * ```
 *
 * @module
 */
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
 * import { levelNumber } from "./logging.ts";
 * levelNumber("warning"); // 30
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
 * import { parseLogLevel } from "./logging.ts";
 * parseLogLevel("WARN"); // "warning"
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
 * import { formatLogRecord } from "./logging.ts";
 * formatLogRecord({
 *   time: new Date(0),
 *   logger: "game",
 *   level: "info",
 *   message: "started",
 * }); // "1970-01-01T00:00:00.000Z INFO game: started"
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
 * import { Logger, stderrHandler } from "./logging.ts";
 * new Logger("demo", { handlers: [stderrHandler] }).warning("disk almost full");
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
   * import { Logger } from "./logging.ts";
   * const log = new Logger("game", { level: "debug" });
   * log.isEnabledFor("debug"); // true
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
   * import { Logger } from "./logging.ts";
   * new Logger("game", { level: "error" }).isEnabledFor("warning"); // false
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
   * import { Logger } from "./logging.ts";
   * const seen: string[] = [];
   * const log = new Logger("game", { level: "info", handlers: [(r) => void seen.push(r.message)] });
   * log.log("debug", "hidden"); // false
   * log.log("info", "shown"); // true
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
   * import { Logger } from "./logging.ts";
   * new Logger("game").debug("tick");
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
   * import { Logger } from "./logging.ts";
   * new Logger("game").info("player 2 joined");
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
   * import { Logger } from "./logging.ts";
   * new Logger("game").warning("unknown player id 12");
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
   * import { Logger } from "./logging.ts";
   * new Logger("game").error("lost player 7");
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
   * import { Logger } from "./logging.ts";
   * new Logger("game").critical("out of memory");
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
   * import { Logger } from "./logging.ts";
   * const log = new Logger("game", { handlers: [async () => {}] });
   * log.error("bye");
   * await log.flush();
   * ```
   */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending);
  }
}
