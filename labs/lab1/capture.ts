#!/usr/bin/env -S deno run --quiet --allow-run=tcpdump,deno --allow-sys=uid --allow-read
/**
 * Deliverable 1 — capture helper: records the traffic of some ports on `lo` into a pcap
 * file with `tcpdump` while a client runs, then stops tcpdump cleanly, so the file holds
 * every packet, the last FIN included. `traffic_report.ts` and Wireshark read the file.
 *
 * The command after `--` is a lab script (run with the flags of its first line, as
 * `deno run` would) or a `deno …` command. With no command it captures until Ctrl-C,
 * while you run clients in another terminal. The servers are yours to start first.
 *
 * Capturing needs root (or a tcpdump given the capture capability): run it with sudo.
 * Without tcpdump, or without the right to capture, it says so in one line.
 *
 * Run: sudo deno task capture --port 50000 --out tcp.pcap -- labs/lab1/sensor_client_tcp.ts --count 5
 *      sudo ./labs/lab1/capture.ts --port 65432 --out echo.pcap   (then run a client; Ctrl-C)
 */
import {
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { readRunFlags, shellQuote } from "../../tests/harness/shebang.ts";

const { values, positionals } = parseCommandLine({
  summary: "Capture helper (Deliverable 1): records lo traffic of some ports with tcpdump " +
    "while a command runs.",
  usage: "capture.ts [--port PORTS] [--out FILE] [--interface IF] [--linger MS] " +
    "[-- SCRIPT.ts|deno ARGS...]",
  options: {
    port: {
      default: "50000",
      valueName: "PORTS",
      description: "TCP and UDP ports to record, comma-separated",
    },
    out: { default: "capture.pcap", valueName: "FILE", description: "pcap file to write" },
    interface: { default: "lo", valueName: "IF", description: "interface to capture on" },
    linger: {
      default: "300",
      valueName: "MS",
      description: "how long to keep capturing after the command ends (its last packets)",
    },
  },
  positionals: true,
});

/** How long tcpdump may take to start listening, and to stop. */
const TCPDUMP_TIMEOUT_MS = 10_000;

/** tcpdump, started and listening; its stderr is collected as it comes. */
class Tcpdump {
  #process: Deno.ChildProcess;
  #stderr = "";
  #changed: () => void = () => {};
  readonly done: Promise<Deno.CommandStatus>;

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

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

/** The command to run: a lab script with the flags of its first line, or `deno …`. */
async function commandLine(words: string[]): Promise<string[]> {
  const [first, ...rest] = words;
  if (first.endsWith(".ts")) return ["deno", "run", ...await readRunFlags(first), first, ...rest];
  if (first === "deno") return words;
  throw new UsageError(
    `the command must be a lab script (e.g. labs/lab1/sensor_client_tcp.ts) or a deno command, ` +
      `not "${first}"`,
  );
}

await runMain(async () => {
  const ports = values.port.split(",").map((word) => parsePort(word.trim()));
  const linger = parseMilliseconds(values.linger, "--linger");
  const command = positionals.length > 0 ? await commandLine(positionals) : null;
  const filter = ports.map((port) => `port ${port}`).join(" or ");
  const where = `${values.interface} (${ports.length > 1 ? "ports" : "port"} ${ports.join(", ")})`;

  // -U and --immediate-mode: every packet reaches the file at once, none waits in a buffer
  // when we stop. As root, tcpdump would switch to the "tcpdump" user before opening the
  // file; -Z root keeps it able to write wherever we may.
  const tcpdump = new Tcpdump([
    "-i",
    values.interface,
    "-n",
    "-U",
    "--immediate-mode",
    "-w",
    values.out,
    ...(isRoot() ? ["-Z", "root"] : []),
    filter,
  ]);
  await tcpdump.listening();

  // Ctrl-C or a SIGTERM stops the capture cleanly, with the command if one is running.
  const interrupted = new Promise<"interrupted">((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => resolve("interrupted"));
    }
  });
  let failure: string | null = null;
  if (command === null) {
    console.log(`capturing on ${where} into ${values.out}: press Ctrl-C to stop`);
    await interrupted;
  } else {
    console.log(
      `capturing on ${where} into ${values.out} while running: ${
        command.map(shellQuote).join(" ")
      }`,
    );
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
    } else if (outcome.code !== 0) {
      failure = `the command exited with code ${outcome.code}`;
    }
    await new Promise((resolve) => setTimeout(resolve, linger)); // its last FIN and ACK
  }
  await tcpdump.stop();
  const count = tcpdump.stderr.match(/(\d+) packets? captured/)?.[1] ?? "?";
  console.log(`captured ${count} packets into ${values.out}`);
  if (failure) throw new Error(`${failure} (the capture is saved in ${values.out})`);
  Deno.exit(0); // the signal listeners would keep us running
});
