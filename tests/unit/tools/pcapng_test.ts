/**
 * Unit tests of the pcapng reader (tools/traffic/pcapng.ts) and of `readCapture`, on
 * files built block by block (`writePcapng` in the pcap builder), and on files made by
 * the tools students use: `editcap -F pcapng`, `tshark -F pcapng -w`, `mergecap`, and a
 * live `dumpcap` capture on `lo` (as root). Each tool-made file is read twice, by us and
 * by tshark, and the two must agree packet by packet. Tests whose tool is missing are
 * reported as ignored, with a SKIPPED line.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat } from "../../../lib/bytes.ts";
import { type Capture, readCapture } from "../../../tools/traffic/capture_file.ts";
import { LinkType, PcapError, writePcap } from "../../../tools/traffic/pcap.ts";
import { BlockType, readPcapng } from "../../../tools/traffic/pcapng.ts";
import { analyseCapture } from "../../../tools/traffic/traffic_analysis.ts";
import { hasProgram, isRoot } from "../../../tools/script/host.ts";
import { startProgram } from "../../../tools/script/process.ts";
import { SPEC_READING, SPEC_RESPONSE } from "../../harness/sensor_spec_example.ts";
import {
  ipv4,
  type PcapngBlock,
  pcapngPackets,
  records,
  tcpConversation,
  type TcpStep,
  udp,
  writePcapng,
} from "../../harness/pcap_builder.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A sensor conversation over TCP: two readings, two responses, and the teardown. */
function sensorConversation(): { time: number; ip: Uint8Array }[] {
  const steps: TcpStep[] = [
    { from: "client", data: SPEC_READING },
    { from: "server", data: SPEC_RESPONSE },
    { from: "client", data: SPEC_READING },
    { from: "server", data: SPEC_RESPONSE },
    { from: "client", close: true },
  ];
  return tcpConversation(steps, { startTime: 1700000000.25 });
}

/** Three UDP datagrams on raw IP. */
function datagrams(): { time: number; ip: Uint8Array }[] {
  return [1, 2, 3].map((i) => ({
    time: 1700000001 + i / 8,
    ip: ipv4("10.0.0.1", "10.0.0.2", udp(40000, 5005, text(`datagram ${i}`))),
  }));
}

/** The fields of a record that do not depend on where it sits in the file. */
function essentials(capture: Capture) {
  return capture.records.map((r) => ({
    interfaceId: r.interfaceId,
    linkType: r.linkType,
    seconds: r.seconds,
    nanoseconds: r.nanoseconds,
    originalLength: r.originalLength,
    data: [...r.data],
  }));
}

// ---------------------------------------------------------------------------
// Files built block by block

/** Two interfaces (Ethernet in µs, raw IP in ns with an offset), blocks to skip between. */
function twoInterfaces(byteOrder: "little" | "big"): Uint8Array {
  const tcp = records(LinkType.ETHERNET, sensorConversation());
  const udpRecords = records(LinkType.RAW, datagrams());
  const blocks: PcapngBlock[] = [
    { section: { byteOrder } },
    { interface: { linkType: LinkType.ETHERNET, name: "lo" } },
    { other: { type: BlockType.NAME_RESOLUTION, body: new Uint8Array(4) } },
    { interface: { linkType: LinkType.RAW, name: "tun0", tsresol: 9, tsOffset: 100n } },
    ...pcapngPackets(0, tcp.slice(0, 4)),
    { other: { type: 0x40000bad, body: text("a custom block nobody knows") } },
    ...udpRecords.map((r): PcapngBlock => ({
      packet: {
        interfaceId: 1,
        timestamp: BigInt(r.seconds - 100) * 1_000_000_000n + BigInt(r.nanoseconds ?? 0),
        data: r.data,
      },
    })),
    ...pcapngPackets(0, tcp.slice(4)),
    { other: { type: BlockType.INTERFACE_STATISTICS, body: new Uint8Array(12) } },
  ];
  return writePcapng(blocks);
}

