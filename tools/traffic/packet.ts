/**
 * Decoding one captured packet, layer by layer: the link-layer header the capture's link
 * type says comes first, then IPv4 or IPv6, then TCP or UDP, then the application's
 * bytes. Every header is read with {@linkcode Struct} from `../../lib/struct.ts`, and every
 * layer's position in the frame is kept ({@linkcode DecodedPacket.spans}), so a tool can
 * say exactly where the application's packed bytes sit.
 *
 * Link types: Ethernet (with 802.1Q/802.1ad VLAN tags), Linux cooked v1 and v2, raw IP
 * (101, and the `DLT_RAW` values 12 and 14), raw IPv4/IPv6 (228/229), BSD loopback
 * (`NULL`, a family in the capturing host's byte order) and OpenBSD `LOOP`. IPv6
 * extension headers (hop-by-hop, routing, fragment, destination options, AH) are
 * skipped. A frame that is not IP (ARP, say) decodes with no `ip`; a header cut short
 * throws a {@linkcode PacketError}.
 *
 * Lengths come from the headers, not from how much was captured: `payloadLength` is what
 * the sender put on the wire even when the snap length kept less (`payload` holds what
 * was kept), and bytes after the IP packet (Ethernet padding, an FCS) are a `trailer`.
 *
 * @example Decode a SYN captured on `lo`
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePacket, tcpFlagNames } from "./packet.ts";
 * import { LinkType } from "./pcap.ts";
 * import { unhexlify } from "../../lib/bytes.ts";
 *
 * const frame = unhexlify(
 *   "000000000000000000000000 0800" + // Ethernet: destination, source, type IPv4
 *     "4500002c 00004000 4006 0000 7f000001 7f000001" + // IPv4, TCP, 127.0.0.1 -> 127.0.0.1
 *     "c350 ff98 00000064 00000000 6002ffd7 0000 0000 020405b4", // TCP SYN with MSS option
 * );
 * const packet = decodePacket(LinkType.ETHERNET, frame);
 * assert.equal(packet.ip?.source, "127.0.0.1");
 * assert.equal(packet.tcp?.sourcePort, 50000);
 * assert.equal(packet.tcp?.destinationPort, 65432);
 * assert.deepEqual(tcpFlagNames(packet.tcp!.flags), ["SYN"]);
 * assert.equal(packet.tcp?.headerLength, 24); // 20 bytes and the MSS option
 * assert.equal(packet.payloadLength, 0);
 * ```
 *
 * @module
 */
import { LinkType, linkTypeName } from "./pcap.ts";
import { Struct } from "../../lib/struct.ts";

/**
 * A header that is cut short or holds impossible lengths. The message names the layer
 * and the numbers, e.g. `TCP header: 12 of 20 bytes captured`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePacket, PacketError } from "./packet.ts";
 * import { LinkType } from "./pcap.ts";
 *
 * assert.throws(
 *   () => decodePacket(LinkType.RAW, new Uint8Array([0x45, 0, 0])),
 *   new PacketError("IPv4 header: 3 of 20 bytes captured"),
 * );
 * ```
 */
