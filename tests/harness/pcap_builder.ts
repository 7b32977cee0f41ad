/**
 * Builds packets and whole conversations in memory, so the pcap and pcapng readers, the packet
 * decoder and the traffic analyser can be tested on captures whose every byte the test
 * knows: IPv4/IPv6 with TCP or UDP (checksums included, so Wireshark shows nothing
 * odd), wrapped in any link-layer header, and TCP connections with a correct handshake,
 * sequence numbers, ACKs and teardown.
 *
 * @module
 */
import { concat } from "../../lib/bytes.ts";
import { TcpFlag } from "../../tools/traffic/packet.ts";
import { LinkType, type PcapWriteRecord } from "../../tools/traffic/pcap.ts";
import { pack } from "../../lib/struct.ts";

/** Parses `127.0.0.1` or an IPv6 address (with `::`) into its bytes. */
export function ipBytes(address: string): Uint8Array {
  if (!address.includes(":")) return new Uint8Array(address.split(".").map(Number));
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const groups = (text: string | undefined) =>
    text ? text.split(":").map((g) => parseInt(g, 16)) : [];
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return new Uint8Array(all.flatMap((group) => [group >> 8, group & 0xff]));
}

/** The Internet checksum (RFC 1071) of `bytes`. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A TCP or UDP segment before the IP header is known. */
export interface Transport {
  protocol: 6 | 17;
  /** Header and payload, checksum still 0. */
  bytes: Uint8Array;
  /** Offset of the checksum field in `bytes`. */
  checksumAt: number;
}

/** A TCP segment; `options` must be a multiple of 4 bytes. */
export function tcp(fields: {
  sourcePort: number;
  destinationPort: number;
  seq?: number;
  ack?: number;
  flags: number;
  window?: number;
  options?: Uint8Array;
  payload?: Uint8Array;
}): Transport {
  const options = fields.options ?? new Uint8Array();
  const headerLength = 20 + options.length;
  const header = pack(
    ">HHIIBBHHH",
    fields.sourcePort,
    fields.destinationPort,
    fields.seq ?? 0,
    fields.ack ?? 0,
    (headerLength / 4) << 4,
    fields.flags,
    fields.window ?? 65483,
    0,
    0,
  );
  return {
    protocol: 6,
    bytes: concat(header, options, fields.payload ?? new Uint8Array()),
    checksumAt: 16,
  };
}

/** A UDP datagram. */
export function udp(sourcePort: number, destinationPort: number, payload: Uint8Array): Transport {
  const header = pack(">HHHH", sourcePort, destinationPort, 8 + payload.length, 0);
  return { protocol: 17, bytes: concat(header, payload), checksumAt: 6 };
}

function withChecksum(transport: Transport, pseudoHeader: Uint8Array): Uint8Array {
  const bytes = transport.bytes.slice();
  let sum = internetChecksum(concat(pseudoHeader, bytes));
  if (transport.protocol === 17 && sum === 0) sum = 0xffff;
  bytes.set(pack(">H", sum), transport.checksumAt);
  return bytes;
}

/** An IPv4 packet carrying `transport` (`options`: IPv4 options, a multiple of 4 bytes). */
export function ipv4(
  source: string,
  destination: string,
  transport: Transport,
  options: Uint8Array = new Uint8Array(),
): Uint8Array {
  const [src, dst] = [ipBytes(source), ipBytes(destination)];
  const pseudo = concat(src, dst, pack(">BBH", 0, transport.protocol, transport.bytes.length));
  const body = withChecksum(transport, pseudo);
  const headerLength = 20 + options.length;
  const header = concat(
    pack(
      ">BBHHHBBH",
      0x40 | (headerLength / 4),
      0,
      headerLength + body.length,
      0x1234,
      0x4000,
      64,
      transport.protocol,
      0,
    ),
    src,
    dst,
    options,
  );
  header.set(pack(">H", internetChecksum(header)), 10);
  return concat(header, body);
}

