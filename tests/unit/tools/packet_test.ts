import assert from "node:assert/strict";
import { concat, unhexlify } from "../../../lib/bytes.ts";
import {
  decodePacket,
  formatIpAddress,
  PacketError,
  TcpFlag,
  tcpFlagNames,
} from "../../../tools/traffic/packet.ts";
import { LinkType, readPcap, writePcap } from "../../../tools/traffic/pcap.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { eachAtMost } from "../../harness/pool.ts";
import {
  ipBytes,
  ipv4,
  ipv6,
  link,
  SYN_OPTIONS,
  tcp,
  udp,
  wrapperFor,
} from "../../harness/pcap_builder.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** The four kinds of packet every link type is tested with. */
const SAMPLES = {
  tcp4: ipv4(
    "127.0.0.1",
    "10.1.2.3",
    tcp({
      sourcePort: 45678,
      destinationPort: 50000,
      seq: 0xfffffff0,
      ack: 7,
      flags: TcpFlag.PSH | TcpFlag.ACK,
      options: SYN_OPTIONS,
      payload: text("hello"),
    }),
  ),
  udp4: ipv4("192.168.1.20", "127.0.0.1", udp(5353, 50000, text("datagram!"))),
  tcp6: ipv6(
    "::1",
    "2001:db8::42",
    tcp({
      sourcePort: 50000,
      destinationPort: 40000,
      seq: 1,
      ack: 2,
      flags: TcpFlag.SYN | TcpFlag.ACK,
    }),
  ),
  udp6: ipv6("fe80::1", "::1", udp(40001, 50000, text("six")), [
    { type: 0, bytes: new Uint8Array(8) }, // hop-by-hop options, 8 bytes
    { type: 60, bytes: unhexlify("0001 0000 0000 0000 0000 0000 0000 0000") }, // dest. options, 16 bytes
  ]),
};

const LINK_HEADER: Record<number, number> = {
  [LinkType.NULL]: 4,
  [LinkType.ETHERNET]: 14,
  [LinkType.DLT_RAW]: 0,
  [LinkType.DLT_RAW_OPENBSD]: 0,
  [LinkType.RAW]: 0,
  [LinkType.LOOP]: 4,
  [LinkType.LINUX_SLL]: 16,
  [LinkType.LINUX_SLL2]: 20,
};

for (const [linkTypeText, linkLength] of Object.entries(LINK_HEADER)) {
  const linkType = Number(linkTypeText);
  Deno.test(`decodePacket reads IPv4/IPv6 TCP/UDP on link type ${linkType}`, () => {
    const wrap = wrapperFor(linkType);
    const tcp4 = decodePacket(linkType, wrap(SAMPLES.tcp4));
    assert.equal(tcp4.network, "IPv4");
    assert.equal(tcp4.frameLength, linkLength + 20 + 40 + 5);
    assert.deepEqual(tcp4.ip, {
      version: 4,
      source: "127.0.0.1",
      destination: "10.1.2.3",
      headerLength: 20,
      totalLength: 65,
      protocol: 6,
      ttl: 64,
      fragment: false,
      fragmentOffset: 0,
    });
    assert.equal(tcp4.transport, "TCP");
    assert.deepEqual(tcp4.tcp, {
      sourcePort: 45678,
      destinationPort: 50000,
      seq: 0xfffffff0,
      ack: 7,
      headerLength: 40,
      flags: 0x18,
      window: 65483,
    });
    assert.equal(tcp4.payloadOffset, linkLength + 60);
    assert.equal(tcp4.payloadLength, 5);
    assert.deepEqual(tcp4.payload, text("hello"));
    const spans = tcp4.spans.map((span) => [span.name, span.offset, span.length]);
    assert.deepEqual(spans.slice(-3), [["IPv4", linkLength, 20], ["TCP", linkLength + 20, 40], [
      "payload",
      linkLength + 60,
      5,
    ]]);
    assert.equal(spans.length, linkLength > 0 ? 4 : 3);

    const udp4 = decodePacket(linkType, wrap(SAMPLES.udp4));
    assert.equal(udp4.ip?.source, "192.168.1.20");
    assert.equal(udp4.transport, "UDP");
    assert.deepEqual(udp4.udp, { sourcePort: 5353, destinationPort: 50000, length: 17 });
    assert.deepEqual(udp4.payload, text("datagram!"));
    assert.equal(udp4.payloadOffset, linkLength + 28);

    const tcp6 = decodePacket(linkType, wrap(SAMPLES.tcp6));
    assert.equal(tcp6.network, "IPv6");
    assert.equal(tcp6.ip?.destination, "2001:db8::42");
    assert.equal(tcp6.ip?.headerLength, 40);
    assert.equal(tcp6.tcp?.flags, TcpFlag.SYN | TcpFlag.ACK);
    assert.equal(tcp6.payloadLength, 0);
    assert.equal(tcp6.payload.length, 0);

    const udp6 = decodePacket(linkType, wrap(SAMPLES.udp6));
    assert.equal(udp6.ip?.headerLength, 40 + 8 + 16, "extension headers belong to the IP header");
    assert.equal(udp6.ip?.protocol, 17);
    assert.equal(udp6.ip?.source, "fe80::1");
    assert.deepEqual(udp6.payload, text("six"));
    assert.equal(udp6.payloadOffset, linkLength + 64 + 8);
  });
}

