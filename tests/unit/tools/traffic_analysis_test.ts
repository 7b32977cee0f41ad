/**
 * Unit tests of the traffic analysis (tools/traffic/traffic_analysis.ts) and its chart, on
 * captures built byte by byte: every expected number below is computed from the frame
 * sizes the builder makes, not by the analyser.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat, unhexlify } from "../../../lib/bytes.ts";
import { LinkType, writePcap } from "../../../tools/traffic/pcap.ts";
import { readCapture } from "../../../tools/traffic/capture_file.ts";
import {
  analyseCapture,
  chartPoints,
  sensorMessageSizes,
} from "../../../tools/traffic/traffic_analysis.ts";
import { overheadChart } from "../../../tools/traffic/traffic_chart.ts";
import { markdownReport } from "../../../tools/traffic/traffic_report_format.ts";
import { SPEC_READING, SPEC_RESPONSE } from "../../harness/sensor_spec_example.ts";
import { ipv4, records, tcpConversation, type TcpStep, udp } from "../../harness/pcap_builder.ts";

const READING = SPEC_READING;
const RESPONSE = SPEC_RESPONSE;
const text = (s: string) => new TextEncoder().encode(s);

/** Frame sizes on Ethernet: 14 + 20 (IPv4) + 20 + 20 (TCP with SYN options), or + 32 (TCP with timestamps). */
const ETH = 14;
const SYN_FRAME = ETH + 20 + 40;
const TCP_FRAME = ETH + 20 + 32;
const UDP_FRAME = ETH + 20 + 8;

function capture(linkType: number, packets: { time: number; ip: Uint8Array }[]) {
  return readCapture(writePcap({ linkType }, records(linkType, packets)));
}

function sensorSteps(readings: number): TcpStep[] {
  const steps: TcpStep[] = [];
  for (let i = 0; i < readings; i++) {
    steps.push({ from: "client", data: READING }, { from: "server", data: RESPONSE });
  }
  return [...steps, { from: "client", close: true }];
}

Deno.test("a TCP sensor connection: handshake, data, ACKs, teardown and per-reading bytes", () => {
  const n = 5;
  const analysis = analyseCapture(capture(LinkType.ETHERNET, tcpConversation(sensorSteps(n))));
  assert.equal(analysis.capture.packets, 3 + 4 * n + 3);
  assert.equal(analysis.flows.length, 1);
  const [flow] = analysis.flows;
  assert.equal(flow.application, "sensor protocol v1");
  assert.equal(flow.client, "127.0.0.1:45678");
  assert.equal(flow.server, "127.0.0.1:50000");
  assert.deepEqual(
    [flow.readings, flow.responses, flow.readingBytes, flow.responseBytes],
    [n, n, n * 36, n * 24],
  );
  assert.deepEqual(flow.readingSizes, [36]);

  const [tcp] = analysis.transports;
  assert.equal(tcp.transport, "TCP");
  const handshake = 2 * SYN_FRAME + TCP_FRAME;
  const data = n * (TCP_FRAME + 36) + n * (TCP_FRAME + 24);
  const acks = 2 * n * TCP_FRAME;
  const teardown = 3 * TCP_FRAME;
  assert.deepEqual(tcp.roles.handshake, { packets: 3, wireBytes: handshake, payloadBytes: 0 });
  assert.deepEqual(tcp.roles.data, { packets: 2 * n, wireBytes: data, payloadBytes: 60 * n });
  assert.deepEqual(tcp.roles.ack, { packets: 2 * n, wireBytes: acks, payloadBytes: 0 });
  assert.deepEqual(tcp.roles.teardown, { packets: 3, wireBytes: teardown, payloadBytes: 0 });
  assert.deepEqual(tcp.roles.other, { packets: 0, wireBytes: 0, payloadBytes: 0 });
  const total = handshake + data + acks + teardown;
  assert.deepEqual(tcp.total, { packets: 4 * n + 6, wireBytes: total, payloadBytes: 60 * n });
  const packets = 4 * n + 6;
  assert.deepEqual(tcp.headers, {
    link: ETH * packets,
    ip: 20 * packets,
    transport: 40 * 2 + 32 * (packets - 2),
    trailer: 0,
  });
  assert.deepEqual(tcp.perReading, {
    payloadBytes: 60,
    wireBytes: total / n,
    overheadBytes: (total - 60 * n) / n,
    overheadPercent: 100 * (total - 60 * n) / total,
  });
  assert.equal(tcp.perReadingOpen!.wireBytes, (data + acks) / n);
  assert.equal(tcp.perReadingOpen!.payloadBytes, 60);

  const roles = analysis.packets.map((p) => p.role);
  assert.deepEqual(roles.slice(0, 7), [
    "handshake",
    "handshake",
    "handshake",
    "data",
    "ack",
    "data",
    "ack",
  ]);
  assert.deepEqual(roles.slice(-3), ["teardown", "teardown", "teardown"]);
  const first = analysis.packets[3];
  assert.deepEqual(
    [first.source, first.destination, first.protocol, first.flags, first.seq, first.ack],
    ["127.0.0.1:45678", "127.0.0.1:50000", "TCP", "PSH ACK", 1, 1],
  );
  assert.deepEqual([first.payloadBytes, first.headerBytes, first.wireBytes], [
    36,
    TCP_FRAME,
    TCP_FRAME + 36,
  ]);
  assert.equal(analysis.packets[0].ack, null, "a SYN has no acknowledgement number");
});

