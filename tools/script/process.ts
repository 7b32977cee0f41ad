/**
 * Runs lab scripts the way a student does, in the course's sandbox (`sandbox.ts`): `deno
 * run` with the flags the course declares for the script, and nothing from the project's
 * deno.json (`--no-config`). Output is collected as it arrives, so a chatty server never
 * blocks on a full pipe, and every wait has a deadline.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { programToStart } from "./host.ts";
import { sandboxCommand, sandboxEnv } from "./sandbox.ts";

/** How a finished script ended. */
export interface ScriptResult {
  /** Its exit code (128 plus the signal's number when a signal ended it). */
  code: number;
  /** The signal that ended it, if one did. */
  signal: Deno.Signal | null;
  /** All it wrote to standard output. */
  stdout: string;
  /** All it wrote to standard error. */
  stderr: string;
}

/** How a script ended when {@linkcode RunningScript.stop} ended it. */
export interface StopResult extends ScriptResult {
  /**
   * Whether it was still running when stopped: then its exit code is the signal's
   * (143 for SIGTERM) unless it handles the signal, and it did not crash before.
   */
  wasRunning: boolean;
}

/** The scripts of the {@linkcode ScriptGroup} whose code is running, if any. */
const currentGroup = new AsyncLocalStorage<Set<RunningScript>>();

/**
 * The scripts that one piece of work starts (the grader's checks, several at a time):
 * code run by {@linkcode ScriptGroup.run}, however deep and through any `await`, adds
 * each script it starts here, so that what one check leaves behind can be stopped
 * without touching the scripts of another that runs at the same time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScriptGroup, startProgram } from "./process.ts";
 *
 * const group = new ScriptGroup();
 * const outside = startProgram("sleep", ["60"]);
 * await group.run(async () => void startProgram("sleep", ["60"]));
 * assert.equal(await group.stop(), 1); // its own sleep only
 * assert.equal((await outside.stop()).wasRunning, true);
 * ```
 */
export class ScriptGroup {
  readonly #scripts = new Set<RunningScript>();