for (const byteOrder of ["little", "big"] as const) {
  Deno.test(`pcapng: a ${byteOrder}-endian section with two interfaces and blocks to skip`, () => {
    const capture = readCapture(twoInterfaces(byteOrder));
    assert.equal(capture.format, "pcapng");
    assert.equal(capture.byteOrder, byteOrder);
    assert.equal(capture.skippedBlocks, 3, "name resolution, custom, interface statistics");
    assert.deepEqual(capture.interfaces, [
      {
        id: 0,
        linkType: LinkType.ETHERNET,
        snapLength: 262144,
        fcsLength: 0,
        name: "lo",
        timestampUnit: "microsecond",
      },
      {
        id: 1,
        linkType: LinkType.RAW,
        snapLength: 262144,
        fcsLength: 0,
        name: "tun0",
        timestampUnit: "nanosecond",
      },
    ]);
    const tcp = sensorConversation().length;
    assert.equal(capture.records.length, tcp + 3);
    assert.deepEqual(
      capture.records.map((r) => r.interfaceId),
      [0, 0, 0, 0, 1, 1, 1, ...new Array(tcp - 4).fill(0)],
    );
    const [first] = capture.records;
    assert.deepEqual([first.number, first.seconds, first.nanoseconds], [
      1,
      1700000000,
      250_000_000,
    ]);
    const udpRecord = capture.records[5];
    assert.deepEqual([udpRecord.linkType, udpRecord.seconds], [LinkType.RAW, 1700000001]);
    assert.equal(udpRecord.nanoseconds, 250_000_000, "1/4 s after, and the if_tsoffset added");

    // The same packets analysed from this file and from a classic pcap give the same figures.
    const analysis = analyseCapture(capture);
    const [tcpFlow, udpFlow] = analysis.flows;
    assert.deepEqual([tcpFlow.transport, tcpFlow.readings, tcpFlow.responses], ["TCP", 2, 2]);
    assert.deepEqual([udpFlow.transport, udpFlow.readings], ["UDP", 3]);
    const pcap = analyseCapture(
      readCapture(writePcap({ linkType: LinkType.ETHERNET }, records(1, sensorConversation()))),
    );
    assert.deepEqual(analysis.transports[0], pcap.transports[0]);
  });
}

Deno.test("pcapng: a new section starts over its interfaces and may change byte order", () => {
  const [packet] = records(LinkType.RAW, datagrams());
  const file = writePcapng([
    { section: {} },
    { interface: { linkType: LinkType.ETHERNET } },
    { section: { byteOrder: "big" } },
    { interface: { linkType: LinkType.RAW } },
    ...pcapngPackets(0, [packet]),
  ]);
  const capture = readCapture(file);
  assert.equal(capture.byteOrder, "little", "the first section's");
  assert.deepEqual(capture.interfaces.map((i) => i.linkType), [LinkType.ETHERNET, LinkType.RAW]);
  assert.deepEqual([capture.records[0].interfaceId, capture.records[0].linkType], [1, 101]);
});

Deno.test("pcapng: timestamps in every resolution if_tsresol can give", () => {
  // 1700000000.5 s in each unit (1000.5 s where that would not fit in 64 bits).
  const cases: [number | undefined, bigint, string, number][] = [
    [undefined, 1_700_000_000_500_000n, "microsecond", 1700000000],
    [3, 1_700_000_000_500n, "millisecond", 1700000000],
    [9, 1_700_000_000_500_000_000n, "nanosecond", 1700000000],
    [0x80 | 20, (1_700_000_000n << 20n) + (1n << 19n), "1/2^20 second", 1700000000],
    [0x80 | 40, (1000n << 40n) + (1n << 39n), "1/2^40 second", 1000],
    [12, 1_000_500_000_000_000n, "picosecond", 1000],
    [7, 17_000_000_005_000_000n, "10^-7 second", 1700000000],
  ];
  for (const [tsresol, timestamp, unit, seconds] of cases) {
    const capture = readCapture(writePcapng([
      { section: {} },
      { interface: { linkType: LinkType.RAW, tsresol } },
      { packet: { interfaceId: 0, timestamp, data: new Uint8Array(4) } },
    ]));
    assert.equal(capture.interfaces[0].timestampUnit, unit);
    const [record] = capture.records;
    assert.deepEqual([record.seconds, record.nanoseconds], [seconds, 500_000_000], unit);
  }
});

