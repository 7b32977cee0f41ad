/**
 * Tests of the traffic tools as a student runs them (tools/traffic/traffic_report.ts with
 * the flags of its first line), of the chart the site shows (it must be what the
 * committed capture gives), and of the `capture` task's flags.
 *
 * @module
 */
import assert from "node:assert/strict";
import { LinkType, writePcap } from "../../../tools/traffic/pcap.ts";
import { readCapture } from "../../../tools/traffic/capture_file.ts";
import { analyseCapture } from "../../../tools/traffic/traffic_analysis.ts";
import { overheadChart } from "../../../tools/traffic/traffic_chart.ts";
import { CheckContext, TOOLS_DIR } from "../../harness/checks.ts";
import { scriptContractChecks } from "../../harness/contract.ts";
import { assertCleanFailure, assertSuccess } from "../../harness/expect.ts";
import { runScript } from "../../../tools/script/process.ts";
import { readRunFlags } from "../../../tools/script/run_flags.ts";
import { SPEC_READING, SPEC_RESPONSE } from "../../harness/sensor_spec_example.ts";
import { ipv4, records, tcpConversation, udp } from "../../harness/pcap_builder.ts";

const REPORT = `${TOOLS_DIR}/traffic/traffic_report.ts`;
const ROOT = new URL("../../..", import.meta.url).pathname;

const READING = SPEC_READING;
const RESPONSE = SPEC_RESPONSE;

/** A capture of one TCP connection with two readings and two UDP readings, on Ethernet. */
function sampleCapture(): Uint8Array {
  const tcp = tcpConversation([
    { from: "client", data: READING },
    { from: "server", data: RESPONSE },
    { from: "client", data: READING },
    { from: "server", data: RESPONSE },
    { from: "client", close: true },
  ]);
  const udpPackets = [0, 1].flatMap((i) => [
    { time: 1700000100 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING)) },
    { time: 1700000100.5 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, RESPONSE)) },
  ]);
  return writePcap(
    { linkType: LinkType.ETHERNET },
    records(LinkType.ETHERNET, [...tcp, ...udpPackets]),
  );
}