export class PacketError extends Error {
  /**
   * Creates the error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { PacketError } from "./packet.ts";
   *
   * assert.equal(new PacketError("IPv4 header: 3 of 20 bytes captured").name, "PacketError");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "PacketError";
  }
}

/** Where one layer sits in the frame: bytes `offset` to `offset + length - 1`. */
export interface Span {
  /** `Ethernet`, `Linux cooked v1`, `IPv4`, `IPv6`, `TCP`, `UDP`, `payload` or `trailer`. */
  name: string;
  /** Offset of its first byte in the frame. */
  offset: number;
  /** Its length in bytes (as sent; the capture may hold fewer). */
  length: number;
}

/** The IP header of a packet. */
export interface IpHeader {
  /** 4 or 6. */
  version: 4 | 6;
  /** Source address, `127.0.0.1` or `::1` style. */
  source: string;
  /** Destination address. */
  destination: string;
  /** Header bytes, IPv6 extension headers and IPv4 options included. */
  headerLength: number;
  /** Header plus payload, from the header's length field. */
  totalLength: number;
  /** What the IP payload is: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, … */
  protocol: number;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  /** Whether this is a fragment of a larger IP packet (then only the first has a TCP/UDP header). */
  fragment: boolean;
  /** Where a fragment's data goes in the whole packet, in bytes (0 for the first fragment). */
  fragmentOffset: number;
}

/** The TCP header of a segment. */
export interface TcpHeader {
  /** Source port. */
  sourcePort: number;
  /** Destination port. */
  destinationPort: number;
  /** Sequence number (raw, as on the wire). */
  seq: number;
  /** Acknowledgement number (raw; meaningful when the ACK flag is set). */
  ack: number;
  /** Header bytes, options included (data offset × 4). */
  headerLength: number;
  /** The flag bits: test them with {@linkcode TcpFlag}. */
  flags: number;
  /** Receive window (not scaled). */
  window: number;
}

/** The UDP header of a datagram. */
export interface UdpHeader {
  /** Source port. */
  sourcePort: number;
  /** Destination port. */
  destinationPort: number;
  /** Header plus payload, from the length field. */
  length: number;
}

/** A decoded frame. */
export interface DecodedPacket {
  /** The capture's link type. */
  linkType: number;
  /** Length of the frame on the wire. */
  frameLength: number;
  /** `IPv4`, `IPv6`, `ARP`, or `ethertype 0x….` / `family N` for what is not decoded. */
  network: string;
  /** The IP header, when the frame carries IP. */
  ip?: IpHeader;
  /** `TCP`, `UDP`, or `protocol N` for other IP payloads; absent without IP. */
  transport?: string;
  /** The TCP header, for TCP. */
  tcp?: TcpHeader;
  /** The UDP header, for UDP. */
  udp?: UdpHeader;
  /** Offset in the frame of the first byte after every header. */
  payloadOffset: number;
  /** Application bytes the headers declare (TCP/UDP payload; IP payload for other protocols). */
  payloadLength: number;
  /** The application bytes that were captured (shorter than `payloadLength` if cut). */
  payload: Uint8Array;
  /** Every layer's position, from the first byte of the frame. */
  spans: Span[];
}

/**
 * The TCP flag bits, as in the 13th byte of the header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TcpFlag } from "./packet.ts";
 *
 * const flags = 0x12; // a SYN-ACK
 * assert.equal(flags, TcpFlag.SYN | TcpFlag.ACK);
 * ```
 */
export const TcpFlag: Readonly<
  Record<"FIN" | "SYN" | "RST" | "PSH" | "ACK" | "URG" | "ECE" | "CWR", number>
> = Object.freeze({
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
});

/**
 * The names of the flags set in `flags`, in the order Wireshark lists them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tcpFlagNames } from "./packet.ts";
 *
 * assert.deepEqual(tcpFlagNames(0x18), ["PSH", "ACK"]);
 * assert.deepEqual(tcpFlagNames(0x11), ["FIN", "ACK"]);
 * ```
 */
export function tcpFlagNames(flags: number): string[] {
  const order = ["CWR", "ECE", "URG", "SYN", "RST", "PSH", "FIN", "ACK"] as const;
  return order.filter((name) => (flags & TcpFlag[name]) !== 0);
}

/**
 * Formats 4 bytes as dotted IPv4 or 16 bytes as IPv6 text in the RFC 5952 form (lower
 * case, the longest run of zero groups as `::`, IPv4-mapped addresses as `::ffff:a.b.c.d`).
 *
 * @throws {PacketError} if `bytes` is not 4 or 16 bytes long.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIpAddress } from "./packet.ts";
 *
 * assert.equal(formatIpAddress(new Uint8Array([127, 0, 0, 1])), "127.0.0.1");
 * const loopback6 = new Uint8Array(16);
 * loopback6[15] = 1;
 * assert.equal(formatIpAddress(loopback6), "::1");
 * ```
 */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) {
    throw new PacketError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  }
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.subarray(12).join(".")}`;
  }
  // The longest run of two or more zero groups (the first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const text = (from: number, to: number) =>
    groups.slice(from, to).map((group) => group.toString(16)).join(":");
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

const U16 = new Struct(">H");
const U32_LITTLE = new Struct("<I");
const U32_BIG = new Struct(">I");
/** Version/IHL, TOS, total length, id, flags+fragment offset, TTL, protocol, checksum. */
const IPV4 = new Struct(">BBHHHBBH");
/** Version/class/flow, payload length, next header, hop limit. */
const IPV6 = new Struct(">IHBB");
/** Ports, sequence, acknowledgement, data offset, flags, window. */
const TCP = new Struct(">HHIIBBH");
/** Ports, length, checksum. */
const UDP = new Struct(">HHHH");

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;
const VLAN_ETHERTYPES = new Set([0x8100, 0x88a8, 0x9100]);
/** `AF_INET6` differs between systems: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30. */
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);
const IPV6_EXTENSIONS = new Set([0, 43, 44, 51, 60]);
const PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  1: "ICMP",
  2: "IGMP",
  6: "TCP",
  17: "UDP",
  58: "ICMPv6",
  132: "SCTP",
};

/** Fails unless `need` bytes of `what` are captured from `offset` on. */
function require(frame: Uint8Array, offset: number, need: number, what: string): void {
  const have = Math.max(0, frame.length - offset);
  if (have < need) throw new PacketError(`${what}: ${have} of ${need} bytes captured`);
}

function u16(frame: Uint8Array, offset: number): number {
  return U16.unpackFrom(frame, offset)[0] as number;
}

/** The link-layer header: its length and what it says comes next ("IPv4", "IPv6", …). */
function decodeLink(linkType: number, frame: Uint8Array): { length: number; network: string } {
  const name = linkTypeName(linkType);
  switch (linkType) {
    case LinkType.ETHERNET: {
      require(frame, 0, 14, "Ethernet header");
      let length = 14;
      let type = u16(frame, 12);
      while (VLAN_ETHERTYPES.has(type)) {
        require(frame, 0, length + 4, "Ethernet VLAN tag");
        type = u16(frame, length + 2);
        length += 4;
      }
      // A value up to 1500 is an 802.3 length, not a type: LLC follows, not IP.
      return { length, network: type <= 1500 ? "802.3 LLC" : etherTypeName(type) };
    }
    case LinkType.LINUX_SLL:
      require(frame, 0, 16, `${name} header`);
      return { length: 16, network: etherTypeName(u16(frame, 14)) };
    case LinkType.LINUX_SLL2:
      require(frame, 0, 20, `${name} header`);
      return { length: 20, network: etherTypeName(u16(frame, 0)) };
    case LinkType.NULL:
    case LinkType.LOOP: {
      require(frame, 0, 4, `${name} header`);
      const big = U32_BIG.unpackFrom(frame, 0)[0] as number;
      const little = U32_LITTLE.unpackFrom(frame, 0)[0] as number;
      // NULL's family is in the capturing host's byte order, which may not be the file's:
      // a family is small, so the order in which it reads as a known family is the right one.
      const family = linkType === LinkType.LOOP || isFamily(big) ? big : little;
      return { length: 4, network: familyName(family) };
    }
    case LinkType.RAW:
    case LinkType.DLT_RAW:
    case LinkType.DLT_RAW_OPENBSD: {
      require(frame, 0, 1, "raw IP packet");
      const version = frame[0] >> 4;
      return {
        length: 0,
        network: version === 4 ? "IPv4" : version === 6 ? "IPv6" : `IP version ${version}`,
      };
    }
    case LinkType.IPV4:
      return { length: 0, network: "IPv4" };
    case LinkType.IPV6:
      return { length: 0, network: "IPv6" };
    default:
      throw new PacketError(
        `link type ${linkType} is not supported (Ethernet, Linux cooked, raw IP and loopback are)`,
      );
  }
}

function isFamily(value: number): boolean {
  return value === AF_INET || AF_INET6.has(value);
}

function familyName(family: number): string {
  return family === AF_INET ? "IPv4" : AF_INET6.has(family) ? "IPv6" : `family ${family}`;
}

function etherTypeName(type: number): string {
  if (type === ETHERTYPE_IPV4) return "IPv4";
  if (type === ETHERTYPE_IPV6) return "IPv6";
  if (type === ETHERTYPE_ARP) return "ARP";
  return `ethertype 0x${type.toString(16).padStart(4, "0")}`;
}

function decodeIpv4(frame: Uint8Array, offset: number): IpHeader {
  require(frame, offset, 20, "IPv4 header");
  const [versionIhl, , totalField, , fragmentField, ttl, protocol] = IPV4.unpackFrom(
    frame,
    offset,
  ) as number[];
  const version = versionIhl >> 4;
  if (version !== 4) throw new PacketError(`IPv4 header: version field is ${version}, not 4`);
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < 20) {
    throw new PacketError(`IPv4 header: header length ${headerLength} is under 20 bytes`);
  }
  require(frame, offset, headerLength, "IPv4 header with options");
  // A total length of 0 is what TCP segmentation offload leaves: the capture has the truth.
  const totalLength = totalField === 0 ? frame.length - offset : totalField;
  if (totalLength < headerLength) {
    throw new PacketError(
      `IPv4 header: total length ${totalLength} is less than the header's ${headerLength} bytes`,
    );
  }
  return {
    version: 4,
    source: formatIpAddress(frame.subarray(offset + 12, offset + 16)),
    destination: formatIpAddress(frame.subarray(offset + 16, offset + 20)),
    headerLength,
    totalLength,
    protocol,
    ttl,
    fragment: (fragmentField & 0x3fff) !== 0, // more-fragments bit or a fragment offset
    fragmentOffset: (fragmentField & 0x1fff) * 8,
  };
}