Deno.test("pcapng: simple packet blocks take their captured length from the snap length", () => {
  const data = new Uint8Array(100).map((_, i) => i);
  const capture = readCapture(writePcapng([
    { section: {} },
    { interface: { linkType: LinkType.RAW, snapLength: 64 } },
    { simplePacket: { data: data.subarray(0, 64), originalLength: 100 } },
    { simplePacket: { data: data.subarray(0, 10) } },
  ]));
  assert.deepEqual(capture.records.map((r) => [r.data.length, r.originalLength]), [[64, 100], [
    10,
    10,
  ]]);
  assert.deepEqual(capture.records[0].data, data.subarray(0, 64));
  const unlimited = readCapture(writePcapng([
    { section: { byteOrder: "big" } },
    { interface: { linkType: LinkType.RAW, snapLength: 0 } },
    { simplePacket: { data } },
  ]));
  assert.equal(unlimited.records[0].data.length, 100);
});

Deno.test("pcapng: the obsolete packet block of old files", () => {
  const capture = readCapture(writePcapng([
    { section: {} },
    { interface: { linkType: LinkType.RAW, fcsLength: 4 } },
    {
      packet: {
        interfaceId: 0,
        timestamp: 3_000_001n,
        data: new Uint8Array(8),
        originalLength: 20,
        obsolete: true,
      },
    },
  ]));
  assert.equal(capture.interfaces[0].fcsLength, 4);
  const [record] = capture.records;
  assert.deepEqual(
    [record.seconds, record.nanoseconds, record.data.length, record.originalLength],
    [
      3,
      1000,
      8,
      20,
    ],
  );
});

/** Sets the 32-bit value at `offset` of a copy of `file`, little-endian. */
function patched(file: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = file.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

Deno.test("pcapng: every impossible length or field is a clear error", () => {
  const packet = new Uint8Array(8);
  const good = writePcapng([
    { section: {} },
    { interface: { linkType: LinkType.RAW } },
    { packet: { interfaceId: 0, timestamp: 1n, data: packet } },
  ]);
  // Offsets: section header 0 (28 bytes), interface 28 (20 bytes), packet 48 (40 bytes).
  const cases: [string, Uint8Array, RegExp][] = [
    [
      "a block cut short",
      good.subarray(0, 70),
      /^truncated pcapng file: block 3 at byte 48 declares 40 bytes, only 22 are left$/,
    ],
    [
      "a block header cut short",
      good.subarray(0, 58),
      /^truncated pcapng file: block 3 at byte 48 needs at least 12 bytes, only 10 are left$/,
    ],
    [
      "a few bytes after the last block",
      concat(good, new Uint8Array(8)),
      /block 4 at byte 88 needs at least 12 bytes, only 8/,
    ],
    [
      "byte-order magic",
      patched(good, 8, 0x11223344),
      /block 1 at byte 0 \(section header\) has byte-order magic 44332211/,
    ],
    ["version", patched(good, 12, 2), /format version 2\.0; this reader knows 1\.x/],
    [
      "length not a multiple of 4",
      patched(good, 32, 21),
      /block 2 at byte 28 declares a length of 21 bytes, which must be a multiple of 4/,
    ],
    ["length under 12", patched(good, 32, 8), /declares a length of 8 bytes/],
    [
      "lengths that disagree",
      patched(good, 44, 24),
      /block 2 at byte 28 declares 20 bytes at its start and 24 at its end/,
    ],
    [
      "unknown interface",
      patched(good, 56, 3),
      /block 3 at byte 48 \(enhanced packet\) comes from interface 3, but its section has interfaces 0 to 0/,
    ],
    [
      "captured length past the block",
      patched(good, 68, 9),
      /declares 9 captured bytes, the block holds 8/,
    ],
    [
      "no interface",
      writePcapng([{ section: {} }, { simplePacket: { data: packet } }]),
      /simple packet\) comes from interface 0, but its section has no interface/,
    ],
    [
      "interface too short",
      writePcapng([{ section: {} }, { other: { type: 1, body: new Uint8Array(4) } }]),
      /interface description\) is too short for its fields: 8 bytes needed, the block holds 4/,
    ],
    [
      "option past the block",
      patched(
        writePcapng([{ section: {} }, { interface: { linkType: 1, tsresol: 6 } }]),
        28 + 16,
        0x00400009,
      ),
      /has option 9 of 64 bytes at byte 8 of its body, which runs past the block's end/,
    ],
    [
      "if_tsresol of 2 bytes",
      patched(
        writePcapng([{ section: {} }, { interface: { linkType: 1, tsresol: 6 } }]),
        28 + 16,
        0x00020009,
      ),
      /has a 2-byte if_tsresol/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(() => readCapture(bytes), (error: Error) => {
      assert.ok(error instanceof PcapError, `${what}: ${error}`);
      assert.match(error.message, message, what);
      return true;
    }, what);
  }
  assert.throws(() => readPcapng(writePcap({ linkType: 1 }, [])), /not a pcapng file/);
});

