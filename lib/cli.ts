/**
 * Command-line plumbing shared by the lab scripts: flags with `--help`, one-line
 * errors instead of stack traces, and a clean exit on Ctrl-C.
 *
 * A lab script calls {@linkcode parseCommandLine} for its flags and wraps its body in
 * {@linkcode runMain}, so that a mistake (a bad flag, a refused connection, a missing
 * permission) ends with one line on stderr and a non-zero exit code.
 *
 * @example Parse flags and run
 * ```ts
 * import { parseCommandLine, runMain } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "Says hello.",
 *   usage: "hello.ts [--name NAME]",
 *   options: { name: { default: "world", description: "who to greet" } },
 * }, []);
 * await runMain(() => console.log(`hello, ${values.name}`));
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { describeError, UsageError } from "./errors.ts";
import { TODO_NOTE, TodoError } from "./todo.ts";

// Scripts import the errors from here, with the rest of the command-line helpers.
export { describeError, UsageError };

/** One flag of a script: `--name VALUE`, or `--name` alone when `type` is `"boolean"`. */
export interface OptionSpec {
  /** `"string"` (the default) takes a value; `"boolean"` is a switch. */
  type?: "string" | "boolean";
  /** The value used when the flag is not given. */
  default?: string;
  /** One line for `--help`. */
  description: string;
  /** How `--help` names the value (default: the flag's name in capitals), e.g. `MS`. */
  valueName?: string;
}

/** What a script accepts and how `--help` describes it. */
export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  /** One sentence: what the script does. */
  summary: string;
  /** The synopsis shown after `usage:`. */
  usage: string;
  /** The flags, by long name (without `--`). */
  options: Options;
  /** Whether words that are not flags are allowed (a message to send, values to pack). */
  positionals?: boolean;
}

/** Parsed flag values: strings for value flags, booleans for switches. */
export type OptionValues<Options extends Record<string, OptionSpec>> = {
  [Name in keyof Options]: Options[Name]["type"] extends "boolean" ? boolean
    : Options[Name]["default"] extends string ? string
    : string | undefined;
};

/** The result of {@linkcode parseCommandLine}. */
export interface ParsedCommandLine<Options extends Record<string, OptionSpec>> {
  /** Flag values by name. */
  values: OptionValues<Options>;
  /** The words that are not flags, in order. */
  positionals: string[];
}

/**
 * Parses `args` against `spec`. `--help` (or `-h`) prints the help text and exits 0;
 * an unknown flag, a missing value or an unexpected word exits 2 with one line.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "Shows a port.",
 *   usage: "show.ts [--port PORT]",
 *   options: { port: { default: "65432", description: "TCP port" } },
 * }, ["--port", "8080"]);
 * console.log(values.port); // "8080"
 * ```
 */
export function parseCommandLine<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  args: string[] = Deno.args,
): ParsedCommandLine<Options> {
  const parserOptions: Record<string, { type: "string" | "boolean"; default?: string }> = {
    help: { type: "boolean" },
  };
  for (const [name, option] of Object.entries(spec.options)) {
    parserOptions[name] = option.type === "boolean"
      ? { type: "boolean" }
      : { type: "string", default: option.default };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: parserOptions,
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
  } catch (error) {
    exitWithUsageError(spec, readableParseError(error));
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    Deno.exit(0);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.type === "boolean") parsed.values[name] ??= false;
  }
  return {
    values: parsed.values as OptionValues<Options>,
    positionals: parsed.positionals,
  };
}

/**
 * The `--help` text of a script: summary, usage and one line per flag.
 *
 * @example
 * ```ts
 * import { helpText } from "./cli.ts";
 * console.log(helpText({
 *   summary: "Echoes.",
 *   usage: "echo.ts",
 *   options: { port: { default: "7", description: "port" } },
 * }));
 * ```
 */
export function helpText(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const valueName = option.valueName ?? name.toUpperCase();
    const flag = option.type === "boolean" ? `--${name}` : `--${name} ${valueName}`;
    const fallback = option.default === undefined ? "" : ` (default: ${option.default})`;
    return [flag, `${option.description}${fallback}`];
  });
  rows.push(["-h, --help", "show this help and exit"]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
  return [spec.summary, "", `usage: ${spec.usage}`, "", "options:", ...lines].join("\n");
}

function exitWithUsageError(
  spec: CommandSpec<Record<string, OptionSpec>>,
  message: string,
): never {
  console.error(`error: ${message} (usage: ${spec.usage}; see --help)`);
  Deno.exit(2);
}

// node:util's messages are long and mention `parseArgs`; keep only what the user typed.
function readableParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = message.match(/Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/);
  if (missing) return `option ${missing[1]} needs a value`;
  const unexpected = message.match(/Unexpected argument '([^']+)'/);
  if (unexpected) return `unexpected argument '${unexpected[1]}'`;
  return message.split("\n")[0];
}

/**
 * `--host` and `--port`, both with a default, as most lab scripts take them. (A type
 * alias, not an interface, so that it fits `Record<string, OptionSpec>`.)
 */
export type EndpointOptions = {
  /** The host name or address flag. */
  host: OptionSpec & { default: string };
  /** The port number flag. */
  port: OptionSpec & { default: string };
};

/**
 * The `--host` and `--port` flags of a server: where it listens. Port 0 lets the system
 * pick a free port, which the server then prints.
 *
 * @example
 * ```ts
 * import { listenOptions, parseCommandLine } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A server.",
 *   usage: "server.ts [--host HOST] [--port PORT]",
 *   options: listenOptions("TCP", "65432"),
 * }, []);
 * console.log(values.host, values.port); // 127.0.0.1 65432
 * ```
 */
