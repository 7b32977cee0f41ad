/**
 * Fuzz test of the traffic report's decoders (tools/traffic/): `readPcap` and
 * `readCapture` (pcap or pcapng) on random and damaged capture files throw only
 * `PcapError`, `decodePacket` on random and damaged
 * frames of every link type only `PacketError`, and what `decodePacket` returns is
 * consistent (no negative length, every span inside the frame). Captures and packets
 * built from random fields read back unchanged; time per byte stays flat for many small
 * records or blocks, long interface names, long chains of IPv6 extension headers and VLAN
 * tags, and large payloads.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat } from "../../../lib/bytes.ts";
import type { SeededRandom } from "../../../lib/random.ts";
import { type DecodedPacket, decodePacket, PacketError } from "../../../tools/traffic/packet.ts";
import {
  LinkType,
  PcapError,
  type PcapWriteRecord,
  readPcap,
  writePcap,
} from "../../../tools/traffic/pcap.ts";
import { readCapture } from "../../../tools/traffic/capture_file.ts";
import {
  fuzzTest,
  hostileBytes,
  pooled,
  randomBytes,
  randomText,
  repeatBytes,
} from "../../harness/fuzz.ts";
import {
  ipv4,
  ipv6,
  link,
  type PcapngBlock,
  tcp,
  udp,
  wrapperFor,
  writePcapng,
} from "../../harness/pcap_builder.ts";

const LINK_TYPES = Object.values(LinkType);

function randomRecords(random: SeededRandom): PcapWriteRecord[] {
  return Array.from({ length: random.integer(0, 4) }, () => {
    const data = randomBytes(random, 80);
    return {
      seconds: random.integer(0, 0xffffffff),
      nanoseconds: random.integer(0, 999_999) * 1000,
      data,
      originalLength: data.length + random.pick([0, 0, 1, 1000]),
    };
  });
}

function randomCapture(random: SeededRandom): Uint8Array {
  return writePcap({
    linkType: random.pick(LINK_TYPES),
    byteOrder: random.pick(["little", "big"]),
    precision: random.pick(["micro", "nano"]),
    snapLength: random.pick([65535, 262144]),
  }, randomRecords(random));
}

fuzzTest<Uint8Array>({
  name: "readPcap",
  throws: [PcapError],
  decode: readPcap,
  input: (random) => hostileBytes(random, () => randomCapture(random)),
  roundTrip(random) {
    const records = randomRecords(random);
    const [byteOrder, precision] = [
      random.pick(["little", "big"] as const),
      random.pick(["micro", "nano"] as const),
    ];
    const linkType = random.pick(LINK_TYPES);
    const { header, records: read } = readPcap(
      writePcap({ linkType, byteOrder, precision }, records),
    );
    assert.deepEqual([header.linkType, header.byteOrder, header.precision], [
      linkType,
      byteOrder,
      precision,
    ]);
    assert.deepEqual(
      read.map(({ seconds, nanoseconds, data, originalLength }) => ({
        seconds,
        nanoseconds,
        data,
        originalLength,
      })),
      records,
    );
  },
  shapes: {
    "many small records": (n) =>
      writePcap(
        { linkType: LinkType.RAW },
        // 64 bytes each: a minimal TCP/IPv4 packet and its record header.
        Array(Math.floor((n - 24) / 64)).fill({ seconds: 0, data: new Uint8Array(48) }),
      ),
    "one large record": (n) =>
      writePcap({ linkType: LinkType.RAW }, [{ seconds: 0, data: new Uint8Array(n - 40) }]),
    "a record cut short": (n) =>
      writePcap({ linkType: LinkType.RAW }, [{ seconds: 0, data: new Uint8Array(n) }]).subarray(
        0,
        n,
      ),
  },
});

/** Interfaces and packets, in one or two sections, and a block of another type now and then. */
function randomPcapngBlocks(random: SeededRandom): {
  blocks: PcapngBlock[];
  packets: { interfaceId: number; seconds: number; microseconds: number; data: Uint8Array }[];
} {
  const blocks: PcapngBlock[] = [{ section: { byteOrder: random.pick(["little", "big"]) } }];
  const interfaces = random.integer(1, 3);
  for (let id = 0; id < interfaces; id++) {
    blocks.push({
      interface: {
        linkType: random.pick(LINK_TYPES),
        name: random.chance(0.5) ? randomText(random, [..."eth0lo:é"], 12) : undefined,
        snapLength: random.pick([0, 65535, 262144]),
      },
    });
  }
  const packets = Array.from({ length: random.integer(0, 4) }, () => ({
    interfaceId: random.integer(0, interfaces - 1),
    seconds: random.integer(0, 2 ** 32),
    microseconds: random.integer(0, 999_999),
    data: randomBytes(random, 60),
  }));
  for (const { interfaceId, seconds, microseconds, data } of packets) {
    if (random.chance(0.2)) blocks.push({ other: { type: 5, body: randomBytes(random, 16) } });
    const timestamp = BigInt(seconds) * 1_000_000n + BigInt(microseconds);
    blocks.push({ packet: { interfaceId, timestamp, data, obsolete: random.chance(0.1) } });
  }
  return { blocks, packets };
}