function decodeIpv6(frame: Uint8Array, offset: number): IpHeader {
  require(frame, offset, 40, "IPv6 header");
  const [versionClassFlow, payloadField, nextHeader, hopLimit] = IPV6.unpackFrom(
    frame,
    offset,
  ) as number[];
  const version = versionClassFlow >>> 28;
  if (version !== 6) throw new PacketError(`IPv6 header: version field is ${version}, not 6`);
  // Payload length 0 is a jumbogram (or offload): the capture has the truth.
  const totalLength = payloadField === 0 ? frame.length - offset : 40 + payloadField;
  let headerLength = 40;
  let protocol = nextHeader;
  let fragment = false;
  let fragmentOffset = 0;
  while (IPV6_EXTENSIONS.has(protocol)) {
    const at = offset + headerLength;
    require(frame, at, 8, "IPv6 extension header");
    const next = frame[at];
    let length: number;
    if (protocol === 44) { // fragment header: fixed 8 bytes
      length = 8;
      fragment = true;
      fragmentOffset = u16(frame, at + 2) & 0xfff8;
    } else if (protocol === 51) length = (frame[at + 1] + 2) * 4; // AH counts 4-byte words
    else length = (frame[at + 1] + 1) * 8;
    headerLength += length;
    protocol = next;
  }
  if (totalLength < headerLength) {
    throw new PacketError(
      `IPv6 header: payload length ${totalLength - 40} is shorter than the extension headers`,
    );
  }
  return {
    version: 6,
    source: formatIpAddress(frame.subarray(offset + 8, offset + 24)),
    destination: formatIpAddress(frame.subarray(offset + 24, offset + 40)),
    headerLength,
    totalLength,
    protocol,
    ttl: hopLimit,
    fragment,
    fragmentOffset,
  };
}