Deno.test("decodePacket handles raw IPv4-only and IPv6-only link types", () => {
  assert.equal(decodePacket(LinkType.IPV4, SAMPLES.udp4).udp?.length, 17);
  assert.equal(decodePacket(LinkType.IPV6, SAMPLES.udp6).udp?.length, 11);
});

Deno.test("BSD loopback: the family is read in whichever byte order names a family", () => {
  for (const order of ["<", ">"] as const) {
    for (const af6 of [10, 24, 28, 30]) {
      assert.equal(
        decodePacket(LinkType.NULL, link.null(SAMPLES.tcp6, order, af6)).network,
        "IPv6",
      );
    }
    assert.equal(decodePacket(LinkType.NULL, link.null(SAMPLES.tcp4, order)).network, "IPv4");
  }
  // LOOP is always network byte order: a little-endian 2 is family 0x02000000.
  assert.equal(
    decodePacket(LinkType.LOOP, link.null(SAMPLES.tcp4, "<")).network,
    "family 33554432",
  );
  const unknown = decodePacket(LinkType.NULL, link.null(SAMPLES.tcp4, "<").fill(7, 0, 1));
  assert.equal(unknown.network, "family 7");
  assert.equal(unknown.ip, undefined);
});

Deno.test("Ethernet: VLAN tags are part of the link header; ARP and 802.3 are not IP", () => {
  const tagged = decodePacket(LinkType.ETHERNET, link.ethernet(SAMPLES.udp4, 42));
  assert.equal(tagged.spans[0].length, 18);
  assert.equal(tagged.payloadOffset, 18 + 28);
  const arp = decodePacket(
    LinkType.ETHERNET,
    concat(new Uint8Array(12), unhexlify("0806"), new Uint8Array(28)),
  );
  assert.equal(arp.network, "ARP");
  assert.equal(arp.ip, undefined);
  assert.equal(arp.payloadLength, 28);
  assert.equal(
    decodePacket(
      LinkType.ETHERNET,
      concat(new Uint8Array(12), unhexlify("0040"), new Uint8Array(64)),
    ).network,
    "802.3 LLC",
  );
  assert.equal(
    decodePacket(LinkType.LINUX_SLL, concat(new Uint8Array(14), unhexlify("88cc"))).network,
    "ethertype 0x88cc",
  );
});

Deno.test("Ethernet padding is a trailer: lengths come from the IP header", () => {
  const tiny = ipv4(
    "127.0.0.1",
    "127.0.0.1",
    tcp({ sourcePort: 1, destinationPort: 2, flags: TcpFlag.ACK }),
  );
  const frame = concat(link.ethernet(tiny), new Uint8Array(6)); // 54 bytes padded to 60
  const packet = decodePacket(LinkType.ETHERNET, frame);
  assert.equal(packet.frameLength, 60);
  assert.equal(packet.payloadLength, 0);
  assert.deepEqual(packet.spans.at(-1), { name: "trailer", offset: 54, length: 6 });
});