Deno.test("readings are counted by their headers when TCP joins or splits them", () => {
  const steps: TcpStep[] = [
    { from: "client", data: concat(READING, READING) }, // two readings, one segment
    { from: "client", dataNoAck: READING.subarray(0, 10) }, // one reading in two segments
    { from: "client", data: READING.subarray(10) },
    { from: "server", data: concat(RESPONSE, RESPONSE, RESPONSE) },
    { from: "client", close: true },
  ];
  const [flow] = analyseCapture(capture(LinkType.RAW, tcpConversation(steps))).flows;
  assert.equal(flow.application, "sensor protocol v1");
  assert.deepEqual([flow.readings, flow.responses], [3, 3]);
  assert.deepEqual([flow.readingBytes, flow.responseBytes], [108, 72]);
});

Deno.test("a UDP sensor exchange: one reading per datagram", () => {
  const n = 4;
  const packets = [];
  for (let i = 0; i < n; i++) {
    packets.push(
      { time: i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING)) },
      { time: i + 0.001, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, RESPONSE)) },
    );
  }
  const analysis = analyseCapture(capture(LinkType.ETHERNET, packets));
  const [flow] = analysis.flows;
  assert.deepEqual(
    [flow.transport, flow.application, flow.readings, flow.responses, flow.client],
    ["UDP", "sensor protocol v1", n, n, "127.0.0.1:40000"],
  );
  const [summary] = analysis.transports;
  const wire = n * (UDP_FRAME + 36 + UDP_FRAME + 24);
  assert.deepEqual(summary.roles, {
    datagram: { packets: 2 * n, wireBytes: wire, payloadBytes: 60 * n },
  });
  assert.deepEqual(summary.perReading, {
    payloadBytes: 60,
    wireBytes: 2 * UDP_FRAME + 60,
    overheadBytes: 2 * UDP_FRAME,
    overheadPercent: 100 * 2 * UDP_FRAME / (2 * UDP_FRAME + 60),
  });
  assert.equal(summary.perReadingOpen, null);
  assert.deepEqual(summary.headers, {
    link: 2 * n * ETH,
    ip: 2 * n * 20,
    transport: 2 * n * 8,
    trailer: 0,
  });
});