  /** Runs `body`, counting every script it starts as this group's. */
  run<T>(body: () => Promise<T>): Promise<T> {
    return currentGroup.run(this.#scripts, body);
  }

  /** Kills (SIGKILL) the group's scripts still running and waits for them; how many. */
  async stop(): Promise<number> {
    const left = [...this.#scripts];
    await Promise.all(left.map((script) => script.stop("SIGKILL")));
    return left.length;
  }
}

/**
 * A script that is running: its output so far, and ways to wait for and stop it.
 * Declared with `await using`, it is stopped (SIGTERM, then waited for) when the block
 * ends, however the block ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startProgram } from "./process.ts";
 *
 * let sleeper;
 * {
 *   await using script = startProgram("sleep", ["60"]);
 *   sleeper = script;
 * } // stopped here
 * assert.equal((await sleeper.stop()).signal, "SIGTERM");
 * ```
 */
export class RunningScript implements AsyncDisposable {
  #child: Deno.ChildProcess;
  #stdout = "";
  #stderr = "";
  #outputChanged: () => void = () => {};
  #drained: Promise<void>;
  #result: Promise<ScriptResult>;
  #stdin: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #exited = false;
  #ended = false; // the output is drained too: nothing more will come

  /** Watches `child`, named `label` in messages; `stdinPiped` if its input is a pipe to write to. */
  constructor(readonly label: string, child: Deno.ChildProcess, stdinPiped: boolean) {
    this.#child = child;
    const group = currentGroup.getStore(); // so that what a check leaves behind can be killed
    group?.add(this);
    child.status.then(() => {
      this.#exited = true;
      group?.delete(this);
    });
    if (stdinPiped) this.#stdin = child.stdin.getWriter();
    this.#drained = Promise.all([
      this.#collect(child.stdout, (text) => this.#stdout += text),
      this.#collect(child.stderr, (text) => this.#stderr += text),
    ]).then(() => {});
    this.#result = Promise.all([child.status, this.#drained]).then(([status]) => {
      this.#ended = true; // before waking a waiter, which looks at it
      this.#outputChanged();
      return {
        code: status.code,
        signal: status.signal,
        stdout: this.#stdout,
        stderr: this.#stderr,
      };
    });
  }

  async #collect(stream: ReadableStream<Uint8Array>, append: (text: string) => void) {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      append(text);
      this.#outputChanged();
    }
  }

  /** The process id (e.g. to read its memory use with `ps`). */
  get pid(): number {
    return this.#child.pid;
  }

  /** Whether the process is still running: it has not exited yet. */
  get running(): boolean {
    return !this.#exited;
  }

  /**
   * Resolves, with how it ended, once the script has ended by itself or been stopped and
   * its output is all read; never rejects. For racing what a check waits for against the
   * script's end: a script that has ended sends nothing more.
   */
  get ended(): Promise<ScriptResult> {
    return this.#result;
  }

  /** Everything printed on stdout so far. */
  get stdout(): string {
    return this.#stdout;
  }

  /** Everything printed on stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Writes text to the script's stdin (only when started with `stdin: true`). */
  async write(text: string): Promise<void> {
    if (!this.#stdin) throw new Error(`${this.label}: started without stdin`);
    await this.#stdin.write(new TextEncoder().encode(text));
  }

  /** Closes the script's stdin: the script reads end-of-file. */
  async closeStdin(): Promise<void> {
    await this.#stdin?.close();
    this.#stdin = null;
  }

  /**
   * Waits until stdout matches `pattern`, returning the match; fails after `timeoutMs`
   * or when the script ends first, quoting its output.
   */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const match = this.#stdout.match(pattern);
      if (match) return match;
      if (this.#ended) {
        throw new Error(`${this.label} ended before printing ${pattern}${this.#tail()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `${this.label} did not print ${pattern} within ${timeoutMs} ms${this.#tail()}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#outputChanged = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Waits for the script to end by itself; kills it and fails after `timeoutMs`. */
  async finished(timeoutMs = 10_000): Promise<ScriptResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.#result, timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      await this.stop("SIGKILL");
      throw new Error(`${this.label} did not finish within ${timeoutMs} ms${this.#tail()}`);
    }
    await this.closeStdin();
    return outcome;
  }

  /** Sends `signal` (if still running) and waits for the script to end. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<StopResult> {
    const wasRunning = !this.#exited;
    try {
      this.#child.kill(signal);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // TypeError: it had already exited
    }
    await this.closeStdin().catch(() => {}); // the pipe may be broken by now
    return { ...await this.#result, wasRunning };
  }

  /** Stops the script like {@linkcode RunningScript.stop} (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #tail(): string {
    const show = (name: string, text: string) =>
      text.trim() === "" ? "" : `\n--- ${name} ---\n${text.trimEnd().slice(-1500)}`;
    return show("stdout", this.#stdout) + show("stderr", this.#stderr);
  }
}

/** Options for {@linkcode startScript}. */
export interface StartOptions {
  /** Pipe stdin so the check can type into the script. */
  stdin?: boolean;
  /** Working directory (default: the current one). */
  cwd?: string;
  /**
   * Deno flags added after those of line 1, as a handout tells students to add them
   * (e.g. `--allow-net=10.0.0.1` to reach another host).
   */
  extraFlags?: string[];
  /** A command that runs the script for us, e.g. `["ip", "netns", "exec", "ns1"]`. */
  runner?: string[];
}

/**
 * Starts any program (e.g. a Python peer) with its output collected (`python3` as the
 * interpreter itself, not a shim: see {@linkcode programToStart}).
 */
export function startProgram(
  command: string,
  args: string[],
  options: StartOptions = {},
  label = [command, ...args].join(" "),
): RunningScript {
  const child = new Deno.Command(programToStart(command), {
    args,
    cwd: options.cwd,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", PYTHONUNBUFFERED: "1" },
  }).spawn();
  return new RunningScript(label, child, options.stdin ?? false);
}

/** Starts `scriptPath` in the course's sandbox (its declared flags, limits) with `args`. */
export async function startScript(
  scriptPath: string,
  args: string[] = [],
  options: StartOptions = {},
): Promise<RunningScript> {
  const sandboxed = await sandboxCommand(scriptPath, args, options.extraFlags);
  const name = scriptPath.split("/").slice(-2).join("/");
  const [command, ...commandArgs] = [...options.runner ?? [], ...sandboxed];
  const child = new Deno.Command(command, {
    args: commandArgs,
    cwd: options.cwd,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: sandboxEnv(),
  }).spawn();
  return new RunningScript(`${name} ${args.join(" ")}`.trim(), child, options.stdin ?? false);
}

/** Options for {@linkcode runScript}. */
export interface RunOptions extends StartOptions {
  /** Text piped to the script's standard input, which then ends (as with `printf … |`). */
  input?: string;
}

/** Runs a script to the end (a client, or a server that should refuse to start). */
export async function runScript(
  scriptPath: string,
  args: string[] = [],
  timeoutMs = 10_000,
  options: RunOptions = {},
): Promise<ScriptResult> {
  const { input } = options;
  const script = await startScript(scriptPath, args, {
    ...options,
    stdin: options.stdin || input !== undefined,
  });
  if (input !== undefined) {
    await script.write(input);
    await script.closeStdin();
  }
  return await script.finished(timeoutMs);
}

/**
 * Runs a script to the end as the unprivileged user "nobody", with a Deno cache of its
 * own: how a check run as root sees what a student's account may not do (e.g. bind a
 * port below 1024). Needs root and `setpriv`.
 */
export async function runScriptAsNobody(
  scriptPath: string,
  args: string[] = [],
  timeoutMs = 30_000,
): Promise<ScriptResult> {
  const cache = await Deno.makeTempDir({ prefix: "deno-nobody-" });
  await Deno.chmod(cache, 0o777);
  try {
    const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    const runner = ["setpriv", ...nobody, "env", `DENO_DIR=${cache}`];
    return await runScript(scriptPath, args, timeoutMs, { runner });
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
}

/**
 * A server that printed `listening on <host>:<port>`. Declared with `await using`, its
 * script is stopped when the block ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startServer } from "./process.ts";
 *
 * const path = new URL("../../labs/lab1/tcp_echo_server.ts", import.meta.url).pathname;
 * let port;
 * {
 *   await using server = await startServer(path); // on --port 0
 *   assert.equal(server.hostname, "127.0.0.1");
 *   port = server.port;
 * } // stopped here: nothing listens on that port any more
 * await assert.rejects(Deno.connect({ port }), Deno.errors.ConnectionRefused);
 * ```
 */
export class RunningServer implements AsyncDisposable {
  /** A server that printed `listening on` (see {@linkcode startServer}). */
  constructor(
    /** The server's process. */
    readonly script: RunningScript,
    /** The address it printed. */
    readonly hostname: string,
    /** The port it printed (the real one when started with `--port 0`). */
    readonly port: number,
  ) {}

  /** Stops the server's script (SIGTERM, then waits). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.script.stop();
  }
}

/**
 * Waits for a server's `listening on host:port` line, which says the real port it got;
 * stops the server if that line never comes.
 */
export async function waitForListening(script: RunningScript): Promise<RunningServer> {
  try {
    const [, hostname, port] = await script.waitFor(/listening on \[?([^\s\]]+?)\]?:(\d+)/);
    return new RunningServer(script, hostname, Number(port));
  } catch (error) {
    await script.stop("SIGKILL");
    throw error;
  }
}

/** Starts a server script on `--port 0` and waits until it listens. */
export async function startServer(
  scriptPath: string,
  args: string[] = [],
  options: StartOptions = {},
): Promise<RunningServer> {
  return await waitForListening(await startScript(scriptPath, ["--port", "0", ...args], options));
}