Deno.test("a frame cut by the snap length keeps the payload's declared length", () => {
  const frame = link.ethernet(SAMPLES.tcp4);
  const packet = decodePacket(LinkType.ETHERNET, frame.subarray(0, frame.length - 3), frame.length);
  assert.equal(packet.payloadLength, 5);
  assert.deepEqual(packet.payload, text("he"));
});

Deno.test("a snap length inside the TCP options still gives every length", () => {
  const frame = link.ethernet(SAMPLES.tcp4);
  const packet = decodePacket(LinkType.ETHERNET, frame.subarray(0, 14 + 20 + 24), frame.length);
  assert.equal(packet.tcp?.headerLength, 40, "the data offset, though 16 bytes were not captured");
  assert.equal(packet.payloadLength, 5);
  assert.deepEqual(packet.payload, new Uint8Array());
});

Deno.test("IPv4 options and TCP options are counted in their headers", () => {
  const packet = ipv4(
    "1.2.3.4",
    "5.6.7.8",
    tcp({ sourcePort: 1, destinationPort: 2, flags: 0, options: new Uint8Array(8) }),
    new Uint8Array([1, 1, 1, 1]),
  );
  const decoded = decodePacket(LinkType.RAW, packet);
  assert.equal(decoded.ip?.headerLength, 24);
  assert.equal(decoded.tcp?.headerLength, 28);
  assert.equal(decoded.payloadOffset, 52);
  assert.equal(decoded.transport, "TCP");
});

Deno.test("IP fragments: only the first carries the TCP/UDP header", () => {
  const first = ipv4("1.2.3.4", "5.6.7.8", udp(1000, 2000, new Uint8Array(16)));
  first.set(unhexlify("2000"), 6); // more fragments, offset 0
  const decodedFirst = decodePacket(LinkType.RAW, first);
  assert.equal(decodedFirst.ip?.fragment, true);
  assert.equal(decodedFirst.udp?.sourcePort, 1000);
  const later = first.slice();
  later.set(unhexlify("0003"), 6); // offset 3 × 8 bytes, last fragment
  const decodedLater = decodePacket(LinkType.RAW, later);
  assert.equal(decodedLater.ip?.fragmentOffset, 24);
  assert.equal(decodedLater.udp, undefined);
  assert.equal(decodedLater.transport, "UDP");
  assert.equal(decodedLater.payloadLength, 24, "the whole IP payload");
  // A first fragment too short for the UDP header, the rest of the frame a trailer (the
  // fuzz test found this one: it decoded with a payload of -4 bytes).
  const short = first.slice();
  short.set(unhexlify("0018"), 2); // total length 24: 4 bytes after the IPv4 header
  assert.throws(() => decodePacket(LinkType.RAW, short), /UDP header: its 8 bytes run past/);

  const fragmentHeader = (offset: number) =>
    concat(new Uint8Array(2), new Uint8Array([offset >> 8, offset & 0xff]), new Uint8Array(4));
  const v6First = decodePacket(
    LinkType.RAW,
    ipv6("::1", "::2", udp(1, 2, new Uint8Array(4)), [{ type: 44, bytes: fragmentHeader(1) }]),
  );
  assert.equal(v6First.ip?.fragment, true);
  assert.equal(v6First.udp?.destinationPort, 2);
  const v6Later = decodePacket(
    LinkType.RAW,
    ipv6("::1", "::2", udp(1, 2, new Uint8Array(4)), [{ type: 44, bytes: fragmentHeader(8 * 5) }]),
  );
  assert.equal(v6Later.ip?.fragmentOffset, 40);
  assert.equal(v6Later.udp, undefined);
});