Deno.test("other applications: a reading is a client datagram or a client data segment", () => {
  const echo = tcpConversation([
    { from: "client", data: text("Hello") },
    { from: "server", data: text("Hello") },
    { from: "client", data: text("again") },
    { from: "server", data: text("again") },
    { from: "client", close: true },
  ], { server: ["127.0.0.1", 65432] });
  const datagram = {
    time: 1700000100,
    ip: ipv4("127.0.0.1", "127.0.0.1", udp(41000, 65432, text("ping"))),
  };
  const analysis = analyseCapture(capture(LinkType.LINUX_SLL2, [...echo, datagram]));
  assert.deepEqual(
    analysis.flows.map((
      f,
    ) => [f.transport, f.application, f.readings, f.responses, f.readingBytes]),
    [["TCP", "unrecognised", 2, 2, 10], ["UDP", "unrecognised", 1, 0, 4]],
  );
  assert.equal(
    analysis.transports[0].headers.link,
    20 * echo.length,
    "Linux cooked v2: 20 bytes each",
  );
});

Deno.test("the same conversation on every link type differs only in link-layer bytes", () => {
  const conversation = tcpConversation(sensorSteps(2));
  const linkBytes: Record<number, number> = {
    [LinkType.ETHERNET]: 14,
    [LinkType.LINUX_SLL]: 16,
    [LinkType.LINUX_SLL2]: 20,
    [LinkType.NULL]: 4,
    [LinkType.RAW]: 0,
  };
  const base = analyseCapture(capture(LinkType.RAW, conversation)).transports[0];
  for (const [linkType, bytes] of Object.entries(linkBytes)) {
    const summary = analyseCapture(capture(Number(linkType), conversation)).transports[0];
    assert.equal(
      summary.total.wireBytes,
      base.total.wireBytes + bytes * conversation.length,
      linkType,
    );
    assert.deepEqual(summary.roles.data!.packets, base.roles.data!.packets);
    assert.equal(summary.readings, 2);
  }
});

Deno.test("--port keeps the packets of those ports and names their side the server", () => {
  const sensor = tcpConversation(sensorSteps(1)).slice(3); // no handshake: the port decides
  const other = {
    time: 1700000200,
    ip: ipv4("127.0.0.1", "127.0.0.1", udp(5353, 5353, text("mdns"))),
  };
  const analysis = analyseCapture(capture(LinkType.ETHERNET, [other, ...sensor]), {
    ports: [50000],
  });
  assert.equal(analysis.capture.filteredOut, 1);
  assert.equal(analysis.packets.length, sensor.length);
  assert.equal(analysis.flows[0].server, "127.0.0.1:50000");
  assert.equal(analysis.flows[0].readings, 1);
});

Deno.test("a frame that cannot be decoded gets a row with the reason and is left out of the sums", () => {
  const good = ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING));
  const pcap = readCapture(writePcap({ linkType: LinkType.RAW }, [
    { seconds: 1, data: good },
    { seconds: 2, data: good.subarray(0, 24), originalLength: good.length }, // cut by a snap length
  ]));
  const analysis = analyseCapture(pcap);
  assert.equal(analysis.packets.length, 2);
  assert.equal(analysis.packets[1].error, "UDP header: 4 of 8 bytes captured");
  assert.equal(analysis.packets[1].role, null);
  assert.equal(analysis.transports[0].total.packets, 1);
  assert.equal(analysis.packets[1].time, 1);
});

/** A capture of `packets` in which the snap length kept at most `snap` bytes of each frame. */
function snapped(linkType: number, packets: { time: number; ip: Uint8Array }[], snap: number) {
  const cut = records(linkType, packets).map((r) => ({
    ...r,
    data: r.data.subarray(0, snap),
    originalLength: r.data.length,
  }));
  return readCapture(writePcap({ linkType, snapLength: snap }, cut));
}

/** Five readings over TCP, then five over UDP, each answered. */
function tcpAndUdpRun() {
  const udpRun = [0, 1, 2, 3, 4].flatMap((i) => [
    { time: 1700000100 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING)) },
    { time: 1700000100.5 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, RESPONSE)) },
  ]);
  return [...tcpConversation(sensorSteps(5)), ...udpRun];
}