Deno.test("pcapng: a file cut or damaged anywhere gives a PcapError, never a crash", () => {
  const file = twoInterfaces("little");
  const check = (bytes: Uint8Array, what: string) => {
    try {
      readCapture(bytes);
    } catch (error) {
      assert.ok(error instanceof PcapError, `${what}: ${(error as Error).stack}`);
    }
  };
  for (let length = 0; length < file.length; length++) {
    check(file.subarray(0, length), `cut at ${length}`);
  }
  for (let offset = 0; offset < file.length; offset++) {
    for (const value of [0x00, 0x07, 0x80, 0xff]) {
      const copy = file.slice();
      copy[offset] = value;
      check(copy, `byte ${offset} set to ${value}`);
    }
  }
});

// ---------------------------------------------------------------------------
// Files made by Wireshark's tools, read by us and by tshark

const TOOLS = ["editcap", "tshark", "mergecap"];
const missingTools = TOOLS.filter((tool) => !hasProgram(tool));
if (missingTools.length > 0) {
  console.log(
    `SKIPPED: pcapng files made by Wireshark's tools: ${missingTools.join(", ")} missing`,
  );
}

/** Runs a program to its end and fails unless it succeeds. */
async function run(program: string, ...args: string[]): Promise<void> {
  const result = await startProgram(program, args).finished(30_000);
  assert.equal(result.code, 0, `${program} ${args.join(" ")}:\n${result.stderr}`);
}

/** What tshark reads in each packet: interface, time, length on the wire, bytes captured. */
async function tsharkView(file: string): Promise<string[]> {
  const fields = ["frame.interface_id", "frame.time_epoch", "frame.len", "frame.cap_len"];
  const result = await startProgram("tshark", [
    "-r",
    file,
    "-T",
    "fields",
    ...fields.flatMap((field) => ["-e", field]),
  ]).finished(30_000);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split("\n");
}

/** Our reading of `file` in tshark's terms. */
function ourView(capture: Capture): string[] {
  return capture.records.map((r) =>
    [
      r.interfaceId,
      `${r.seconds}.${String(r.nanoseconds).padStart(9, "0")}`,
      r.originalLength,
      r.data.length,
    ].join("\t")
  );
}

/** Asserts that we and tshark read `file` the same way; returns our reading. */
async function agreeWithTshark(file: string): Promise<Capture> {
  const capture = readCapture(await Deno.readFile(file));
  assert.deepEqual(ourView(capture), await tsharkView(file), file);
  return capture;
}

