#!/usr/bin/env -S deno run --quiet --allow-run=deno --allow-read --allow-write=site/public
/**
 * Deliverable 1 — the overhead experiment behind the site's chart: starts the TCP and UDP
 * sensor servers, records `lo` with `capture.ts` while each client sends --count
 * readings of each size in --sizes (a note of the right length pads the 31-byte
 * reading), then draws the chart of `traffic_report.ts --svg` from that capture, in
 * English and Spanish.
 *
 * It writes `sensor-capture.pcap` (open it in Wireshark with `sensor_dissector.lua`),
 * `sensor-overhead.svg` and `es/sensor-overhead.svg` into --out-dir, and prints the
 * per-reading numbers. Capturing needs root, as `capture.ts` does. --render-only redraws
 * the charts from the capture already there, without capturing (what to run after
 * changing how the chart looks; a test checks the committed charts match the committed
 * capture).
 *
 * Run from the repository root: sudo deno task overhead-experiment
 *                               deno task overhead-experiment --render-only
 */
import {
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { readPcap } from "../../lib/pcap.ts";
import { readRunFlags } from "../../tests/harness/shebang.ts";
import { analyseCapture, type Analysis, chartPoints } from "./traffic_analysis.ts";
import { overheadChart } from "./traffic_chart.ts";

const { values } = parseCommandLine({
  summary: "Overhead experiment (Deliverable 1): captures sensor traffic of several reading " +
    "sizes over TCP and UDP and draws the site's chart.",
  usage: "overhead_experiment.ts [--port PORT] [--count N] [--interval MS] [--sizes LIST] " +
    "[--out-dir DIR] [--render-only]",
  options: {
    port: { default: "50000", description: "port of both sensor servers (TCP and UDP)" },
    count: { default: "10", description: "readings per client run (one TCP connection each)" },
    interval: { default: "100", valueName: "MS", description: "time between readings" },
    sizes: {
      default: "31,64,128,256",
      valueName: "LIST",
      description: "reading sizes in bytes, 31 (no note) to 286, comma-separated",
    },
    "out-dir": { default: "site/public", valueName: "DIR", description: "where to write" },
    "render-only": {
      type: "boolean",
      description: "redraw the charts from DIR/sensor-capture.pcap, without capturing",
    },
  },
});

const HERE = new URL(".", import.meta.url).pathname;
const CAPTURE = "sensor-capture.pcap";
const CHART = "sensor-overhead.svg";

/** The last line a child printed, without its own `error: ` prefix. */
function lastLine(output: string, fallback: string): string {
  return output.trim().split("\n").at(-1)?.replace(/^error: /, "") || fallback;
}

/** A lab script running as a child process: its output so far, and a way to wait for a line. */
class Child {
  #process: Deno.ChildProcess;
  output = "";
  readonly done: Promise<Deno.CommandStatus>;

  constructor(readonly name: string, args: string[]) {
    this.#process = new Deno.Command("deno", {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) this.output += text;
    };
    this.done = Promise.all([
      this.#process.status,
      collect(this.#process.stdout),
      collect(this.#process.stderr),
    ]).then(([status]) => status);
  }

  static async start(script: string, args: string[]): Promise<Child> {
    const path = `${HERE}${script}`;
    return new Child(script, ["run", ...await readRunFlags(path), path, ...args]);
  }

  /** Waits until the output matches `pattern`; fails, quoting it, if the child ends first. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    let ended = false;
    this.done.then(() => ended = true);
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (ended || Date.now() > deadline) {
        throw new Error(`${this.name}: ${lastLine(this.output, "no output")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for a normal end; fails with its last line otherwise. */
  async succeeded(): Promise<string> {
    const status = await this.done;
    if (status.code !== 0) {
      throw new Error(`${this.name}: ${lastLine(this.output, "failed")}`);
    }
    return this.output;
  }

  stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    try {
      this.#process.kill(signal);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // it had ended already
    }
    return this.done;
  }
}

function parseSizes(text: string): number[] {
  return text.split(",").map((word) => {
    const size = Number(word.trim());
    if (!Number.isInteger(size) || size < 31 || size > 31 + 255) {
      throw new UsageError(
        `--sizes: each size must be a whole number from 31 to 286 (got "${word}")`,
      );
    }
    return size;
  });
}

/** Records the clients' traffic into `path`. */
async function capture(
  path: string,
  port: number,
  sizes: number[],
  count: string,
  interval: string,
) {
  const servers = [
    await Child.start("sensor_server_tcp.ts", ["--port", String(port)]),
    await Child.start("sensor_server_udp.ts", ["--port", String(port)]),
  ];
  try {
    for (const server of servers) await server.waitFor(/listening on/);
    const recorder = await Child.start("capture.ts", ["--port", String(port), "--out", path]);
    try {
      await recorder.waitFor(/capturing on/);
      for (const size of sizes) {
        for (const client of ["sensor_client_tcp.ts", "sensor_client_udp.ts"]) {
          const run = await Child.start(client, [
            "--port",
            String(port),
            "--count",
            count,
            "--interval",
            interval,
            "--note",
            "x".repeat(size - 31),
          ]);
          const output = await run.succeeded();
          console.log(`${client}, ${size}-byte readings: ${lastLine(output, "")}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last FIN and ACK
    } finally {
      await recorder.stop("SIGINT");
    }
    console.log(lastLine(await recorder.succeeded(), ""));
  } finally {
    for (const server of servers) await server.stop();
  }
}

function printNumbers(analysis: Analysis): void {
  console.log(
    "\n| Transport | Reading | Readings | Bytes on the wire per reading | Payload | Overhead |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const point of chartPoints(analysis)) {
    const wire = Object.values(point.parts).reduce((sum, value) => sum + value, 0);
    const payload = point.parts.payload;
    console.log(
      `| ${point.transport} | ${point.readingSize} | ${point.readings} | ${wire.toFixed(1)} | ` +
        `${payload.toFixed(1)} | ${(wire - payload).toFixed(1)} (${
          (100 * (wire - payload) / wire).toFixed(1)
        } %) |`,
    );
  }
}

await runMain(async () => {
  const dir = values["out-dir"];
  const pcapPath = `${dir}/${CAPTURE}`;
  if (!values["render-only"]) {
    const port = parsePort(values.port);
    if (port === 0) throw new UsageError("--port must be a fixed port: the capture filters on it");
    parseMilliseconds(values.interval, "--interval");
    if (!/^[1-9]\d*$/.test(values.count)) {
      throw new UsageError("--count must be a whole number from 1");
    }
    const sizes = parseSizes(values.sizes);
    await Deno.mkdir(dir, { recursive: true });
    await capture(pcapPath, port, sizes, values.count, values.interval);
  }
  const analysis = analyseCapture(readPcap(await Deno.readFile(pcapPath)));
  await Deno.writeTextFile(`${dir}/${CHART}`, overheadChart(analysis, "en"));
  await Deno.mkdir(`${dir}/es`, { recursive: true });
  await Deno.writeTextFile(`${dir}/es/${CHART}`, overheadChart(analysis, "es"));
  console.log(`charts written to ${dir}/${CHART} and ${dir}/es/${CHART}`);
  printNumbers(analysis);
});