Deno.test("a short snap length changes no figure where the message headers survive", () => {
  const run = tcpAndUdpRun();
  const full = analyseCapture(capture(LinkType.ETHERNET, run));
  assert.equal(full.capture.cutFrames, 0);
  // 96: 30 bytes of each TCP payload kept; 72: only the 6-byte message header; 48: the UDP one.
  for (const snap of [96, 72]) {
    const cut = analyseCapture(snapped(LinkType.ETHERNET, run, snap));
    assert.ok(cut.capture.cutFrames >= 5, `${snap}: the TCP readings (at least) were cut`);
    assert.equal(cut.capture.cutLength, snap);
    assert.deepEqual(cut.transports, full.transports, `snap length ${snap}`);
    assert.deepEqual(
      cut.flows.map(({ complete: _, ...flow }) => flow),
      full.flows.map(({ complete: _, ...flow }) => flow),
    );
    assert.deepEqual(cut.flows.map((f) => f.complete), [false, snap === 96]);
    assert.deepEqual(cut.flows.map((f) => [f.readings, f.estimated]), [[5, false], [5, false]]);
  }
  const udpOnly = analyseCapture(snapped(LinkType.ETHERNET, run.slice(-10), 48));
  assert.deepEqual(udpOnly.transports, full.transports.slice(1));
});

Deno.test("where the snap length hid a message header, the counts are estimated and marked", () => {
  // Three readings in one segment, three responses in another: with 96 bytes kept, the
  // first header of each is read, the second response's too (bytes 24-29), the rest not.
  const steps: TcpStep[] = [
    { from: "client", data: concat(READING, READING, READING) },
    { from: "server", data: concat(RESPONSE, RESPONSE, RESPONSE) },
    { from: "client", close: true },
  ];
  const conversation = tcpConversation(steps);
  const full = analyseCapture(capture(LinkType.ETHERNET, conversation)).flows[0];
  const [flow] = analyseCapture(snapped(LinkType.ETHERNET, conversation, 96)).flows;
  assert.deepEqual([full.readings, full.responses, full.estimated], [3, 3, false]);
  assert.deepEqual([flow.readings, flow.responses, flow.estimated], [3, 3, true]);
  assert.deepEqual(flow.readingSizes, [36], "the size of the one reading whose header was kept");
  assert.deepEqual([flow.readingBytes, flow.responseBytes], [108, 72], "from the sequence numbers");

  const analysis = analyseCapture(snapped(LinkType.ETHERNET, conversation, 96));
  const report = markdownReport(analysis, "cut.pcap", false);
  assert.match(
    report,
    /> \*\*Warning: 2 of the 10 frames were cut short: the capture kept at most 96 bytes of each/,
  );
  assert.match(report, /estimated where it kept none \(conversation 1\)/);
  assert.match(report, /sensor protocol v1 \(counts estimated\)/);
  assert.match(report, /1 conversation\(s\), about 3 reading\(s\) of 108 bytes/);

  // UDP datagrams whose message headers were all cut: one reading per datagram, as for any
  // application the analysis does not recognise.
  const datagrams = [1, 2].map((time) => ({
    time,
    ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING)),
  }));
  const [udpFlow] = analyseCapture(snapped(LinkType.ETHERNET, datagrams, 45)).flows;
  assert.deepEqual([udpFlow.application, udpFlow.readings, udpFlow.readingBytes], [
    "unrecognised",
    2,
    72,
  ]);
});

Deno.test("a capture with nothing cut has no warning", () => {
  const report = markdownReport(
    analyseCapture(capture(LinkType.ETHERNET, tcpAndUdpRun())),
    "whole.pcap",
    false,
  );
  assert.doesNotMatch(report, /Warning/);
  assert.match(report, /^36 packets, link type 1 \(Ethernet\), microsecond timestamps/m);
});