Deno.test("other IP protocols decode as far as IP", () => {
  const icmp = ipv4("1.2.3.4", "5.6.7.8", { protocol: 6, bytes: new Uint8Array(8), checksumAt: 2 });
  icmp[9] = 1;
  const packet = decodePacket(LinkType.RAW, icmp);
  assert.equal(packet.transport, "ICMP");
  assert.equal(packet.tcp, undefined);
  assert.equal(packet.payloadLength, 8);
  icmp[9] = 200;
  assert.equal(decodePacket(LinkType.RAW, icmp).transport, "protocol 200");
});

Deno.test("decodePacket says which header is cut short or impossible", () => {
  const tcp4 = SAMPLES.tcp4;
  const cases: [string, number, Uint8Array, RegExp][] = [
    [
      "Ethernet",
      LinkType.ETHERNET,
      new Uint8Array(10),
      /^Ethernet header: 10 of 14 bytes captured$/,
    ],
    [
      "SLL",
      LinkType.LINUX_SLL,
      new Uint8Array(15),
      /^Linux cooked v1 header: 15 of 16 bytes captured$/,
    ],
    [
      "SLL2",
      LinkType.LINUX_SLL2,
      new Uint8Array(3),
      /^Linux cooked v2 header: 3 of 20 bytes captured$/,
    ],
    ["NULL", LinkType.NULL, new Uint8Array(2), /^BSD loopback header: 2 of 4 bytes captured$/],
    ["raw empty", LinkType.RAW, new Uint8Array(), /^raw IP packet: 0 of 1 bytes captured$/],
    ["IPv4 short", LinkType.RAW, tcp4.subarray(0, 19), /^IPv4 header: 19 of 20 bytes captured$/],
    [
      "IPv4 IHL",
      LinkType.RAW,
      concat(unhexlify("44"), tcp4.subarray(1)),
      /header length 16 is under 20/,
    ],
    ["IPv4 version", LinkType.IPV4, SAMPLES.tcp6, /IPv4 header: version field is 6, not 4/],
    [
      "IPv6 version",
      LinkType.IPV6,
      tcp4.slice().fill(0x45, 0, 40),
      /IPv6 header: version field is 4, not 6/,
    ],
    [
      "IPv6 short",
      LinkType.RAW,
      SAMPLES.tcp6.subarray(0, 39),
      /^IPv6 header: 39 of 40 bytes captured$/,
    ],
    ["TCP short", LinkType.RAW, tcp4.subarray(0, 30), /^TCP header: 10 of 20 bytes captured$/],
    ["raw version", LinkType.RAW, unhexlify("30"), /^$/],
    ["link type", 147, tcp4, /^link type 147 is not supported/],
  ];
  for (const [what, linkType, frame, message] of cases) {
    if (what === "raw version") {
      assert.equal(decodePacket(linkType, frame).network, "IP version 3");
      continue;
    }
    assert.throws(
      () => decodePacket(linkType, frame, Math.max(frame.length, 1000)),
      (error: Error) => {
        assert.ok(error instanceof PacketError, `${what}: ${error}`);
        assert.match(error.message, message, what);
        return true;
      },
    );
  }
  const longTotal = tcp4.slice();
  longTotal.set(unhexlify("0100"), 2); // total length 256 in a 65-byte packet
  assert.throws(
    () => decodePacket(LinkType.RAW, longTotal),
    /total length 256 runs past the end of the 65-byte frame/,
  );
  const shortTotal = tcp4.slice();
  shortTotal.set(unhexlify("0010"), 2);
  assert.throws(
    () => decodePacket(LinkType.RAW, shortTotal),
    /total length 16 is less than the header's 20 bytes/,
  );
  const badOffset = tcp4.slice();
  badOffset[32] = 0x40; // data offset 4 words
  assert.throws(
    () => decodePacket(LinkType.RAW, badOffset),
    /TCP header: data offset gives 16 bytes, under 20/,
  );
  const bigOffset = tcp4.slice();
  bigOffset[32] = 0xf0; // 60 bytes of header in a 45-byte IP payload
  assert.throws(
    () => decodePacket(LinkType.RAW, bigOffset),
    /its 60 bytes run past the end of the IP packet/,
  );
  const udpLength = SAMPLES.udp4.slice();
  udpLength.set(unhexlify("0004"), 24);
  assert.throws(
    () => decodePacket(LinkType.RAW, udpLength),
    /UDP header: length field 4 is under 8/,
  );
  udpLength.set(unhexlify("0040"), 24);
  assert.throws(
    () => decodePacket(LinkType.RAW, udpLength),
    /UDP header: length 64 runs past the end of the IP packet/,
  );
});

