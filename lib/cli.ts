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
 * import assert from "node:assert/strict";
 * import { parseCommandLine, runMain } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "Says hello.",
 *   options: { name: { default: "world", description: "who to greet" } },
 * }, ["--name", "Ada"]); // a script leaves this out: Deno.args
 * await runMain(() => assert.equal(`hello, ${values.name}`, "hello, Ada"));
 * ```
 *
 * @module
 */
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

/**
 * What a script accepts and how `--help` describes it. The usage line is built from
 * these (see {@linkcode usageLine}): only the words that are not flags are written by
 * hand, in `arguments`.
 */
export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  /** One sentence: what the script does. */
  summary: string;
  /** How the usage line names the program (default: the main module's file name). */
  name?: string;
  /** The flags, by long name (without `--`). */
  options: Options;
  /**
   * The words that are not flags, as the usage line shows them (`MESSAGE...`, `[FILE]`,
   * `[-- VALUE...]`). Without it, such words are an error.
   */
  arguments?: string;
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
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "./cli.ts";
 *
 * const { values, positionals } = parseCommandLine({
 *   summary: "Sends a message.",
 *   options: {
 *     port: { default: "65432", description: "TCP port" },
 *     json: { type: "boolean", description: "print JSON" },
 *   },
 *   arguments: "[MESSAGE...]",
 * }, ["--port", "8080", "hello", "there"]);
 * assert.equal(values.port, "8080");
 * assert.equal(values.json, false);
 * assert.deepEqual(positionals, ["hello", "there"]);
 * ```
 */
export function parseCommandLine<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  args: string[] = Deno.args,
): ParsedCommandLine<Options> {
  let parsed;
  try {
    parsed = splitArguments(args, spec);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    exitWithUsageError(spec, error.message);
  }
  const { help, ...values } = parsed.values;
  if (help) {
    console.log(helpText(spec));
    Deno.exit(0);
  }
  return {
    values: values as OptionValues<Options>,
    positionals: parsed.positionals,
  };
}

/**
 * The `--help` text of a script: summary, usage and one line per flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "./cli.ts";
 *
 * assert.equal(
 *   helpText({
 *     summary: "Echoes.",
 *     name: "echo.ts",
 *     options: { port: { default: "7", description: "port" } },
 *   }),
 *   `Echoes.
 *
 * usage: echo.ts [--port PORT]
 *
 * options:
 *   --port PORT  port (default: 7)
 *   -h, --help   show this help and exit`,
 * );
 * ```
 */
export function helpText(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const fallback = option.default === undefined ? "" : ` (default: ${option.default})`;
    return [flagSynopsis(name, option), `${option.description}${fallback}`];
  });
  rows.push(["-h, --help", "show this help and exit"]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
  return [spec.summary, "", `usage: ${usageLine(spec)}`, "", "options:", ...lines].join("\n");
}

/**
 * The synopsis after `usage:`, built from the spec so that it names every flag: the
 * program's name, each flag in brackets (with its value name), then `arguments`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usageLine } from "./cli.ts";
 *
 * const usage = usageLine({
 *   summary: "Sends a message.",
 *   name: "send.ts",
 *   options: {
 *     port: { default: "514", description: "UDP port" },
 *     local: { type: "boolean", description: "use the local log" },
 *   },
 *   arguments: "MESSAGE...",
 * });
 * assert.equal(usage, "send.ts [--port PORT] [--local] MESSAGE...");
 * ```
 */
export function usageLine(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const name = spec.name ?? new URL(Deno.mainModule).pathname.split("/").at(-1)!;
  const flags = Object.entries(spec.options).map(([flag, option]) =>
    `[${flagSynopsis(flag, option)}]`
  );
  return [name, ...flags, ...spec.arguments ? [spec.arguments] : []].join(" ");
}

// `--name VALUE`, or `--name` alone for a switch.
function flagSynopsis(name: string, option: OptionSpec): string {
  const valueName = option.valueName ?? name.toUpperCase();
  return option.type === "boolean" ? `--${name}` : `--${name} ${valueName}`;
}

function exitWithUsageError(
  spec: CommandSpec<Record<string, OptionSpec>>,
  message: string,
): never {
  console.error(`error: ${message} (usage: ${usageLine(spec)}; see --help)`);
  Deno.exit(2);
}

