/**
 * Graded checks of the Deliverable's traffic analysis on real captures: the sensor
 * client talks to the reference server over `lo` while `capture.ts` records it with
 * tcpdump; the analyser must find the handshake, one READING per reading sent and the
 * teardown, and the Wireshark dissector must decode every field the server decoded.
 * They need root and tcpdump (tshark for the dissector), which `.ci/run` installs; they
 * are skipped, saying so, elsewhere. Also: what `capture.ts` says without tcpdump or
 * without root, and the dissector on captures built byte by byte (tshark only).
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat } from "../../../lib/bytes.ts";
import { LinkType, writePcap } from "../../../tools/traffic/pcap.ts";
import { readCapture } from "../../../tools/traffic/capture_file.ts";
import { analyseCapture, type Analysis } from "../../../tools/traffic/traffic_analysis.ts";
import { type Check, defineChecks, REFERENCE_DIR, TOOLS_DIR } from "../../harness/checks.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { holdToSpecification } from "../../harness/sensor_specification.ts";
import { assertCleanFailure, assertSuccess } from "../../harness/expect.ts";
import { runScript, startScript, startServer } from "../../../tools/script/process.ts";
import { ipv4, records, tcpConversation, udp } from "../../harness/pcap_builder.ts";
import { SPEC_READING, SPEC_RESPONSE } from "../../harness/sensor_spec_example.ts";

const CAPTURE = `${TOOLS_DIR}/capture/capture.ts`;
const DISSECTOR = `${TOOLS_DIR}/wireshark/sensor_dissector.lua`;
const READINGS = 4;

/** The arguments of capture.ts that record `client` (given `clientArgs`) talking to `port`. */
function captureArgs(port: string, file: string, client: string, clientArgs: string[]): string[] {
  return ["--port", port, "--out", file, "--", client, "--port", port, ...clientArgs];
}

/** One reading as the reference server prints it with --json. */
interface ServerReading {
  seq: number;
  device: number;
  temperature: number;
  humidity: number;
  rssi: number;
  battery: number;
  power: string;
  flags: string[];
  note: string | null;
  bytes: number;
}

interface Run {
  /** The analysis of the capture, filtered on the server's port. */
  analysis: Analysis;
  /** What the server decoded, in order. */
  readings: ServerReading[];
  /** The capture file (in a temporary folder the caller removes). */
  file: string;
  dir: string;
}

/**
 * Starts the reference server of `transport` with --json, and records with capture.ts
 * the student's client sending READINGS readings to it.
 */
async function capturedRun(
  transport: "tcp" | "udp",
  client: string,
  note = "lab",
): Promise<Run> {
  const server = await startServer(`${REFERENCE_DIR}/lab1/sensor_server_${transport}.ts`, [
    "--json",
  ]);
  const dir = await Deno.makeTempDir({ prefix: `capture-${transport}-` });
  const file = `${dir}/${transport}.pcap`;
  const port = String(server.port);
  try {
    const result = await runScript(
      CAPTURE,
      captureArgs(port, file, client, [
        "--count",
        String(READINGS),
        "--interval",
        "30",
        "--seed",
        "5",
        "--device",
        "42",
        "--note",
        note,
      ]),
      30_000,
    );
    assertSuccess(result);
    assert.match(result.stdout, new RegExp(`capturing on lo \\(port ${port}\\) into `));
    assert.match(result.stdout, /captured \d+ packets into /);
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  } finally {
    await server.script.stop();
  }
  const readings = server.script.stdout.split("\n").filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as ServerReading);
  const analysis = analyseCapture(readCapture(await Deno.readFile(file)), { ports: [server.port] });
  return { analysis, readings, file, dir };
}

function assertSensorFlow(run: Run, transport: "TCP" | "UDP"): void {
  const { analysis, readings } = run;
  assert.equal(readings.length, READINGS, "the server decoded every reading");
  assert.equal(analysis.flows.length, 1, `one ${transport} conversation`);
  const [flow] = analysis.flows;
  assert.equal(flow.transport, transport);
  assert.equal(flow.application, "sensor protocol v1", "every byte parses as sensor messages");
  assert.equal(flow.complete, true);
  assert.equal(flow.readings, READINGS, "one READING per reading sent");
  assert.equal(flow.responses, READINGS, "one RESPONSE per reading");
  const sent = readings.reduce((sum, reading) => sum + reading.bytes, 0);
  assert.equal(flow.readingBytes, sent, "the payload from the client is what the server received");
  assert.equal(flow.responseBytes, 24 * READINGS, "24-byte responses");
  assert.equal(flow.total.payloadBytes, sent + 24 * READINGS);
}