Deno.test("a total length of 0 (segmentation offload) means the captured length", () => {
  const packet = SAMPLES.tcp4.slice();
  packet.set([0, 0], 2);
  assert.equal(decodePacket(LinkType.RAW, packet).payloadLength, 5);
});

Deno.test("formatIpAddress writes IPv6 in the RFC 5952 form", () => {
  const cases = [
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["fe80:0:0:0:0:0:0:0", "fe80::"],
    ["0:0:0:0:0:ffff:102:304", "::ffff:1.2.3.4"],
    ["ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"],
  ];
  for (const [input, expected] of cases) {
    assert.equal(formatIpAddress(ipBytes(input)), expected, input);
  }
  assert.equal(formatIpAddress(new Uint8Array([10, 0, 0, 255])), "10.0.0.255");
  assert.throws(() => formatIpAddress(new Uint8Array(5)), /4 or 16 bytes, not 5/);
});

Deno.test("tcpFlagNames lists flags in Wireshark's order", () => {
  assert.deepEqual(tcpFlagNames(0), []);
  assert.deepEqual(tcpFlagNames(TcpFlag.SYN | TcpFlag.ACK), ["SYN", "ACK"]);
  assert.deepEqual(tcpFlagNames(0xff), ["CWR", "ECE", "URG", "SYN", "RST", "PSH", "FIN", "ACK"]);
});

// ---------------------------------------------------------------------------
// The same files, read by tshark and tcpdump: both must see what we see.

interface Variant {
  linkType: number;
  byteOrder: "little" | "big";
  precision: "micro" | "nano";
}

/** Every link type in both byte orders (one per precision), and Ethernet in all four. */
const VARIANTS: Variant[] = [
  ...Object.keys(LINK_HEADER).flatMap((linkType) => [
    { linkType: Number(linkType), byteOrder: "little", precision: "micro" } as const,
    { linkType: Number(linkType), byteOrder: "big", precision: "nano" } as const,
  ]),
  { linkType: LinkType.ETHERNET, byteOrder: "little", precision: "nano" },
  { linkType: LinkType.ETHERNET, byteOrder: "big", precision: "micro" },
];

function sampleCapture({ linkType, byteOrder, precision }: Variant): Uint8Array {
  const wrap = wrapperFor(linkType);
  return writePcap(
    { linkType, byteOrder, precision },
    Object.values(SAMPLES).map((ip, i) => ({
      seconds: 1700000000 + i,
      nanoseconds: 123456789 * (i + 1) % 1e9,
      data: wrap(ip),
    })),
  );
}

/** What we decode, in the shape of the tshark fields below. */
function ourFields(file: Uint8Array): string[][] {
  const { header, records } = readPcap(file);
  return records.map((record) => {
    const packet = decodePacket(header.linkType, record.data, record.originalLength);
    const time = `${record.seconds}.${String(record.nanoseconds).padStart(9, "0")}`;
    const tcpHeader = packet.tcp;
    return [
      time,
      String(packet.frameLength),
      packet.ip!.source,
      packet.ip!.destination,
      String((tcpHeader ?? packet.udp)!.sourcePort),
      String((tcpHeader ?? packet.udp)!.destinationPort),
      tcpHeader ? String(tcpHeader.seq) : "",
      tcpHeader ? String(tcpHeader.headerLength) : "",
      tcpHeader ? "0x" + tcpHeader.flags.toString(16).padStart(3, "0") : "",
      String(packet.payloadLength),
    ];
  });
}