fuzzTest<Uint8Array>({
  name: "readCapture (pcapng)",
  throws: [PcapError],
  decode: readCapture,
  input: (random) => hostileBytes(random, () => writePcapng(randomPcapngBlocks(random).blocks), 8),
  roundTrip(random) {
    const { blocks, packets } = randomPcapngBlocks(random);
    const capture = readCapture(writePcapng(blocks));
    assert.equal(capture.format, "pcapng");
    assert.deepEqual(
      capture.records.map(({ interfaceId, seconds, nanoseconds, data }) => ({
        interfaceId,
        seconds,
        microseconds: nanoseconds / 1000,
        data,
      })),
      packets,
    );
    const names = blocks.flatMap((block) => "interface" in block ? [block.interface.name] : []);
    assert.deepEqual(capture.interfaces.map((i) => i.name ?? undefined), names);
  },
  shapes: {
    "many small packets": (n) => {
      const packet = { packet: { interfaceId: 0, timestamp: 0n, data: new Uint8Array(32) } };
      const count = Math.floor((n - 48) / 64); // 64 bytes per block
      return writePcapng([
        { section: {} },
        { interface: { linkType: 101 } },
        ...Array(count).fill(packet),
      ]);
    },
    "names of NULs with a letter at the end": (n) => {
      // An option holds at most 65,535 bytes: as many interfaces as it takes.
      const name = (size: number) => `${"\0".repeat(size - 1)}x`;
      const blocks: PcapngBlock[] = [{ section: {} }];
      for (let left = n - 28; left > 32; left -= 65_000 + 32) {
        blocks.push({ interface: { linkType: 101, name: name(Math.min(left - 32, 65_000)) } });
      }
      return writePcapng(blocks);
    },
  },
});

interface Frame {
  linkType: number;
  frame: Uint8Array;
  originalLength?: number;
}

/** A random TCP or UDP packet over IPv4 or IPv6, maybe with IP options or extension headers. */
function randomIpPacket(random: SeededRandom): Uint8Array {
  const payload = randomBytes(random, 60);
  const transport = random.chance(0.5)
    ? udp(random.integer(0, 65535), random.integer(0, 65535), payload)
    : tcp({
      sourcePort: random.integer(0, 65535),
      destinationPort: random.integer(0, 65535),
      seq: random.integer(0, 0xffffffff),
      flags: random.integer(0, 255),
      options: random.bytes(4 * random.integer(0, 10)),
      payload,
    });
  if (random.chance(0.5)) {
    const packet = ipv4(
      "10.0.0.1",
      "127.0.0.1",
      transport,
      random.bytes(4 * random.integer(0, 10)),
    );
    const view = new DataView(packet.buffer);
    // Fragments, and packets shorter than the frame (the rest is a trailer).
    if (random.chance(0.3)) view.setUint16(6, random.pick([0x2000, 0x0001, 0x2001, 0]));
    if (random.chance(0.3)) view.setUint16(2, random.integer(0, packet.length));
    return packet;
  }
  const extensions = Array.from({ length: random.integer(0, 3) }, () => {
    const type = random.pick([0, 43, 44, 51, 60]);
    const bytes = type === 44 ? random.bytes(8) : new Uint8Array(8);
    if (type === 51) bytes[1] = 0; // AH: (0 + 2) * 4 = 8 bytes
    return { type, bytes };
  });
  const packet = ipv6("::1", "fe80::1", transport, extensions);
  if (random.chance(0.3)) {
    new DataView(packet.buffer).setUint16(4, random.integer(0, packet.length - 40));
  }
  return packet;
}

