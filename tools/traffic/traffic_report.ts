#!/usr/bin/env -S deno run --allow-read
/**
 * Deliverable 1 — traffic report: reads a capture (a classic pcap file, e.g. from
 * `deno task capture` or `tcpdump -w`, or the pcapng that Wireshark, dumpcap and tshark
 * save) and shows what TCP and UDP put on the wire around the application's bytes. A
 * capture with a short snap length (`tcpdump -s 96`) still gives the right byte counts;
 * the report says so, and marks the reading counts it had to estimate.
 *
 * It prints a table of every packet (time, endpoints, TCP flags, relative seq/ack,
 * payload and header bytes, and the packet's role: handshake, data, ACK, teardown), the
 * conversations, and per transport the bytes on the wire against the application's
 * payload, split by role, with the overhead per reading. `--explain N` shows where each
 * header and the payload sit in packet N's bytes. `--svg FILE` draws TCP against UDP,
 * bytes on the wire per reading, for each reading size found in the capture. The exact
 * definitions are in `traffic_analysis.ts`, the layout of the report in
 * `traffic_report_format.ts`.
 *
 * It only reads: writing the chart asks for write access to that one file (answer Deno's
 * prompt, or add `--allow-write=FILE`).
 *
 * Run: ./tools/traffic/traffic_report.ts capture.pcap
 *      ./tools/traffic/traffic_report.ts --summary --port 50000 capture.pcap
 *      ./tools/traffic/traffic_report.ts --explain 4 capture.pcap
 *      deno run --allow-read --allow-write=chart.svg tools/traffic/traffic_report.ts --svg chart.svg capture.pcap
 */
import { parseCommandLine, parsePort, runMain, UsageError } from "../../lib/cli.ts";
import { readCapture } from "./capture_file.ts";
import { analyseCapture } from "./traffic_analysis.ts";
import { overheadChart } from "./traffic_chart.ts";
import { explainPacket, markdownReport } from "./traffic_report_format.ts";

const { values, positionals } = parseCommandLine({
  summary: "Traffic report (Deliverable 1): packets, roles and overhead per reading in a capture.",
  options: {
    port: {
      valueName: "PORTS",
      description: "only packets to or from these ports, comma-separated (they are the servers)",
    },
    json: { type: "boolean", description: "print JSON instead of Markdown" },
    summary: { type: "boolean", description: "leave out the per-packet table" },
    explain: {
      valueName: "N",
      description: "show the headers and payload of packet N, byte by byte",
    },
    svg: { valueName: "FILE", description: "also write the TCP-vs-UDP chart to FILE" },
  },
  arguments: "CAPTURE (a .pcap or .pcapng file)",
});

function parsePorts(text: string | undefined): number[] {
  if (text === undefined) return [];
  return text.split(",").map((word) => parsePort(word.trim()));
}

await runMain(async () => {
  const ports = parsePorts(values.port);
  if (positionals.length !== 1) {
    throw new UsageError("give exactly one capture file (pcap or pcapng)");
  }
  const [file] = positionals;
  let explainNumber: number | undefined;
  if (values.explain !== undefined) {
    explainNumber = Number(values.explain);
    if (!/^\d+$/.test(values.explain) || explainNumber < 1) {
      throw new UsageError(`--explain takes a packet number from 1 (got "${values.explain}")`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`${file}: no such file`);
    throw error;
  }
  const capture = readCapture(bytes);
  const analysis = analyseCapture(capture, { ports });
  // The chart first: a missing write permission then stops us before any output.
  if (values.svg !== undefined) await Deno.writeTextFile(values.svg, overheadChart(analysis));
  if (explainNumber !== undefined) {
    console.log(explainPacket(capture, analysis, explainNumber));
  } else if (values.json) {
    console.log(JSON.stringify(analysis, null, 2));
  } else {
    console.log(markdownReport(analysis, file, !values.summary));
  }
  if (values.svg !== undefined && !values.json) console.log(`\nchart written to ${values.svg}`);
});