const TSHARK_FIELDS = [
  "frame.time_epoch",
  "frame.len",
  "ip.src",
  "ip.dst",
  "ipv6.src",
  "ipv6.dst",
  "tcp.srcport",
  "tcp.dstport",
  "udp.srcport",
  "udp.dstport",
  "tcp.seq_raw",
  "tcp.hdr_len",
  "tcp.flags",
  "tcp.len",
  "udp.length",
];

function tsharkFields(line: string): string[] {
  const f = Object.fromEntries(line.split("\t").map((value, i) => [TSHARK_FIELDS[i], value]));
  const udpPayload = f["udp.length"] ? String(Number(f["udp.length"]) - 8) : "";
  return [
    f["frame.time_epoch"],
    f["frame.len"],
    f["ip.src"] || f["ipv6.src"],
    f["ip.dst"] || f["ipv6.dst"],
    f["tcp.srcport"] || f["udp.srcport"],
    f["tcp.dstport"] || f["udp.dstport"],
    f["tcp.seq_raw"],
    f["tcp.hdr_len"],
    f["tcp.flags"] ? "0x" + Number(f["tcp.flags"]).toString(16).padStart(3, "0") : "",
    f["tcp.len"] || udpPayload,
  ];
}

async function run(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `${command} ${args.join(" ")} failed:\n${stderr}`);
  return new TextDecoder().decode(output.stdout);
}

const noTshark = !hasProgram("tshark");
if (noTshark) {
  console.log("skipping the tshark comparison: tshark is not installed (apt-get install tshark)");
}

Deno.test({
  name:
    "tshark decodes our sample captures exactly as we do (every link type, byte order, precision)",
  ignore: noTshark,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pcap-test-" });
    try {
      // tshark takes half a second to start: run a few at once.
      const compare = async (variant: Variant) => {
        const file = sampleCapture(variant);
        const path = `${dir}/${variant.linkType}-${variant.byteOrder}-${variant.precision}.pcap`;
        await Deno.writeFile(path, file);
        const fieldArgs = TSHARK_FIELDS.flatMap((field) => ["-e", field]);
        const output = await run("tshark", ["-n", "-r", path, "-T", "fields", ...fieldArgs]);
        const theirs = output.trimEnd().split("\n").map(tsharkFields);
        assert.deepEqual(ourFields(file), theirs, JSON.stringify(variant));
      };
      await eachAtMost(VARIANTS, 4, compare);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const noTcpdump = !hasProgram("tcpdump");
if (noTcpdump) {
  console.log(
    "skipping the tcpdump comparison: tcpdump is not installed (apt-get install tcpdump)",
  );
}

Deno.test({
  name: "tcpdump reads the same times, lengths and ports from our sample captures",
  ignore: noTcpdump,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pcap-test-" });
    try {
      // tcpdump on Linux refuses link type 14 (OpenBSD's DLT_RAW); tshark reads it above.
      for (const variant of VARIANTS.filter((v) => v.linkType !== LinkType.DLT_RAW_OPENBSD)) {
        const file = sampleCapture(variant);
        const path = `${dir}/sample.pcap`;
        await Deno.writeFile(path, file);
        const output = await run("tcpdump", [
          "-nn",
          "-tt",
          "--time-stamp-precision=nano",
          "-r",
          path,
        ]);
        const lines = output.trimEnd().split("\n");
        const ours = ourFields(file);
        assert.equal(lines.length, ours.length, output);
        lines.forEach((line, i) => {
          const [time, , source, destination, sourcePort, destinationPort] = ours[i];
          assert.ok(
            line.startsWith(`${time} `),
            `${JSON.stringify(variant)}: ${line} (expected ${time})`,
          );
          // With IPv6 extension headers tcpdump prints the ports apart from the addresses.
          const plain = `${source}.${sourcePort} > ${destination}.${destinationPort}:`;
          const apart =
            `${source} > ${destination}: HBH DSTOPT ${sourcePort} > ${destinationPort}:`;
          assert.ok(line.includes(plain) || line.includes(apart), line);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