export function listenOptions(transport: "TCP" | "UDP", defaultPort: string): EndpointOptions {
  return {
    host: { default: "127.0.0.1", description: "address to listen on" },
    port: {
      default: defaultPort,
      description: `${transport} port to listen on (0 = any free port)`,
    },
  };
}

/**
 * The `--host` and `--port` flags of a client: where its server (`peer`) is.
 *
 * @example
 * ```ts
 * import { parseCommandLine, peerOptions } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A client.",
 *   usage: "client.ts [--host HOST] [--port PORT]",
 *   options: peerOptions("echo server", "TCP", "65432"),
 * }, ["--port", "8080"]);
 * console.log(values.port); // 8080
 * ```
 */
export function peerOptions(
  peer: string,
  transport: "TCP" | "UDP",
  defaultPort: string,
): EndpointOptions {
  return {
    host: { default: "127.0.0.1", description: `address of the ${peer}` },
    port: { default: defaultPort, description: `${transport} port of the ${peer}` },
  };
}

/**
 * `--bind`: the local address a UDP client sends from. Loopback by default, like the
 * scripts' `--allow-net`; `0.0.0.0` lets it reach other hosts.
 *
 * @example
 * ```ts
 * import { bindOption, parseCommandLine } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A UDP client.",
 *   usage: "client.ts [--bind ADDRESS]",
 *   options: { bind: bindOption },
 * }, []);
 * console.log(values.bind); // 127.0.0.1
 * ```
 */
export const bindOption: OptionSpec & { default: string } = {
  default: "127.0.0.1",
  valueName: "ADDRESS",
  description: "local address to send from (0.0.0.0 reaches other hosts)",
};

/**
 * Reads a `--port` value: a whole number from 0 to 65535, where 0 asks the system for
 * any free port. Throws a {@linkcode UsageError} otherwise.
 *
 * @example
 * ```ts
 * import { parsePort } from "./cli.ts";
 * console.log(parsePort("65432")); // 65432
 * ```
 */
export function parsePort(text: string, flag = "--port"): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`${flag} must be a whole number from 0 to 65535 (got "${text}")`);
  }
  return port;
}

/**
 * Reads a positive number of milliseconds for a timeout or interval flag.
 *
 * @example
 * ```ts
 * import { parseMilliseconds } from "./cli.ts";
 * console.log(parseMilliseconds("2000", "--timeout")); // 2000
 * ```
 */
export function parseMilliseconds(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0)) {
    throw new UsageError(`${flag} must be a positive number of milliseconds (got "${text}")`);
  }
  return value;
}

/**
 * Reads a whole number of things (moves, ticks, a seed) from a flag: digits only, at
 * least `min`. Throws a {@linkcode UsageError} otherwise.
 *
 * @example
 * ```ts
 * import { parseCount } from "./cli.ts";
 * console.log(parseCount("20", "--moves")); // 20
 * console.log(parseCount("0", "--seed", 0)); // 0
 * ```
 */
export function parseCount(text: string, flag: string, min = 1): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min)) {
    throw new UsageError(`${flag} must be a whole number from ${min} up (got "${text}")`);
  }
  return value;
}

/**
 * Reads a probability from a flag, written as a fraction (`0.3`) or a percentage
 * (`30%`); the result is from 0 to 1. Throws a {@linkcode UsageError} otherwise.
 *
 * @example
 * ```ts
 * import { parseProbability } from "./cli.ts";
 * console.log(parseProbability("0.3", "--loss")); // 0.3
 * console.log(parseProbability("5%", "--loss")); // 0.05
 * ```
 */
export function parseProbability(text: string, flag: string): number {
  const match = text.match(/^(\d+(?:\.\d+)?)(%?)$/);
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new UsageError(
      `${flag} must be a probability from 0 to 1, or 0% to 100% (got "${text}")`,
    );
  }
  return value;
}

/** Options for {@linkcode runMain}. */
export interface RunOptions {
  /**
   * Other error classes that mean "the user typed something wrong" (exit code 2), such
   * as `StructError` for a script whose format and values come from the command line.
   */
  usageErrors?: (new (...args: never[]) => Error)[];
}

/**
 * Runs a script's body. Any error, thrown or left unhandled in a promise, ends the
 * program with one `error: …` line on stderr (no stack trace) and exit code 1, or 2 for
 * a {@linkcode UsageError}. A starter's unwritten step (a `TodoError` from `todo.ts`)
 * gets a second line saying so: it is not the one clear line of a finished script, and
 * the checks that want that line keep failing until the step is written.
 *
 * @example
 * ```ts
 * import { runMain } from "./cli.ts";
 * await runMain(async () => {
 *   console.log("work happens here");
 * });
 * ```
 */
export async function runMain(
  main: () => void | Promise<void>,
  options: RunOptions = {},
): Promise<void> {
  const usageErrors = [UsageError, ...options.usageErrors ?? []];
  const fail = (error: unknown): never => {
    console.error(`error: ${describeError(error)}`);
    if (error instanceof TodoError) console.error(TODO_NOTE);
    Deno.exit(usageErrors.some((kind) => error instanceof kind) ? 2 : 1);
  };
  // A forgotten promise must not print a stack trace either.
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    fail(event.reason);
  });
  try {
    await main();
  } catch (error) {
    fail(error);
  }
}

/**
 * Calls `stop` once on Ctrl-C (SIGINT) or SIGTERM, then exits with code 0, so a
 * server closes its socket and ends quietly instead of being killed mid-write.
 *
 * @example
 * ```ts ignore
 * import { exitOnSignal } from "./cli.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * exitOnSignal(() => listener.close());
 * ```
 */
export function exitOnSignal(stop: () => void): void {
  const handler = () => {
    console.log("shutting down");
    stop();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, handler);
  }
}