const captureChecks: Check[] = [
  {
    id: "D1-capture-tcp",
    task: "D1",
    title: "a captured TCP sensor run: 3-packet handshake, one READING per reading, teardown",
    points: 1,
    hint: "the client should open one connection, send each reading as one message of the " +
      "protocol (header length = message size), read each response, then close the connection",
    requires: "tcpdump",
    requiresRoot: true,
    async run({ script }) {
      const run = await capturedRun("tcp", script("sensor_client_tcp.ts"));
      try {
        assertSensorFlow(run, "TCP");
        const [flow] = run.analysis.flows;
        assert.equal(flow.roles.handshake!.packets, 3, "SYN, SYN+ACK, ACK");
        const teardown = run.analysis.packets.filter((p) => p.role === "teardown");
        assert.ok(
          teardown.length >= 3 && teardown.length <= 4,
          `teardown: ${teardown.length} packets`,
        );
        const fins = teardown.filter((p) => p.flags.includes("FIN"));
        assert.equal(new Set(fins.map((p) => p.source)).size, 2, "a FIN from each side");
        assert.equal(flow.roles.data!.packets >= 2 * READINGS, true);
        const [tcp] = run.analysis.transports;
        assert.equal(tcp.total.packets, run.analysis.packets.length);
        assert.equal(
          tcp.total.wireBytes,
          run.analysis.packets.reduce((sum, p) => sum + p.wireBytes, 0),
        );
      } finally {
        await Deno.remove(run.dir, { recursive: true });
      }
    },
  },
  {
    id: "D1-capture-udp",
    task: "D1",
    title: "a captured UDP sensor run: one datagram per reading and one per response",
    points: 1,
    hint: "send each reading as one datagram holding exactly one message; the server answers " +
      "each with one datagram",
    requires: "tcpdump",
    requiresRoot: true,
    async run({ script }) {
      const run = await capturedRun("udp", script("sensor_client_udp.ts"));
      try {
        assertSensorFlow(run, "UDP");
        assert.equal(run.analysis.packets.length, 2 * READINGS);
        const [udpSummary] = run.analysis.transports;
        assert.equal(udpSummary.headers.transport, 8 * 2 * READINGS);
        assert.equal(
          udpSummary.perReading!.overheadBytes,
          2 * (14 + 20 + 8),
          "Ethernet + IPv4 + UDP, twice",
        );
      } finally {
        await Deno.remove(run.dir, { recursive: true });
      }
    },
  },
  {
    id: "D1-dissector",
    task: "D1",
    title: "the Wireshark dissector decodes every field of captured readings and responses",
    points: 1,
    hint: "tshark -X lua_script:tools/wireshark/sensor_dissector.lua -r your.pcap -V shows what " +
      "Wireshark reads in your messages; every field must be where sensor_protocol.md puts it",
    requires: ["tcpdump", "tshark"],
    requiresRoot: true,
    async run({ script }) {
      // Both transports at once: each capture records only its own server's port.
      await Promise.all((["tcp", "udp"] as const).map(async (transport) => {
        const run = await capturedRun(transport, script(`sensor_client_${transport}.ts`), "ñandú");
        try {
          // The server runs on a free port, not 50000: the dissector finds it by its header.
          const [rows, responses] = await Promise.all([
            tsharkFields(run.file, "sensor.type == 1", READING_FIELDS),
            tsharkFields(run.file, "sensor.type == 2", ["sensor.status", "sensor.ack"]),
          ]);
          assert.equal(rows.length, READINGS, `${transport}: one READING per reading`);
          rows.forEach((row, i) => assertReadingRow(row, run.readings[i], transport));
          assert.deepEqual(responses, run.readings.map((r) => ["0", String(r.seq)]));
        } finally {
          await Deno.remove(run.dir, { recursive: true });
        }
      }));
    },
  },
];

// Captures of the course's protocol: a student's own design is graded on its own terms.
export const checks = defineChecks(1, holdToSpecification(captureChecks));

const READING_FIELDS = [
  "sensor.seq",
  "sensor.device",
  "sensor.temperature",
  "sensor.humidity",
  "sensor.rssi",
  "sensor.battery",
  "sensor.power",
  "sensor.flags",
  "sensor.note",
  "sensor.length",
];
const POWER = ["MAINS", "BATTERY", "SOLAR"];
const FLAG_BITS: Record<string, number> = {
  LOW_BATTERY: 1,
  TEMPERATURE_ALARM: 2,
  MOTION: 4,
  TAMPER: 8,
};