function randomFrame(random: SeededRandom): Frame {
  const linkType = random.pick(LINK_TYPES);
  const frame = linkType === LinkType.ETHERNET && random.chance(0.3)
    ? link.ethernet(randomIpPacket(random), random.integer(0, 4095))
    : wrapperFor(linkType)(randomIpPacket(random));
  return { linkType, frame };
}

const pooledFrame = pooled(randomFrame);

/** What no decoded packet may say: a negative length, or a span outside the frame. */
function checkConsistent(packet: DecodedPacket): void {
  assert.ok(packet.payloadLength >= 0, `negative payload length ${packet.payloadLength}`);
  assert.ok(packet.payload.length <= packet.payloadLength, "more payload captured than declared");
  for (const span of packet.spans) {
    assert.ok(
      span.offset >= 0 && span.length >= 0 && span.offset + span.length <= packet.frameLength,
      `span ${JSON.stringify(span)} outside the ${packet.frameLength}-byte frame`,
    );
  }
}

fuzzTest<Frame>({
  name: "decodePacket",
  throws: [PacketError],
  decode({ linkType, frame, originalLength }) {
    checkConsistent(decodePacket(linkType, frame, originalLength));
  },
  input(random) {
    const { linkType, frame } = pooledFrame(random);
    const damaged = hostileBytes(random, () => frame, 8);
    return {
      linkType: random.chance(0.95) ? linkType : random.integer(0, 300),
      frame: damaged,
      originalLength: random.chance(0.8) ? undefined : damaged.length + random.integer(0, 100),
    };
  },
  roundTrip(random) {
    const payload = randomBytes(random, 60);
    const [sourcePort, destinationPort] = [random.integer(0, 65535), random.integer(0, 65535)];
    const isUdp = random.chance(0.5);
    const transport = isUdp
      ? udp(sourcePort, destinationPort, payload)
      : tcp({ sourcePort, destinationPort, flags: 0x18, payload });
    const v6 = random.chance(0.5);
    const ip = v6 ? ipv6("::1", "fe80::1", transport) : ipv4("10.0.0.1", "127.0.0.1", transport);
    const linkType = random.pick(
      LINK_TYPES.filter((type) => type !== (v6 ? LinkType.IPV4 : LinkType.IPV6)),
    );
    const packet = decodePacket(linkType, wrapperFor(linkType)(ip));
    checkConsistent(packet);
    const ports = isUdp ? packet.udp : packet.tcp;
    assert.deepEqual(
      [
        packet.ip?.source,
        packet.ip?.destination,
        ports?.sourcePort,
        ports?.destinationPort,
        packet.payload,
      ],
      [v6 ? "::1" : "10.0.0.1", v6 ? "fe80::1" : "127.0.0.1", sourcePort, destinationPort, payload],
    );
  },
  shapes: {
    "IPv6 extension headers": (n) => ({ linkType: LinkType.RAW, frame: extensionChain(n) }),
    "VLAN tags": (n) => ({
      linkType: LinkType.ETHERNET,
      frame: concat(
        new Uint8Array(12),
        repeatBytes([0x81, 0x00, 0, 1], n - 14),
        new Uint8Array([8, 0]),
      ),
    }),
    "a large TCP payload": (n) => ({ linkType: LinkType.RAW, frame: offloadedTcp(n) }),
  },
});

/** A jumbo IPv6 packet (payload length 0) that is all hop-by-hop options headers. */
function extensionChain(size: number): Uint8Array {
  const frame = new Uint8Array(size);
  frame.set([0x60, 0, 0, 0, 0, 0, 0, 64]); // version 6, payload length 0, next header 0
  // Every 8-byte header after the fixed 40 bytes says: next is hop-by-hop too, length 0.
  return frame;
}

/**
 * An IPv4 packet with TCP as segmentation offload leaves it in a capture: total length 0
 * (the capture has the truth), larger than any length field could say.
 */
function offloadedTcp(size: number): Uint8Array {
  const frame = new Uint8Array(size);
  frame.set(ipv4("10.0.0.1", "10.0.0.2", tcp({ sourcePort: 1, destinationPort: 2, flags: 0x18 })));
  frame.set([0, 0], 2);
  return frame;
}