/**
 * Splits `args` into flag values and other words, with the rules of `node:util`'s
 * `parseArgs` in strict mode (`--name VALUE`, `--name=VALUE`, `--` ends the flags), but
 * its own one-line messages; `-h` is `--help`. A word that is a negative number is a
 * value, not a flag: the value of the flag before it (`--port -1`, which the flag's own
 * check then rejects in the usual words), or a word of its own (`pack.ts h -5`). Written
 * here because importing `node:util` loads Node's compatibility layer: 5 MiB and a tenth
 * of a second for every script.
 */
function splitArguments(
  args: string[],
  spec: CommandSpec<Record<string, OptionSpec>>,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const values: Record<string, string | boolean | undefined> = { help: false };
  for (const [name, option] of Object.entries(spec.options)) {
    values[name] = option.type === "boolean" ? false : option.default;
  }
  const positionals: string[] = [];
  const positional = (word: string) => {
    if (spec.arguments === undefined) throw new UsageError(`unexpected argument '${word}'`);
    positionals.push(word);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] === "-h" ? "--help" : args[i];
    if (arg === "--") {
      args.slice(i + 1).forEach(positional);
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || isNegativeNumber(arg)) {
      positional(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const name = flag.slice(2);
    if (!flag.startsWith("--") || !Object.hasOwn(values, name)) {
      throw new UsageError(`unknown option ${flag}`);
    }
    if (name === "help" || spec.options[name].type === "boolean") {
      if (equals !== -1) throw new UsageError(`option ${flag} takes no value`);
      values[name] = true;
    } else if (equals !== -1) {
      values[name] = arg.slice(equals + 1);
    } else {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
      if (value.length > 1 && value.startsWith("-") && !isNegativeNumber(value)) {
        throw new UsageError(
          `option ${flag} needs a value (for one that starts with "-", write ${flag}=${value})`,
        );
      }
      values[name] = value;
    }
  }
  return { values, positionals };
}

/** `-1`, `-0.5`, `-.5`: a word that reads as a negative number. */
function isNegativeNumber(word: string): boolean {
  return /^-(\d|\.\d)/.test(word);
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
 * import assert from "node:assert/strict";
 * import { listenOptions, parseCommandLine } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A server.",
 *   options: listenOptions("TCP", "65432"),
 * }, []);
 * assert.equal(values.host, "127.0.0.1");
 * assert.equal(values.port, "65432");
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
 * import assert from "node:assert/strict";
 * import { parseCommandLine, peerOptions } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A client.",
 *   options: peerOptions("echo server", "TCP", "65432"),
 * }, ["--port", "8080"]);
 * assert.equal(values.host, "127.0.0.1");
 * assert.equal(values.port, "8080");
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
 * import assert from "node:assert/strict";
 * import { bindOption, parseCommandLine } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A UDP client.",
 *   options: { bind: bindOption },
 * }, []);
 * assert.equal(values.bind, "127.0.0.1");
 * ```
 */
export const bindOption: OptionSpec & { default: string } = {
  default: "127.0.0.1",
  valueName: "ADDRESS",
  description: "local address to send from (0.0.0.0 reaches other hosts)",
};

/**
 * Reads a `--port` value: a whole number from 0 to 65535, where 0 asks the system for
 * any free port.
 *
 * @throws {UsageError} For any other text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePort, UsageError } from "./cli.ts";
 *
 * assert.equal(parsePort("65432"), 65432);
 * assert.throws(() => parsePort("70000"), UsageError);
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
 * The longest delay a timer takes, in milliseconds (2^31 − 1, about 24.8 days): a longer
 * `setTimeout` fires at once, with a TimeoutOverflowWarning. Duration flags stop here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_DELAY_MS } from "./cli.ts";
 *
 * assert.equal(MAX_DELAY_MS, 2147483647);
 * ```
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Reads a positive number of milliseconds for a timeout or interval flag, at most
 * {@linkcode MAX_DELAY_MS}.
 *
 * @throws {UsageError} For any other text: zero, negative, too long, not a number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMilliseconds, UsageError } from "./cli.ts";
 *
 * assert.equal(parseMilliseconds("2000", "--timeout"), 2000);
 * assert.throws(() => parseMilliseconds("0", "--timeout"), UsageError);
 * assert.throws(() => parseMilliseconds("-1", "--timeout"), /positive number of milliseconds/);
 * ```
 */
export function parseMilliseconds(text: string, flag: string): number {
  const value = /^\d{1,10}(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0 && value <= MAX_DELAY_MS)) {
    throw new UsageError(
      `${flag} must be a positive number of milliseconds up to ${MAX_DELAY_MS} (got "${text}")`,
    );
  }
  return value;
}

/**
 * Reads a whole number of things (moves, ticks, a seed) from a flag: digits only, from
 * `min` to `max` (default: the largest whole number a double holds exactly).
 *
 * @throws {UsageError} For any other text, negative numbers included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCount, UsageError } from "./cli.ts";
 *
 * assert.equal(parseCount("20", "--moves"), 20);
 * assert.equal(parseCount("0", "--seed", 0), 0);
 * assert.throws(() => parseCount("0", "--moves"), UsageError);
 * assert.throws(() => parseCount("-1", "--count", 0), /from 0 up \(got "-1"\)/);
 * assert.throws(() => parseCount("9", "--workers", 1, 8), /from 1 to 8 \(got "9"\)/);
 * ```
 */