async function withCapture(fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "traffic-report-" });
  try {
    const path = `${dir}/sample.pcap`;
    await Deno.writeFile(path, sampleCapture());
    await fn(path, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("traffic_report.ts asks only to read", async () => {
  assert.deepEqual(await readRunFlags(REPORT), ["--allow-read"]);
});

Deno.test("traffic_report.ts prints the packets, the conversations and the overhead per reading", async () => {
  await withCapture(async (path) => {
    const result = await runScript(REPORT, [path]);
    assertSuccess(result);
    const out = result.stdout;
    assert.match(out, /^# Traffic report: /);
    assert.match(
      out,
      /18 packets, link type 1 \(Ethernet\), microsecond timestamps, snap length 262144, little-endian pcap file\./,
    );
    // Packet 4: the first reading, 14 + 20 + 32 header bytes.
    assert.match(
      out,
      /\| 4 \| 0\.003000 \| 127\.0\.0\.1:45678 \| 127\.0\.0\.1:50000 \| TCP \| PSH ACK \| 1 \| 1 \| 36 \| 66 \| 102 \| data \|/,
    );
    assert.match(
      out,
      /\| 1 \| TCP \| 127\.0\.0\.1:45678 \| 127\.0\.0\.1:50000 \| sensor protocol v1 \| 14 \| 2 \| 2 \| 120 \|/,
    );
    assert.match(out, /\| handshake \(SYN, SYN\+ACK, ACK\) \| 3 \| 214 \| 0 \| 214 \|/);
    assert.match(out, /\| teardown \(FIN, RST and their ACKs\) \| 3 \| 198 \| 0 \| 198 \|/);
    // UDP: 78 + 66 bytes per reading, 60 of them payload.
    assert.match(out, /\| whole exchange \| 60\.0 \| 144\.0 \| 84\.0 \| 58\.3 % \|/);
    assert.match(out, /## TCP against UDP/);

    const summary = await runScript(REPORT, ["--summary", path]);
    assert.doesNotMatch(summary.stdout, /## Packets/);
    assert.match(summary.stdout, /## Conversations/);
  });
});

Deno.test("traffic_report.ts --json prints the analysis", async () => {
  await withCapture(async (path) => {
    const result = await runScript(REPORT, ["--json", path]);
    assertSuccess(result);
    const expected = analyseCapture(readCapture(await Deno.readFile(path)));
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(JSON.stringify(expected)));
  });
});

Deno.test("traffic_report.ts --explain shows where each header and the payload are", async () => {
  await withCapture(async (path) => {
    const result = await runScript(REPORT, ["--explain", "4", path]);
    assertSuccess(result);
    const out = result.stdout;
    assert.match(
      out,
      /^Packet 4: 127\.0\.0\.1:45678 → 127\.0\.0\.1:50000, 102 bytes on the wire, 36 of them payload/,
    );
    assert.match(out, /\| Ethernet \| 0–13 \(0x0–0xd\) \| 14 \|/);
    assert.match(out, /\| IPv4 \| 14–33 \(0xe–0x21\) \| 20 \|/);
    assert.match(out, /\| TCP \| 34–65 \(0x22–0x41\) \| 32 \| port 45678 → 50000, flags PSH ACK/);
    assert.match(out, /\| payload \| 66–101 \(0x42–0x65\) \| 36 \|/);
    assert.match(
      out,
      /^00000040 {2}.. .. 53 54 01 01 00 24/m,
      "the hexdump shows the reading at 0x42",
    );
    assert.match(out, /bytes 66–101 \(36\): READING \{"seq":1,"device":7,.*"note":"café"\}/);

    const udpResult = await runScript(REPORT, ["--explain", "18", path]);
    assert.match(
      udpResult.stdout,
      /\| UDP \| 34–41 \(0x22–0x29\) \| 8 \| port 50000 → 40000, length 32/,
    );
    assert.match(udpResult.stdout, /RESPONSE \{"status":0,"ack":1,/);
  });
});

Deno.test("traffic_report.ts --svg writes the chart when allowed, and says what to add when not", async () => {
  await withCapture(async (path, dir) => {
    const chart = `${dir}/chart.svg`;
    const denied = await runScript(REPORT, ["--svg", chart, path]);
    assertCleanFailure(denied, /write access to .*chart\.svg.*--allow-write=/);
    assert.equal(denied.stdout, "", "nothing is printed before the write fails");

    const allowed = await runScript(REPORT, ["--summary", "--svg", chart, path], 10_000, {
      extraFlags: [`--allow-write=${chart}`],
    });
    assertSuccess(allowed);
    assert.match(allowed.stdout, /chart written to /);
    const expected = overheadChart(analyseCapture(readCapture(await Deno.readFile(path))));
    assert.equal(await Deno.readTextFile(chart), expected);
  });
});

Deno.test("traffic_report.ts explains bad input in one line", async () => {
  await withCapture(async (path, dir) => {
    assertCleanFailure(await runScript(REPORT, []), /exactly one capture file/, 2);
    assertCleanFailure(await runScript(REPORT, [path, path]), /exactly one capture file/, 2);
    assertCleanFailure(
      await runScript(REPORT, [`${dir}/missing.pcap`]),
      /missing\.pcap: no such file/,
    );
    const textFile = `${dir}/notes.txt`;
    await Deno.writeTextFile(textFile, "these are my notes, not a capture");
    assertCleanFailure(await runScript(REPORT, [textFile]), /not a pcap file/);
    const cut = `${dir}/cut.pcap`;
    await Deno.writeFile(cut, sampleCapture().subarray(0, 100));
    assertCleanFailure(
      await runScript(REPORT, [cut]),
      /truncated pcap file: record 1 at byte 24 declares 74 captured bytes, only 60 are left/,
    );
    assertCleanFailure(
      await runScript(REPORT, ["--explain", "99", path]),
      /packets 1 to 18, not 99/,
      2,
    );
    assertCleanFailure(
      await runScript(REPORT, ["--explain", "x", path]),
      /--explain takes a packet number/,
      2,
    );
    assertCleanFailure(await runScript(REPORT, ["--port", "50000,99999", path]), /--port/, 2);
  });
});

Deno.test("the site's chart is what the committed capture gives (regenerate: deno task overhead-experiment --render-only)", async () => {
  const pcap = readCapture(await Deno.readFile(`${ROOT}site/public/sensor-capture.pcap`));
  const analysis = analyseCapture(pcap);
  for (
    const [language, path] of [["en", "site/public/sensor-overhead.svg"], [
      "es",
      "site/public/es/sensor-overhead.svg",
    ]] as const
  ) {
    assert.equal(
      await Deno.readTextFile(`${ROOT}${path}`),
      overheadChart(analysis, language),
      `${path} is out of date: run \`deno task overhead-experiment --render-only\` (or, as root, ` +
        "`deno task overhead-experiment` for a new capture)",
    );
  }
  // What the chart was drawn from: a real run of the sensor scripts, 10 readings each.
  assert.deepEqual(
    analysis.flows.map((f) => [f.transport, f.application, f.readings, f.responses]),
    [
      ...[31, 64, 128, 256].flatMap(
        () => [["TCP", "sensor protocol v1", 10, 10], ["UDP", "sensor protocol v1", 10, 10]],
      ),
    ],
  );
  assert.deepEqual(analysis.flows.map((f) => f.readingSizes[0]), [
    31,
    31,
    64,
    64,
    128,
    128,
    256,
    256,
  ]);
});

const OVERHEAD_EXPERIMENT = "tools/reports/overhead_experiment.ts";

Deno.test("deno task capture and overhead-experiment run their scripts with the flags of line 1", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  for (
    const [task, path] of [["capture", "tools/capture/capture.ts"], [
      "overhead-experiment",
      OVERHEAD_EXPERIMENT,
    ]]
  ) {
    const flags = await readRunFlags(`${ROOT}${path}`);
    assert.equal(
      config.tasks[task],
      ["deno", "run", ...flags, path].join(" "),
      `deno task ${task}`,
    );
  }
});

// The traffic tools keep the contract of every lab script (they are ours, not graded), and
// so does the overhead experiment.
const TOOLS = ["capture/capture.ts", "traffic/traffic_report.ts", "reports/overhead_experiment.ts"];
for (const check of scriptContractChecks(TOOLS.map((name) => ({ name, task: "D1" })))) {
  Deno.test(check.title, () => check.run(CheckContext.tools()));
}