function assertReadingRow(row: string[], reading: ServerReading, where: string): void {
  const [seq, device, temperature, humidity, rssi, battery, power, flags, note, length] = row;
  const expected = {
    seq: String(reading.seq),
    device: String(reading.device),
    humidity: String(Math.round(reading.humidity * 100)),
    rssi: String(reading.rssi),
    battery: String(reading.battery),
    power: String(POWER.indexOf(reading.power)),
    flags: reading.flags.reduce((bits, name) => bits | FLAG_BITS[name], 0),
    note: reading.note ?? "",
    length: String(reading.bytes),
  };
  assert.deepEqual(
    { seq, device, humidity, rssi, battery, power, flags: Number(flags), note, length },
    expected,
    `${where} reading #${reading.seq}`,
  );
  // tshark prints a float32 with 6 significant digits.
  assert.ok(
    Math.abs(Number(temperature) - reading.temperature) < 1e-3,
    `${temperature} vs ${reading.temperature}`,
  );
}

/** The given fields of the packets matching `filter`, as tshark decodes them with our dissector. */
async function tsharkFields(file: string, filter: string, fields: string[]): Promise<string[][]> {
  const output = await new Deno.Command("tshark", {
    args: [
      "-X",
      `lua_script:${DISSECTOR}`,
      "-r",
      file,
      "-Y",
      filter,
      "-T",
      "fields",
      "-E",
      "occurrence=a",
      ...fields.flatMap((field) => ["-e", field]),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `tshark failed:\n${stderr}`);
  assert.doesNotMatch(stderr, /Lua|error/i, "the dissector loads without errors");
  const text = new TextDecoder().decode(output.stdout).trimEnd();
  return text === "" ? [] : text.split("\n").map((line) => line.split("\t"));
}

// ---------------------------------------------------------------------------
// The dissector on captures built byte by byte (no root needed).

const noTshark = !hasProgram("tshark");
if (noTshark) {
  console.log("skipping the dissector tests: tshark is not installed (apt-get install tshark)");
}

Deno.test({
  name:
    "the dissector decodes the specification's example over UDP and TCP, joined, split and on any port",
  ignore: noTshark,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dissector-" });
    try {
      const badMagic = SPEC_READING.slice();
      badMagic[0] = 0x58;
      const packets = [
        { time: 1, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, SPEC_READING)) },
        { time: 2, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, SPEC_RESPONSE)) },
        // TCP on port 50000: two readings in one segment, then one split over two.
        ...tcpConversation([
          { from: "client", data: concat(SPEC_READING, SPEC_READING) },
          { from: "client", dataNoAck: SPEC_READING.subarray(0, 10) },
          { from: "client", data: SPEC_READING.subarray(10) },
          { from: "server", data: SPEC_RESPONSE },
        ], { startTime: 3 }),
        // Another port: found by its header.
        ...tcpConversation([{ from: "client", data: SPEC_READING }], {
          startTime: 4,
          server: ["127.0.0.1", 40404],
          client: ["127.0.0.1", 40405],
        }),
        { time: 5, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, badMagic)) },
      ];
      const file = `${dir}/spec.pcap`;
      await Deno.writeFile(
        file,
        writePcap({ linkType: LinkType.ETHERNET }, records(LinkType.ETHERNET, packets)),
      );

      const readings = await tsharkFields(file, 'sensor.type == 1 && sensor.magic == "ST"', [
        ...READING_FIELDS,
        "sensor.timestamp",
        "sensor.version",
        "sensor.note_length",
        "sensor.flags.motion",
        "tcp.srcport",
      ]);
      const one = [
        "1",
        "7",
        "21.5",
        "4525",
        "-67",
        "88",
        "1",
        "0x04",
        "café",
        "36",
        "1735689600000",
        "1",
        "5",
        "1",
      ];
      // UDP, then one TCP segment with two, the split one (on its second segment), port 40404.
      assert.deepEqual(readings.map((row) => row.slice(0, one.length)), [
        one,
        one.map((value) => `${value},${value}`),
        one,
        one,
      ]);
      assert.deepEqual(readings.map((row) => row.at(-1)), ["", "45678", "45678", "40405"]);

      const responses = await tsharkFields(file, "sensor.type == 2", [
        "sensor.status",
        "sensor.ack",
        "sensor.server_time",
        "sensor.command",
        "sensor.argument",
        "sensor.length",
      ]);
      assert.deepEqual(responses, [
        ["0", "1", "1735689600042", "1", "2000", "24"],
        ["0", "1", "1735689600042", "1", "2000", "24"],
      ]);

      const bad = await tsharkFields(file, 'sensor.magic == "XT"', ["_ws.expert.message"]);
      assert.deepEqual(bad, [["bad magic, version, type or length"]]);

      const verbose = await new Deno.Command("tshark", {
        args: ["-X", `lua_script:${DISSECTOR}`, "-r", file, "-V", "-Y", "frame.number == 1"],
        stdout: "piped",
        stderr: "null",
      }).output();
      const tree = new TextDecoder().decode(verbose.stdout);
      for (
        const line of [
          "Sensor telemetry protocol: READING seq=1 device=7 21.50 °C",
          "Type: READING (1)",
          "Timestamp (ms since 1970): 1735689600000 (2025-01-01 00:00:00.000 UTC)",
          "Humidity (hundredths of a percent): 4525 (45.25 %)",
          "Power source: BATTERY (1)",
          ".... .1.. = Motion: True",
          "Note: café",
        ]
      ) {
        assert.ok(tree.includes(line), `missing "${line}" in:\n${tree}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

// ---------------------------------------------------------------------------
// capture.ts without what it needs: one line, non-zero exit.

Deno.test("capture.ts without tcpdump says how to install it, in one line", async () => {
  const result = await runScript(CAPTURE, ["--out", "/tmp/never-written.pcap"], 10_000, {
    runner: ["env", "PATH=/nonexistent"],
  });
  assertCleanFailure(
    result,
    /^error: tcpdump is not installed: install it \(sudo apt-get install tcpdump\)/,
    1,
  );
});

Deno.test("capture.ts refuses a command that is neither a lab script nor deno", async () => {
  const result = await runScript(CAPTURE, ["--", "ls", "-l"]);
  assertCleanFailure(result, /the command must be a lab script .* not "ls"/, 2);
});

/** Whether user nobody can run capture.ts here (root, setpriv, a repository others can read). */
async function nobodyCanRun(): Promise<string | null> {
  if (!hasProgram("tcpdump") || !hasProgram("setpriv")) return "tcpdump or setpriv is missing";
  try {
    if (Deno.uid() !== 0) return "it needs root to become another user";
  } catch {
    return "it needs root to become another user";
  }
  const probe = await new Deno.Command("setpriv", {
    args: ["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", CAPTURE],
    stdout: "null",
    stderr: "null",
  }).output();
  return probe.success ? null : "user nobody cannot read the repository here";
}

const nobodySkip = await nobodyCanRun();
if (nobodySkip) console.log(`skipping the capture.ts test as a normal user: ${nobodySkip}`);

Deno.test({
  name: "capture.ts as a normal user says it needs root, in one line",
  ignore: nobodySkip !== null,
  async fn() {
    const denoDir = await Deno.makeTempDir({ prefix: "deno-dir-nobody-" });
    await Deno.chmod(denoDir, 0o777);
    try {
      const result = await runScript(CAPTURE, ["--out", `${denoDir}/x.pcap`], 20_000, {
        runner: [
          "setpriv",
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          "env",
          `HOME=${denoDir}`,
          `DENO_DIR=${denoDir}`,
        ],
      });
      assertCleanFailure(result, /tcpdump may not capture here: run this as root \(sudo\)/, 1);
    } finally {
      await Deno.remove(denoDir, { recursive: true });
    }
  },
});

const noCapture = !hasProgram("tcpdump") || Deno.uid() !== 0;

Deno.test({
  name: "capture.ts stopped with SIGTERM stops its client and tcpdump, and keeps every packet",
  ignore: noCapture,
  async fn() {
    const server = await startServer(`${REFERENCE_DIR}/lab1/sensor_server_tcp.ts`);
    const dir = await Deno.makeTempDir({ prefix: "capture-sigterm-" });
    const file = `${dir}/run.pcap`;
    const port = String(server.port);
    try {
      const client = `${REFERENCE_DIR}/lab1/sensor_client_tcp.ts`;
      const capture = await startScript(
        CAPTURE,
        captureArgs(port, file, client, ["--count", "0", "--interval", "50"]),
      );
      await capture.waitFor(/response #2 /);
      const result = await capture.stop("SIGTERM");
      assertSuccess(result);
      assert.match(result.stdout, /captured \d+ packets into /);
      const tcpdumpLeft = await new Deno.Command("pgrep", { args: ["-f", file] }).output();
      assert.equal(tcpdumpLeft.code, 1, "no tcpdump is left running");
      const analysis = analyseCapture(readCapture(await Deno.readFile(file)));
      const [flow] = analysis.flows;
      assert.ok(flow.readings >= 2);
      assert.equal(flow.roles.handshake!.packets, 3);
      assert.ok(flow.roles.teardown!.packets >= 3, "the client closed its connection on SIGTERM");
    } finally {
      await server.script.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const noEditcap = noCapture || !hasProgram("editcap");
if (noEditcap) {
  console.log("SKIPPED: the -s 96 copy of a real capture: it needs root, tcpdump, editcap");
}

Deno.test({
  name: "a real sensor run and its `editcap -s 96` copy give the same figures",
  ignore: noEditcap,
  async fn() {
    // A note long enough that tcpdump -s 96 would cut the UDP readings too.
    const note = "a note long enough to be cut by a 96-byte snap length";
    for (const transport of ["tcp", "udp"] as const) {
      const run = await capturedRun(
        transport,
        `${REFERENCE_DIR}/lab1/sensor_client_${transport}.ts`,
        note,
      );
      try {
        const cutFile = `${run.dir}/cut.pcapng`;
        const editcap = await new Deno.Command("editcap", {
          args: ["-s", "96", run.file, cutFile],
          stderr: "piped",
        }).output();
        assert.ok(editcap.success, new TextDecoder().decode(editcap.stderr));
        const ports = run.analysis.flows.map((flow) => Number(flow.server.split(":")[1]));
        const cut = analyseCapture(readCapture(await Deno.readFile(cutFile)), { ports });
        assert.ok(cut.capture.cutFrames >= READINGS, `${transport}: the readings were cut`);
        assert.equal(cut.capture.cutLength, 96);
        assert.deepEqual(cut.transports, run.analysis.transports, transport);
        const withoutCompleteness = (analysis: Analysis) =>
          analysis.flows.map(({ complete: _, ...flow }) => flow);
        assert.deepEqual(withoutCompleteness(cut), withoutCompleteness(run.analysis));
        assert.equal(cut.flows[0].readings, READINGS);
        assert.equal(cut.flows[0].estimated, false);
      } finally {
        await Deno.remove(run.dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  name:
    "the report explains real captures of Tasks 1.1, 1.3 and 1.4 (roles, datagrams, packed bytes)",
  ignore: noCapture,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "capture-tasks-" });
    const report = `${TOOLS_DIR}/traffic/traffic_report.ts`;
    /** Captures `client` talking to a fresh `server`; returns the capture's path. */
    const captureTask = async (server: string, client: string, args: string[]) => {
      await using running = await startServer(`${REFERENCE_DIR}/lab1/${server}`);
      const file = `${dir}/${client}.pcap`;
      const port = String(running.port);
      const clientPath = `${REFERENCE_DIR}/lab1/${client}`;
      assertSuccess(await runScript(CAPTURE, captureArgs(port, file, clientPath, args), 20_000));
      return file;
    };
    try {
      const echo = await captureTask("tcp_echo_server.ts", "tcp_echo_client.ts", ["Hello"]);
      const [flow] = analyseCapture(readCapture(await Deno.readFile(echo))).flows;
      assert.equal(flow.roles.handshake!.packets, 3);
      assert.deepEqual([flow.roles.data!.packets, flow.roles.data!.payloadBytes], [2, 10]);
      assert.ok(flow.roles.teardown!.packets >= 2, "FINs from both sides, and their ACKs");

      const udpEcho = await captureTask("udp_echo_server.ts", "udp_echo_client.ts", ["Hello"]);
      const udpAnalysis = analyseCapture(readCapture(await Deno.readFile(udpEcho)));
      assert.deepEqual(udpAnalysis.packets.map((p) => [p.protocol, p.payloadBytes, p.wireBytes]), [
        ["UDP", 5, 47],
        ["UDP", 5, 47],
      ]);

      const binary = await captureTask("binary_server.ts", "binary_client.ts", []);
      const explained = await runScript(report, ["--explain", "4", binary]);
      assertSuccess(explained);
      assert.match(explained.stdout, /\| payload \| 66–77 \(0x42–0x4d\) \| 12 \|/);
      assert.match(explained.stdout, /^00000040 {2}.. .. 01 00 00 00 04 00 {2}00 00 cd cc 2c 40/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
