#!/usr/bin/env -S deno run --quiet --allow-run=deno --allow-read --allow-write=site/public
/**
 * Deliverable 1 — the overhead experiment behind the site's chart: starts the TCP and UDP
 * sensor servers of `labs/lab1/`, records `lo` with its `capture.ts` while each client
 * sends --count readings of each size in --sizes (a note of the right length pads the
 * 31-byte reading), then draws the chart of `traffic_report.ts --svg` from that capture,
 * in English and Spanish.
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
import { readCapture } from "../traffic/capture_file.ts";
import { type RunningScript, type ScriptResult, startProgram } from "../script/process.ts";
import { denoRunCommand, readRunFlags } from "../script/run_flags.ts";
import { analyseCapture, type Analysis, chartPoints } from "../traffic/traffic_analysis.ts";
import { overheadChart } from "../traffic/traffic_chart.ts";

const { values } = parseCommandLine({
  summary: "Overhead experiment (Deliverable 1): captures sensor traffic of several reading " +
    "sizes over TCP and UDP and draws the site's chart.",
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

const LAB1 = new URL("../../labs/lab1/", import.meta.url).pathname;
const CAPTURE = "sensor-capture.pcap";
const CHART = "sensor-overhead.svg";

/** The last line of `output`, without a script's `error: ` prefix. */
function lastLine(output: string): string {
  return output.trim().split("\n").at(-1)?.replace(/^error: /, "") ?? "";
}

/**
 * Starts a script of `labs/lab1/` with the flags of its first line. It runs `deno` from
 * the PATH, which is what `--allow-run=deno` allows.
 */
async function start(script: string, args: string[]): Promise<RunningScript> {
  const path = `${LAB1}${script}`;
  const [deno, ...denoArgs] = denoRunCommand(path, await readRunFlags(path), args);
  return startProgram(deno, denoArgs, {}, script);
}

/** Waits until `script` prints `pattern`; fails with the script's own last line if it ends. */
async function ready(script: RunningScript, pattern: RegExp): Promise<void> {
  try {
    await script.waitFor(pattern, 15_000);
  } catch {
    await script.stop();
    throw new Error(`${script.label}: ${lastLine(script.stderr || script.stdout) || "no output"}`);
  }
}

/** Fails with the script's last line unless it ended with exit code 0. */
function succeeded(script: RunningScript, result: ScriptResult): string {
  if (result.code !== 0) {
    throw new Error(`${script.label}: ${lastLine(result.stderr || result.stdout) || "failed"}`);
  }
  return lastLine(result.stdout);
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
    await start("sensor_server_tcp.ts", ["--port", String(port)]),
    await start("sensor_server_udp.ts", ["--port", String(port)]),
  ];
  try {
    for (const server of servers) await ready(server, /listening on/);
    const recorder = await start("capture.ts", ["--port", String(port), "--out", path]);
    await ready(recorder, /capturing on/);
    try {
      for (const size of sizes) {
        for (const client of ["sensor_client_tcp.ts", "sensor_client_udp.ts"]) {
          const run = await start(client, [
            "--port",
            String(port),
            "--count",
            count,
            "--interval",
            interval,
            "--note",
            "x".repeat(size - 31),
          ]);
          const summary = succeeded(run, await run.finished(60_000));
          console.log(`${client}, ${size}-byte readings: ${summary}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last FIN and ACK
    } finally {
      console.log(succeeded(recorder, await recorder.stop("SIGINT")));
    }
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
  const analysis = analyseCapture(readCapture(await Deno.readFile(pcapPath)));
  await Deno.writeTextFile(`${dir}/${CHART}`, overheadChart(analysis, "en"));
  await Deno.mkdir(`${dir}/es`, { recursive: true });
  await Deno.writeTextFile(`${dir}/es/${CHART}`, overheadChart(analysis, "es"));
  console.log(`charts written to ${dir}/${CHART} and ${dir}/es/${CHART}`);
  printNumbers(analysis);
});