/**
 * Decodes one captured frame of a capture whose link type is `linkType`.
 * `originalLength` is the frame's length on the wire (the pcap record's), which the
 * lengths in the result are measured against; it defaults to the captured length.
 *
 * @throws {PacketError} if a header is cut short or its lengths are impossible, or the
 * link type is not supported.
 *
 * @example Where the application's bytes are in a UDP datagram on raw IP
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePacket } from "./packet.ts";
 * import { LinkType } from "./pcap.ts";
 * import { unhexlify } from "../../lib/bytes.ts";
 *
 * const frame = unhexlify(
 *   "45000021 0000 4000 4011 0000 7f000001 7f000001" + "d431 ff98 000d 0000" + "48656c6c6f",
 * );
 * const packet = decodePacket(LinkType.RAW, frame);
 * assert.deepEqual(
 *   packet.spans.map(({ name, offset, length }) => `${name}@${offset}+${length}`),
 *   ["IPv4@0+20", "UDP@20+8", "payload@28+5"],
 * );
 * ```
 */
export function decodePacket(
  linkType: number,
  frame: Uint8Array,
  originalLength: number = frame.length,
): DecodedPacket {
  const link = decodeLink(linkType, frame);
  const spans: Span[] = [];
  if (link.length > 0) spans.push({ name: linkTypeName(linkType), offset: 0, length: link.length });
  const packet: DecodedPacket = {
    linkType,
    frameLength: originalLength,
    network: link.network,
    payloadOffset: link.length,
    payloadLength: Math.max(0, originalLength - link.length),
    payload: frame.subarray(link.length),
    spans,
  };
  if (link.network !== "IPv4" && link.network !== "IPv6") return packet;

  const ipStart = link.length;
  const ip = link.network === "IPv4" ? decodeIpv4(frame, ipStart) : decodeIpv6(frame, ipStart);
  if (ipStart + ip.totalLength > originalLength) {
    throw new PacketError(
      `${link.network} header: total length ${ip.totalLength} runs past the end of the ` +
        `${originalLength}-byte frame`,
    );
  }
  packet.ip = ip;
  spans.push({ name: link.network, offset: ipStart, length: ip.headerLength });
  let headerEnd = ipStart + ip.headerLength;
  const ipEnd = ipStart + ip.totalLength;
  packet.transport = PROTOCOL_NAMES[ip.protocol] ?? `protocol ${ip.protocol}`;
  const firstFragment = ip.fragmentOffset === 0;

  if (ip.protocol === 6 && firstFragment) {
    require(frame, headerEnd, 20, "TCP header");
    const [sourcePort, destinationPort, seq, ack, offsetByte, flags, window] = TCP.unpackFrom(
      frame,
      headerEnd,
    ) as number[];
    const headerLength = (offsetByte >> 4) * 4;
    if (headerLength < 20) {
      throw new PacketError(`TCP header: data offset gives ${headerLength} bytes, under 20`);
    }
    if (headerEnd + headerLength > ipEnd) {
      throw new PacketError(
        `TCP header: its ${headerLength} bytes run past the end of the IP packet`,
      );
    }
    // The options are not read: a snap length that cuts them leaves every length known.
    packet.tcp = { sourcePort, destinationPort, seq, ack, headerLength, flags, window };
    spans.push({ name: "TCP", offset: headerEnd, length: headerLength });
    headerEnd += headerLength;
  } else if (ip.protocol === 17 && firstFragment) {
    require(frame, headerEnd, 8, "UDP header");
    const [sourcePort, destinationPort, length] = UDP.unpackFrom(frame, headerEnd) as number[];
    if (length < 8) throw new PacketError(`UDP header: length field ${length} is under 8`);
    // The first fragment of a datagram holds its header, whatever the length field says.
    if (headerEnd + 8 > ipEnd) {
      throw new PacketError("UDP header: its 8 bytes run past the end of the IP packet");
    }
    if (headerEnd + length > ipEnd && !ip.fragment) {
      throw new PacketError(`UDP header: length ${length} runs past the end of the IP packet`);
    }
    packet.udp = { sourcePort, destinationPort, length };
    spans.push({ name: "UDP", offset: headerEnd, length: 8 });
    headerEnd += 8;
  }
  packet.payloadOffset = headerEnd;
  packet.payloadLength = ipEnd - headerEnd;
  packet.payload = frame.subarray(headerEnd, Math.min(ipEnd, frame.length));
  if (packet.payloadLength > 0) {
    spans.push({ name: "payload", offset: headerEnd, length: packet.payloadLength });
  }
  if (originalLength > ipEnd) {
    spans.push({ name: "trailer", offset: ipEnd, length: originalLength - ipEnd });
  }
  return packet;
}