Deno.test("sensorMessageSizes splits sensor messages and refuses anything else", () => {
  assert.deepEqual(sensorMessageSizes(concat(READING, RESPONSE)), [36, 24]);
  assert.equal(sensorMessageSizes(text("Hello, world")), null);
  assert.equal(sensorMessageSizes(READING.subarray(0, 20)), null);
  assert.deepEqual(sensorMessageSizes(concat(RESPONSE, READING.subarray(0, 20)), true), [24, 36]);
  assert.equal(sensorMessageSizes(new Uint8Array()), null);
  const badVersion = READING.slice();
  badVersion[2] = 2;
  assert.equal(sensorMessageSizes(badVersion), null);
});

Deno.test("chartPoints averages each transport and reading size per reading", () => {
  const tcpRun = tcpConversation(sensorSteps(3));
  const udpRun = [0, 1, 2].flatMap((i) => [
    { time: 1700000100 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, READING)) },
    { time: 1700000100.5 + i, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, RESPONSE)) },
  ]);
  const points = chartPoints(analyseCapture(capture(LinkType.ETHERNET, [...tcpRun, ...udpRun])));
  assert.deepEqual(points.map((p) => [p.transport, p.readingSize, p.readings, p.flows]), [
    ["TCP", 36, 3, 1],
    ["UDP", 36, 3, 1],
  ]);
  const [tcp, udpPoint] = points;
  assert.deepEqual(tcp.parts, {
    payload: 60,
    headers: 2 * TCP_FRAME,
    acks: 2 * TCP_FRAME,
    setup: (2 * SYN_FRAME + TCP_FRAME + 3 * TCP_FRAME) / 3,
  });
  assert.deepEqual(udpPoint.parts, { payload: 60, headers: 2 * UDP_FRAME, acks: 0, setup: 0 });
});

Deno.test("the chart shows one group per reading size, TCP and UDP bars, in English and Spanish", () => {
  const udpRun = (port: number, reading: Uint8Array, start: number) => [
    { time: start, ip: ipv4("127.0.0.1", "127.0.0.1", udp(port, 50000, reading)) },
    { time: start + 0.5, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, port, RESPONSE)) },
  ];
  const longer = concat(
    READING.subarray(0, 4),
    unhexlify("0040"),
    READING.subarray(6, 30),
    new Uint8Array([33]),
    new Uint8Array(33),
  );
  const analysis = analyseCapture(capture(LinkType.ETHERNET, [
    ...tcpConversation(sensorSteps(2)),
    ...udpRun(40000, READING, 1700000100),
    ...udpRun(40001, longer, 1700000200),
  ]));
  const svg = overheadChart(analysis);
  assert.equal(svg, overheadChart(analysis), "the same data draws the same bytes");
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<title id="chart-title">Bytes on the wire per reading: TCP and UDP<\/title>/);
  assert.match(svg, />36-byte reading<\/text>/);
  assert.match(svg, />64-byte reading<\/text>/);
  assert.equal(svg.match(/>TCP<\/text>/g)?.length, 1);
  assert.equal(svg.match(/>UDP<\/text>/g)?.length, 2);
  const udpTotal = 2 * UDP_FRAME + 60;
  assert.ok(svg.includes(`>${udpTotal}</text>`), `the UDP bar's total ${udpTotal} is written`);
  assert.match(svg, /2 readings per TCP connection/);
  const es = overheadChart(analysis, "es");
  assert.match(es, />lectura de 36 bytes<\/text>/);
  assert.match(es, /Bytes en la red por lectura/);
});

Deno.test("the chart is laid out the way deno fmt lays out SVG", async () => {
  const analysis = analyseCapture(capture(LinkType.ETHERNET, tcpConversation(sensorSteps(2))));
  const svg = overheadChart(analysis);
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "svg", "-"],
    cwd: new URL("../../..", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(text(svg));
  await writer.close();
  const output = await fmt.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(new TextDecoder().decode(output.stdout), svg);
});