/**
 * An IPv6 packet carrying `transport`, after the given extension headers (each: its
 * next-header value is filled in; give the header's own type and bytes).
 */
export function ipv6(
  source: string,
  destination: string,
  transport: Transport,
  extensions: { type: number; bytes: Uint8Array }[] = [],
): Uint8Array {
  const [src, dst] = [ipBytes(source), ipBytes(destination)];
  const pseudo = concat(src, dst, pack(">IxxxB", transport.bytes.length, transport.protocol));
  const body = withChecksum(transport, pseudo);
  const chain = extensions.map((extension, i) => {
    const bytes = extension.bytes.slice();
    bytes[0] = extensions[i + 1]?.type ?? transport.protocol;
    return bytes;
  });
  const payload = concat(...chain, body);
  const header = concat(
    pack(">IHBB", 0x60000000, payload.length, extensions[0]?.type ?? transport.protocol, 64),
    src,
    dst,
  );
  return concat(header, payload);
}

/** Link-layer wrappers: each takes an IP packet and gives the frame a capture holds. */
export const link = {
  ethernet(ip: Uint8Array, vlan?: number): Uint8Array {
    const type = (ip[0] >> 4) === 6 ? 0x86dd : 0x0800;
    const macs = new Uint8Array([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
    const tag = vlan === undefined ? new Uint8Array() : pack(">HH", 0x8100, vlan);
    return concat(macs, tag, pack(">H", type), ip);
  },
  sll(ip: Uint8Array): Uint8Array {
    const type = (ip[0] >> 4) === 6 ? 0x86dd : 0x0800;
    return concat(pack(">HHH8sH", 0, 772, 6, new Uint8Array(8), type), ip);
  },
  sll2(ip: Uint8Array): Uint8Array {
    const type = (ip[0] >> 4) === 6 ? 0x86dd : 0x0800;
    return concat(pack(">HHIHBB8s", type, 0, 1, 772, 0, 6, new Uint8Array(8)), ip);
  },
  /** BSD loopback: the family in the given byte order (`af6`: the host's AF_INET6). */
  null(ip: Uint8Array, order: "<" | ">", af6 = 24): Uint8Array {
    const family = (ip[0] >> 4) === 6 ? af6 : 2;
    return concat(pack(`${order}I`, family), ip);
  },
  raw(ip: Uint8Array): Uint8Array {
    return ip;
  },
};

/** The wrapper that gives frames of `linkType`. */
export function wrapperFor(linkType: number): (ip: Uint8Array) => Uint8Array {
  switch (linkType) {
    case LinkType.ETHERNET:
      return (ip) => link.ethernet(ip);
    case LinkType.LINUX_SLL:
      return link.sll;
    case LinkType.LINUX_SLL2:
      return link.sll2;
    case LinkType.NULL:
      return (ip) => link.null(ip, "<");
    case LinkType.LOOP:
      return (ip) => link.null(ip, ">");
    default:
      return link.raw;
  }
}

/** The TCP options Linux puts on a SYN (MSS, SACK permitted, timestamps, window scale): 20 bytes. */
export const SYN_OPTIONS = new Uint8Array([
  2,
  4,
  0xff,
  0xd7,
  4,
  2,
  8,
  10,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  1,
  3,
  3,
  7,
]);
/** The timestamps option Linux puts on every later segment: 12 bytes. */
export const TIMESTAMP_OPTIONS = new Uint8Array([1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1]);

/** What one side sends in a scripted TCP conversation. */
export type TcpStep =
  | { from: "client" | "server"; data: Uint8Array } // data, then a pure ACK from the peer
  | { from: "client" | "server"; dataNoAck: Uint8Array } // data the peer acknowledges later
  | { from: "client" | "server"; ack: true } // a pure ACK of all received so far
  | { from: "client" | "server"; close: true }; // FIN (the peer answers FIN+ACK, then the last ACK)

/** Options of {@linkcode tcpConversation}. */
export interface ConversationOptions {
  client?: [string, number];
  server?: [string, number];
  clientIsn?: number;
  serverIsn?: number;
  startTime?: number;
  /** Seconds between packets. */
  step?: number;
}

/**
 * A whole TCP connection as IP packets with capture times: the three-way handshake
 * (Linux's SYN options), the steps, and nothing else (end with a `close` step for the
 * teardown: FIN, FIN+ACK, ACK).
 */
export function tcpConversation(
  steps: TcpStep[],
  options: ConversationOptions = {},
): { time: number; ip: Uint8Array }[] {
  const [clientAddress, clientPort] = options.client ?? ["127.0.0.1", 45678];
  const [serverAddress, serverPort] = options.server ?? ["127.0.0.1", 50000];
  const next = { client: options.clientIsn ?? 1000, server: options.serverIsn ?? 5000 };
  let time = options.startTime ?? 1700000000;
  const packets: { time: number; ip: Uint8Array }[] = [];
  const send = (
    from: "client" | "server",
    flags: number,
    payload: Uint8Array = new Uint8Array(),
    synOptions = false,
  ) => {
    const to = from === "client" ? "server" : "client";
    const [source, sourcePort, destination, destinationPort] = from === "client"
      ? [clientAddress, clientPort, serverAddress, serverPort]
      : [serverAddress, serverPort, clientAddress, clientPort];
    const segment = tcp({
      sourcePort,
      destinationPort,
      seq: next[from],
      ack: flags & TcpFlag.ACK ? next[to] : 0,
      flags,
      options: synOptions ? SYN_OPTIONS : TIMESTAMP_OPTIONS,
      payload,
    });
    const ipPacket = source.includes(":")
      ? ipv6(source, destination, segment)
      : ipv4(source, destination, segment);
    packets.push({ time, ip: ipPacket });
    time += options.step ?? 0.001;
    next[from] = (next[from] + payload.length + (flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>>
      0;
  };
  const other = (side: "client" | "server") => side === "client" ? "server" : "client";
  send("client", TcpFlag.SYN, undefined, true);
  send("server", TcpFlag.SYN | TcpFlag.ACK, undefined, true);
  send("client", TcpFlag.ACK);
  for (const step of steps) {
    if ("data" in step) {
      send(step.from, TcpFlag.PSH | TcpFlag.ACK, step.data);
      send(other(step.from), TcpFlag.ACK);
    } else if ("dataNoAck" in step) {
      send(step.from, TcpFlag.PSH | TcpFlag.ACK, step.dataNoAck);
    } else if ("ack" in step) {
      send(step.from, TcpFlag.ACK);
    } else {
      send(step.from, TcpFlag.FIN | TcpFlag.ACK);
      send(other(step.from), TcpFlag.FIN | TcpFlag.ACK);
      send(step.from, TcpFlag.ACK);
    }
  }
  return packets;
}

/** Pcap records of `packets` wrapped for `linkType`. */
export function records(
  linkType: number,
  packets: { time: number; ip: Uint8Array }[],
): PcapWriteRecord[] {
  const wrap = wrapperFor(linkType);
  return packets.map(({ time, ip }) => ({
    seconds: Math.floor(time),
    nanoseconds: Math.round((time - Math.floor(time)) * 1e6) * 1000,
    data: wrap(ip),
  }));
}

/** One block of a pcapng file, for {@linkcode writePcapng}. */
export type PcapngBlock =
  /** A Section Header Block: the blocks after it are written in its byte order. */
  | { section: { byteOrder?: "little" | "big"; major?: number; minor?: number } }
  /** An Interface Description Block; `tsresol` is the raw if_tsresol byte (6 = µs). */
  | {
    interface: {
      linkType: number;
      snapLength?: number;
      name?: string;
      tsresol?: number;
      fcsLength?: number;
      tsOffset?: bigint;
    };
  }
  /** An Enhanced Packet Block; `timestamp` counts its interface's units. */
  | {
    packet: {
      interfaceId: number;
      timestamp: bigint;
      data: Uint8Array;
      originalLength?: number;
      /** Write an obsolete Packet Block (type 2) instead. */
      obsolete?: boolean;
    };
  }
  /** A Simple Packet Block (interface 0, no timestamp). */
  | { simplePacket: { data: Uint8Array; originalLength?: number } }
  /** Any other block, body as given (padded to 4 bytes). */
  | { other: { type: number; body: Uint8Array } };

/** Pads `bytes` with zeros to a multiple of 4. */
function padded(bytes: Uint8Array): Uint8Array {
  return concat(bytes, new Uint8Array(-bytes.length & 3));
}

/**
 * A pcapng file of `blocks`, framed as the format says (type, total length, body, total
 * length), in the byte order of the section each block is in: how the tests build pcapng
 * files of every kind no tool here writes (big-endian sections, simple packet blocks,
 * binary timestamp resolutions, unknown blocks).
 */
export function writePcapng(blocks: PcapngBlock[]): Uint8Array {
  let order: "<" | ">" = "<";
  const option = (code: number, value: Uint8Array) =>
    concat(pack(`${order}HH`, code, value.length), padded(value));
  const block = (type: number, body: Uint8Array) => {
    const length = 12 + body.length;
    return concat(pack(`${order}II`, type, length), body, pack(`${order}I`, length));
  };
  const out: Uint8Array[] = [];
  for (const b of blocks) {
    if ("section" in b) {
      order = b.section.byteOrder === "big" ? ">" : "<";
      const { major = 1, minor = 0 } = b.section;
      out.push(block(0x0a0d0d0a, pack(`${order}IHHq`, 0x1a2b3c4d, major, minor, -1n)));
    } else if ("interface" in b) {
      const i = b.interface;
      const options: Uint8Array[] = [];
      if (i.name !== undefined) options.push(option(2, new TextEncoder().encode(i.name)));
      if (i.tsresol !== undefined) options.push(option(9, new Uint8Array([i.tsresol])));
      if (i.fcsLength !== undefined) options.push(option(13, new Uint8Array([i.fcsLength])));
      if (i.tsOffset !== undefined) options.push(option(14, pack(`${order}q`, i.tsOffset)));
      if (options.length > 0) options.push(option(0, new Uint8Array()));
      const fields = pack(`${order}HHI`, i.linkType, 0, i.snapLength ?? 262144);
      out.push(block(1, concat(fields, ...options)));
    } else if ("packet" in b) {
      const p = b.packet;
      const high = Number(p.timestamp >> 32n);
      const low = Number(p.timestamp & 0xffffffffn);
      const original = p.originalLength ?? p.data.length;
      const fields = p.obsolete
        ? pack(`${order}HHIIII`, p.interfaceId, 0, high, low, p.data.length, original)
        : pack(`${order}IIIII`, p.interfaceId, high, low, p.data.length, original);
      out.push(block(p.obsolete ? 2 : 6, concat(fields, padded(p.data))));
    } else if ("simplePacket" in b) {
      const p = b.simplePacket;
      const original = p.originalLength ?? p.data.length;
      out.push(block(3, concat(pack(`${order}I`, original), padded(p.data))));
    } else {
      out.push(block(b.other.type, padded(b.other.body)));
    }
  }
  return concat(...out);
}

/**
 * The packets of {@linkcode records}-style input as pcapng blocks of interface `interfaceId`
 * with microsecond timestamps (if_tsresol 6, the default).
 */
export function pcapngPackets(
  interfaceId: number,
  pcapRecords: PcapWriteRecord[],
): PcapngBlock[] {
  return pcapRecords.map((r) => ({
    packet: {
      interfaceId,
      timestamp: BigInt(r.seconds) * 1_000_000n + BigInt(Math.floor((r.nanoseconds ?? 0) / 1000)),
      data: r.data,
      originalLength: r.originalLength,
    },
  }));
}