export function parseCount(
  text: string,
  flag: string,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be a whole number ${range} (got "${text}")`);
  }
  return value;
}

/** How long a TCP server waits, by default, on a connection where nothing happens. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * `--idle-timeout MS`, the flag of every TCP server: how long a connection may sit with
 * nothing received or sent (or a message take to arrive) before the server closes it;
 * 0 turns it off. Read it with {@linkcode parseIdleTimeout}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idleTimeoutOption, parseCommandLine, parseIdleTimeout } from "./cli.ts";
 *
 * const { values } = parseCommandLine({
 *   summary: "A server.",
 *   options: idleTimeoutOption(),
 * }, ["--idle-timeout", "500"]);
 * assert.equal(parseIdleTimeout(values["idle-timeout"]), 500);
 * ```
 */
export function idleTimeoutOption(
  defaultMs = DEFAULT_IDLE_TIMEOUT_MS,
): { "idle-timeout": OptionSpec & { default: string } } {
  return {
    "idle-timeout": {
      default: String(defaultMs),
      valueName: "MS",
      description: "close a connection that sends nothing for MS ms (0 = never)",
    },
  };
}

/**
 * Reads an `--idle-timeout` value: whole milliseconds from 0 (no timeout) to
 * {@linkcode MAX_DELAY_MS}.
 *
 * @throws {UsageError} For any other text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIdleTimeout } from "./cli.ts";
 * assert.equal(parseIdleTimeout("0"), 0);
 * assert.throws(() => parseIdleTimeout("-1"), /--idle-timeout must be a whole number/);
 * ```
 */
export function parseIdleTimeout(text: string, flag = "--idle-timeout"): number {
  return parseCount(text, flag, 0, MAX_DELAY_MS);
}

/**
 * Reads a probability from a flag, written as a fraction (`0.3`) or a percentage
 * (`30%`); the result is from 0 to 1.
 *
 * @throws {UsageError} For any other text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProbability } from "./cli.ts";
 *
 * assert.equal(parseProbability("0.3", "--loss"), 0.3);
 * assert.equal(parseProbability("5%", "--loss"), 0.05);
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
 * import assert from "node:assert/strict";
 * import { runMain } from "./cli.ts";
 *
 * let ran = false;
 * await runMain(async () => {
 *   ran = true; // the script's work; a throw here would end it with one line
 * });
 * assert.ok(ran);
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
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // A program of its own, since the handler ends the process it runs in.
 * const program = `import { exitOnSignal } from "${import.meta.resolve("./cli.ts")}";
 *   exitOnSignal(() => console.log("listener closed"));
 *   setTimeout(() => {}, 10_000); // a server would be serving here
 *   Deno.kill(Deno.pid, "SIGTERM");`;
 * const { code, stdout } = await new Deno.Command(Deno.execPath(), {
 *   args: ["eval", "--no-config", program],
 * }).output();
 * assert.equal(code, 0);
 * assert.equal(new TextDecoder().decode(stdout), "shutting down\nlistener closed\n");
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