Deno.test({
  name: "pcapng files from editcap, tshark and mergecap read as tshark reads them",
  ignore: missingTools.length > 0,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pcapng-tools-" });
    try {
      const tcp = `${dir}/tcp.pcap`;
      const nano = `${dir}/nano.pcap`;
      const raw = `${dir}/udp-raw.pcap`;
      const conversation = records(LinkType.ETHERNET, sensorConversation());
      await Deno.writeFile(tcp, writePcap({ linkType: LinkType.ETHERNET }, conversation));
      await Deno.writeFile(
        nano,
        writePcap(
          { linkType: LinkType.ETHERNET, precision: "nano" },
          conversation.map((r, i) => ({
            ...r,
            nanoseconds: (r.nanoseconds ?? 0) + i, // digits a microsecond file could not hold
          })),
        ),
      );
      await Deno.writeFile(raw, writePcap({ linkType: LinkType.RAW }, records(101, datagrams())));
      const original = readCapture(await Deno.readFile(tcp));
      const expected = analyseCapture(original);

      await run("editcap", "-F", "pcapng", tcp, `${dir}/editcap.pcapng`);
      const editcap = await agreeWithTshark(`${dir}/editcap.pcapng`);
      assert.equal(editcap.format, "pcapng");
      assert.equal(editcap.interfaces[0].timestampUnit, "microsecond");
      assert.deepEqual(essentials(editcap), essentials(original));
      assert.deepEqual(analyseCapture(editcap).transports, expected.transports);

      await run("tshark", "-F", "pcapng", "-r", tcp, "-w", `${dir}/tshark.pcapng`);
      const tshark = await agreeWithTshark(`${dir}/tshark.pcapng`);
      assert.deepEqual(essentials(tshark), essentials(original));

      await run("editcap", "-F", "pcapng", nano, `${dir}/nano.pcapng`);
      const nanoCapture = await agreeWithTshark(`${dir}/nano.pcapng`);
      assert.equal(nanoCapture.interfaces[0].timestampUnit, "nanosecond");
      assert.deepEqual(essentials(nanoCapture), essentials(readCapture(await Deno.readFile(nano))));

      // Two link types in one file: one interface each.
      await run("mergecap", "-F", "pcapng", "-w", `${dir}/merged.pcapng`, tcp, raw);
      const merged = await agreeWithTshark(`${dir}/merged.pcapng`);
      assert.deepEqual(merged.interfaces.map((i) => i.linkType), [LinkType.ETHERNET, LinkType.RAW]);
      const flows = analyseCapture(merged).flows;
      assert.deepEqual(flows.map((f) => [f.transport, f.readings]), [["TCP", 2], ["UDP", 3]]);

      // A decryption secrets block, which we skip.
      await Deno.writeTextFile(
        `${dir}/keys.txt`,
        `CLIENT_RANDOM ${"ab".repeat(32)} ${"cd".repeat(48)}\n`,
      );
      await run("editcap", "--inject-secrets", `tls,${dir}/keys.txt`, tcp, `${dir}/secrets.pcapng`);
      const secrets = await agreeWithTshark(`${dir}/secrets.pcapng`);
      assert.ok(secrets.skippedBlocks >= 1, "the secrets block was skipped");
      assert.deepEqual(essentials(secrets), essentials(original));

      // A snap length applied afterwards.
      await run("editcap", "-F", "pcapng", "-s", "70", tcp, `${dir}/cut.pcapng`);
      const cut = await agreeWithTshark(`${dir}/cut.pcapng`);
      assert.ok(cut.records.some((r) => r.data.length === 70 && r.originalLength > 70));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const noLiveCapture = !hasProgram("dumpcap") || !hasProgram("tshark") || !isRoot();
if (noLiveCapture) console.log("SKIPPED: live dumpcap capture: it needs root, dumpcap and tshark");

Deno.test({
  name: "a live dumpcap capture on lo and any: two interfaces, statistics blocks skipped",
  ignore: noLiveCapture,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pcapng-dumpcap-" });
    const file = `${dir}/live.pcapng`;
    const receiver = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const port = (receiver.addr as Deno.NetAddr).port;
    // A filter applies to the interface before it: each gets its own.
    const filter = ["-f", `udp port ${port}`];
    const dumpcap = startProgram("dumpcap", [
      ...["-i", "lo", ...filter, "-i", "any", ...filter],
      ...["-w", file],
    ]);
    try {
      for (let i = 0; !dumpcap.stderr.includes("Capturing on"); i++) { // it says so on stderr
        assert.ok(i < 200, `dumpcap did not start:\n${dumpcap.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // both interfaces open
      for (let i = 1; i <= 3; i++) {
        await receiver.send(text(`datagram ${i}`), {
          transport: "udp",
          hostname: "127.0.0.1",
          port,
        });
        await receiver.receive();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      await dumpcap.stop("SIGINT");
      const capture = await agreeWithTshark(file);
      assert.deepEqual(capture.interfaces.map((i) => i.name), ["lo", "any"]);
      assert.equal(capture.interfaces[0].linkType, LinkType.ETHERNET);
      assert.ok(capture.skippedBlocks >= 2, "an interface statistics block per interface");
      const perInterface = [0, 1].map((id) => capture.records.filter((r) => r.interfaceId === id));
      assert.deepEqual(perInterface.map((list) => list.length), [3, 3]);
      // Each datagram decodes the same on both interfaces, whatever their link types.
      const analysis = analyseCapture(capture);
      assert.deepEqual(
        analysis.packets.map((p) => [p.protocol, p.payloadBytes]),
        new Array(6).fill(["UDP", 10]),
      );
    } finally {
      receiver.close();
      await dumpcap.stop("SIGINT");
      await Deno.remove(dir, { recursive: true });
    }
  },
});
