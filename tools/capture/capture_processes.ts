/**
 * Deliverable 1 — the processes `capture.ts` runs: `tcpdump`, started and stopped so the
 * file holds every packet, and the command whose traffic it records, stopped with the
 * capture on Ctrl-C or SIGTERM.
 *
 * @module
 */
import { UsageError } from "../../lib/cli.ts";
import { denoRunCommand, readRunFlags } from "../script/run_flags.ts";

/** How long tcpdump may take to start listening, and to stop. */
const TCPDUMP_TIMEOUT_MS = 10_000;

/** tcpdump, started and listening; its stderr is collected as it comes. */
export class Tcpdump {
  #process: Deno.ChildProcess;
  #stderr = "";
  #changed: () => void = () => {};
  /** Resolves when tcpdump has exited. */
  readonly done: Promise<Deno.CommandStatus>;

  /** Starts `tcpdump` with `args`; a missing tcpdump is a {@linkcode UsageError}. */
  constructor(args: string[]) {
    let process: Deno.ChildProcess;
    try {
      process = new Deno.Command("tcpdump", {
        args,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(
          "tcpdump is not installed: install it (sudo apt-get install tcpdump) and run again",
        );
      }
      throw error;
    }
    this.#process = process;
    const reading = (async () => {
      for await (const text of process.stderr.pipeThrough(new TextDecoderStream())) {
        this.#stderr += text;
        this.#changed();
      }
    })();
    this.done = Promise.all([process.status, reading]).then(([status]) => {
      this.#changed();
      return status;
    });
  }

  /** What tcpdump printed so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves once tcpdump is capturing; throws one clear line if it ended instead. */
  async listening(): Promise<void> {
    let ended = false;
    this.done.then(() => ended = true);
    const deadline = Date.now() + TCPDUMP_TIMEOUT_MS;
    while (!/listening on/.test(this.#stderr)) {
      if (ended) throw new Error(explainFailure(this.#stderr));
      if (Date.now() > deadline) {
        this.#process.kill("SIGKILL");
        throw new Error(`tcpdump did not start listening within ${TCPDUMP_TIMEOUT_MS} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Stops tcpdump the way Ctrl-C does, so it writes out every packet, and waits for it. */
  async stop(): Promise<void> {
    try {
      this.#process.kill("SIGINT");
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // it had already ended
    }
    const timer = setTimeout(() => this.#process.kill("SIGKILL"), TCPDUMP_TIMEOUT_MS);
    await this.done;
    clearTimeout(timer);
  }
}

/** One line saying why tcpdump could not capture. */
function explainFailure(stderr: string): string {
  if (/permission|not permitted/i.test(stderr)) {
    return "tcpdump may not capture here: run this as root (sudo), or give tcpdump the " +
      "capture capability (sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump))";
  }
  const line = stderr.split("\n").find((l) => l.startsWith("tcpdump:")) ?? stderr.trim();
  return `tcpdump failed: ${line.replace(/^tcpdump:\s*/, "") || "it ended without a message"}`;
}

/** The command to run: a lab script with the flags of its first line, or `deno …`. */
export async function commandLine(words: string[]): Promise<string[]> {
  const [first, ...rest] = words;
  if (first.endsWith(".ts")) return denoRunCommand(first, await readRunFlags(first), rest);
  if (first === "deno") return words;
  throw new UsageError(
    `the command must be a lab script (e.g. labs/lab1/sensor_client_tcp.ts) or a deno command, ` +
      `not "${first}"`,
  );
}

/**
 * Runs `command` with our stdin, stdout and stderr until it ends or `interrupted`
 * resolves; then it stops the command with SIGTERM and waits for it.
 */
export async function runCommand(
  command: string[],
  interrupted: Promise<"interrupted">,
): Promise<Deno.CommandStatus | "interrupted"> {
  // #region run
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const outcome = await Promise.race([child.status, interrupted]);
  // #endregion run
  if (outcome === "interrupted") {
    try {
      child.kill("SIGTERM");
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // it had already ended
    }
    await child.status;
  }
  return outcome;
}
