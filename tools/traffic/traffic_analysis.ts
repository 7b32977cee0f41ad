/**
 * Deliverable 1 — traffic analysis: what a capture of the sensor scripts (or of any
 * TCP/UDP lab task) puts on the wire, and how much of it is the application's data.
 * `traffic_report.ts` prints what this module computes; the tests call it directly.
 *
 * Definitions (the handout and the report use exactly these):
 *
 * - **Bytes on the wire** of a packet: the whole captured frame as the capture records
 *   its length (the pcap "original length"), link-layer header included. On Linux's
 *   `lo` that header is a 14-byte Ethernet header; a real Ethernet adds a preamble, a
 *   4-byte FCS and a gap between frames, which no capture shows.
 * - **Payload** (application bytes): what the TCP segment or UDP datagram carries after
 *   its header: the bytes the programs wrote. Everything else is **overhead**: the
 *   link, IP and TCP/UDP headers, plus segments that carry no payload at all.
 * - **Roles** of TCP segments: handshake, data, pure ACK, teardown, as `tools/traffic/flows.ts`
 *   defines them.
 * - **A reading** is one application message sent by the client. When the bytes are the
 *   sensor protocol (`sensor_protocol.md`), messages are counted by their header's
 *   length, so a segment holding two readings, or a reading split over two segments,
 *   counts right; one response is counted the same way. For any other application (the
 *   echo tasks, Task 1.4's records) a reading is one UDP datagram from the client, or
 *   one TCP segment of new data from the client.
 * - **Per reading**: a transport's totals over all its conversations in the capture,
 *   divided by the number of readings. "Whole exchange" counts everything: the
 *   readings, the server's responses, the ACKs, and for TCP the handshake and teardown,
 *   shared by the readings of the connection; so TCP's figure falls as more readings
 *   share a connection. "Open connection" (TCP only) leaves out handshake and teardown:
 *   what one more reading costs on a connection that is already open.
 * - **Overhead %**: overhead bytes as a percentage of the bytes on the wire.
 *
 * @module
 */
import { type Flow, groupFlows, type SegmentRole, streamBytes } from "./flows.ts";
import { type DecodedPacket, decodePacket, PacketError, TcpFlag, tcpFlagNames } from "./packet.ts";
import { linkTypeName, type Pcap } from "./pcap.ts";
import { decodeHeader, HEADER } from "../../labs/lab1/sensor_protocol.ts";

/** Packets, bytes on the wire and payload bytes of a group of packets. */
export interface Tally {
  /** How many packets. */
  packets: number;
  /** Their frame lengths, summed. */
  wireBytes: number;
  /** Their application bytes, summed. */
  payloadBytes: number;
}

/** Header bytes by layer. */
export interface HeaderBytes {
  /** Link-layer headers (Ethernet on `lo`). */
  link: number;
  /** IP headers (options and IPv6 extension headers included). */
  ip: number;
  /** TCP or UDP headers (TCP options included). */
  transport: number;
  /** Bytes after the IP packet (Ethernet padding). */
  trailer: number;
}

/** One row of the per-packet table. */
export interface PacketRow {
  /** Number in the capture, from 1. */
  number: number;
  /** Seconds since the first packet of the capture. */
  time: number;
  /** `address:port` (IPv6 addresses in brackets), or the address alone without ports. */
  source: string;
  /** Same for the destination. */
  destination: string;
  /** `TCP`, `UDP`, another IP protocol, or what the frame is (`ARP`, …). */
  protocol: string;
  /** TCP flags, e.g. `SYN ACK`; empty for UDP. */
  flags: string;
  /** TCP sequence number relative to the sender's first (Wireshark's "relative"). */
  seq: number | null;
  /** TCP acknowledgement number, relative; null without the ACK flag. */
  ack: number | null;
  /** Application bytes. */
  payloadBytes: number;
  /** Every other byte of the frame. */
  headerBytes: number;
  /** The frame's length. */
  wireBytes: number;
  /** Its role in its conversation, or null outside any. */
  role: SegmentRole | null;
  /** Its conversation's number, or null. */
  flow: number | null;
  /** Why a frame could not be decoded, when it could not. */
  error?: string;
}

/** What one conversation (a TCP connection, or a client's UDP datagrams) carried. */
export interface FlowReport {
  /** Its number, from 1. */
  id: number;
  /** `TCP` or `UDP`. */
  transport: "TCP" | "UDP";
  /** The client's `address:port`. */
  client: string;
  /** The server's `address:port`. */
  server: string;
  /** `sensor protocol v1` when every byte each way parses as its messages, else `unrecognised`. */
  application: string;
  /** Application messages from the client (see the module's definition). */
  readings: number;
  /** Application messages from the server. */
  responses: number;
  /** Application bytes from the client. */
  readingBytes: number;
  /** Application bytes from the server. */
  responseBytes: number;
  /** The sizes of the client's messages, each size once, smallest first. */
  readingSizes: number[];
  /** False when some bytes were not captured (the counts may then be short). */
  complete: boolean;
  /** All its packets. */
  total: Tally;
  /** Header bytes of all its packets, by layer. */
  headers: HeaderBytes;
  /** Its packets by role (TCP: handshake, data, ack, teardown, other; UDP: datagram). */
  roles: Partial<Record<SegmentRole, Tally>>;
}

/** Bytes per reading: see the module's definition. */
export interface PerReading {
  /** Application bytes (a reading plus its response, on average). */
  payloadBytes: number;
  /** Bytes on the wire. */
  wireBytes: number;
  /** `wireBytes - payloadBytes`. */
  overheadBytes: number;
  /** Overhead as a percentage of `wireBytes`. */
  overheadPercent: number;
}

/** Everything one transport carried in the capture. */
export interface TransportSummary {
  /** `TCP` or `UDP`. */
  transport: "TCP" | "UDP";
  /** How many conversations. */
  flows: number;
  /** All its packets. */
  total: Tally;
  /** Header bytes of all its packets, by layer. */
  headers: HeaderBytes;
  /** Its packets by role. */
  roles: Partial<Record<SegmentRole, Tally>>;
  /** Readings sent by clients. */
  readings: number;
  /** Responses sent by servers. */
  responses: number;
  /** Application bytes from clients. */
  readingBytes: number;
  /** Application bytes from servers. */
  responseBytes: number;
  /** Per reading, everything included; null without readings. */
  perReading: PerReading | null;
  /** TCP: per reading, data and ACKs only (a connection already open); else null. */
  perReadingOpen: PerReading | null;
}

/** The whole analysis of a capture. */
export interface Analysis {
  /** About the file. */
  capture: {
    linkType: number;
    linkTypeName: string;
    byteOrder: "little" | "big";
    precision: "micro" | "nano";
    snapLength: number;
    /** Packets in the file. */
    packets: number;
    /** Packets left out by the port filter. */
    filteredOut: number;
  };
  /** One row per packet analysed. */
  packets: PacketRow[];
  /** Every conversation. */
  flows: FlowReport[];
  /** TCP, then UDP, for those present. */
  transports: TransportSummary[];
}

/** Options of {@linkcode analyseCapture}. */
export interface AnalysisOptions {
  /** Keep only packets to or from these ports (all when empty); they are also the server ports. */
  ports?: number[];
}

/** A captured packet decoded, or why it could not be. */
interface Decoded {
  number: number;
  time: number;
  packet?: DecodedPacket;
  error?: string;
  wireBytes: number;
}

const TCP_ROLES: SegmentRole[] = ["handshake", "data", "ack", "teardown", "other"];

function emptyTally(): Tally {
  return { packets: 0, wireBytes: 0, payloadBytes: 0 };
}

function emptyRoles(transport: "TCP" | "UDP"): Partial<Record<SegmentRole, Tally>> {
  return Object.fromEntries((transport === "TCP" ? TCP_ROLES : []).map((r) => [r, emptyTally()]));
}

/** Adds `tally` into `into`. */
function addTally(into: Tally, tally: Tally): void {
  into.packets += tally.packets;
  into.wireBytes += tally.wireBytes;
  into.payloadBytes += tally.payloadBytes;
}

/** Adds `from` into `into`, field by field. */
function addHeaders(into: HeaderBytes, from: HeaderBytes): void {
  into.link += from.link;
  into.ip += from.ip;
  into.transport += from.transport;
  into.trailer += from.trailer;
}

/** A packet's header bytes by layer: its IP header starts where the link header ends. */
function headerBytes(packet: DecodedPacket): HeaderBytes {
  const span = (name: string) => packet.spans.find((s) => s.name === name);
  return {
    link: span(packet.network)?.offset ?? 0,
    ip: packet.ip?.headerLength ?? 0,
    transport: packet.tcp?.headerLength ?? (packet.udp ? 8 : 0),
    trailer: span("trailer")?.length ?? 0,
  };
}

function hostPort(address: string, port?: number): string {
  if (port === undefined) return address;
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Splits bytes into sensor-protocol messages by their headers: the size of each, or
 * null if the bytes are not (only) sensor messages. `partial` allows the last message
 * to be cut short (a capture that missed the end).
 */
export function sensorMessageSizes(bytes: Uint8Array, partial = false): number[] | null {
  const sizes: number[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER.size) return partial && sizes.length > 0 ? sizes : null;
    let length: number;
    try {
      length = decodeHeader(bytes.subarray(offset, offset + HEADER.size)).length;
    } catch {
      return null;
    }
    if (offset + length > bytes.length && !partial) return null;
    sizes.push(length);
    offset += length;
  }
  return sizes.length > 0 ? sizes : null;
}

/** The client's and server's messages in a flow: sensor messages if both sides parse. */
function messages(flow: Flow): {
  application: string;
  fromClient: number[];
  fromServer: number[];
  complete: boolean;
} {
  const client = streamBytes(flow, true);
  const server = streamBytes(flow, false);
  const complete = client.complete && server.complete;
  const parse = (stream: typeof client): number[] | null => {
    if (stream.bytes.length === 0) return [];
    if (flow.transport === "TCP") return sensorMessageSizes(stream.bytes, !stream.complete);
    // UDP: every datagram must be exactly one message.
    const sizes: number[] = [];
    let offset = 0;
    for (const size of stream.chunks) {
      const one = sensorMessageSizes(stream.bytes.subarray(offset, offset + size));
      if (one === null || one.length !== 1) return null;
      sizes.push(size);
      offset += size;
    }
    return sizes;
  };
  const fromClient = parse(client);
  const fromServer = parse(server);
  if (fromClient !== null && fromServer !== null && fromClient.length > 0) {
    return { application: "sensor protocol v1", fromClient, fromServer, complete };
  }
  return {
    application: "unrecognised",
    fromClient: client.chunks,
    fromServer: server.chunks,
    complete,
  };
}

function flowReport(flow: Flow): FlowReport {
  const total = emptyTally();
  const headers: HeaderBytes = { link: 0, ip: 0, transport: 0, trailer: 0 };
  const roles = emptyRoles(flow.transport);
  for (const { packet, role } of flow.segments) {
    const tally = { packets: 1, wireBytes: packet.frameLength, payloadBytes: packet.payloadLength };
    addTally(total, tally);
    addTally(roles[role] ??= emptyTally(), tally);
    addHeaders(headers, headerBytes(packet));
  }
  const found = messages(flow);
  const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
  return {
    id: flow.id,
    transport: flow.transport,
    client: hostPort(flow.client.address, flow.client.port),
    server: hostPort(flow.server.address, flow.server.port),
    application: found.application,
    readings: found.fromClient.length,
    responses: found.fromServer.length,
    readingBytes: sum(found.fromClient),
    responseBytes: sum(found.fromServer),
    readingSizes: [...new Set(found.fromClient)].sort((a, b) => a - b),
    complete: found.complete,
    total,
    headers,
    roles,
  };
}

/** Bytes per reading of `wire` and `payload` bytes over `readings` readings. */
export function perReading(wire: number, payload: number, readings: number): PerReading | null {
  if (readings === 0) return null;
  const wireBytes = wire / readings;
  const payloadBytes = payload / readings;
  return {
    payloadBytes,
    wireBytes,
    overheadBytes: wireBytes - payloadBytes,
    overheadPercent: wire === 0 ? 0 : 100 * (wire - payload) / wire,
  };
}

/** A transport's summary: the sums of its conversations' reports. */
function summarise(transport: "TCP" | "UDP", reports: FlowReport[]): TransportSummary {
  const total = emptyTally();
  const headers: HeaderBytes = { link: 0, ip: 0, transport: 0, trailer: 0 };
  const roles = emptyRoles(transport);
  const sum = (field: "readings" | "responses" | "readingBytes" | "responseBytes") =>
    reports.reduce((sum, report) => sum + report[field], 0);
  for (const report of reports) {
    addTally(total, report.total);
    addHeaders(headers, report.headers);
    for (const [role, tally] of Object.entries(report.roles)) {
      addTally(roles[role as SegmentRole] ??= emptyTally(), tally);
    }
  }
  const readings = sum("readings");
  const open = transport === "TCP" ? roles.data!.wireBytes + roles.ack!.wireBytes : 0;
  return {
    transport,
    flows: reports.length,
    total,
    headers,
    roles,
    readings,
    responses: sum("responses"),
    readingBytes: sum("readingBytes"),
    responseBytes: sum("responseBytes"),
    perReading: perReading(total.wireBytes, total.payloadBytes, readings),
    perReadingOpen: transport === "TCP"
      ? perReading(open, roles.data!.payloadBytes, readings)
      : null,
  };
}

/**
 * Decodes every packet of `pcap`, groups them into conversations and adds up what each
 * transport put on the wire. A frame that cannot be decoded gets a row with its error
 * and is left out of the sums.
 */
export function analyseCapture(pcap: Pcap, options: AnalysisOptions = {}): Analysis {
  const ports = options.ports ?? [];
  const start = pcap.records.length > 0
    ? pcap.records[0].seconds + pcap.records[0].nanoseconds / 1e9
    : 0;
  const decoded: Decoded[] = [];
  let filteredOut = 0;
  for (const record of pcap.records) {
    const time = record.seconds + record.nanoseconds / 1e9 - start;
    try {
      const packet = decodePacket(pcap.header.linkType, record.data, record.originalLength);
      const ends = packet.tcp ?? packet.udp;
      if (
        ports.length > 0 &&
        !(ends && (ports.includes(ends.sourcePort) || ports.includes(ends.destinationPort)))
      ) {
        filteredOut++;
        continue;
      }
      decoded.push({ number: record.number, time, packet, wireBytes: record.originalLength });
    } catch (error) {
      if (!(error instanceof PacketError)) throw error;
      if (ports.length > 0) {
        filteredOut++;
        continue;
      }
      decoded.push({
        number: record.number,
        time,
        error: error.message,
        wireBytes: record.originalLength,
      });
    }
  }

  const flows = groupFlows(
    decoded.filter((d) => d.packet).map((d) => ({
      number: d.number,
      time: d.time,
      packet: d.packet!,
    })),
    { serverPorts: ports },
  );
  const segmentOf = new Map(
    flows.flatMap((flow) =>
      flow.segments.map((segment) => [segment.number, { flow, segment }] as const)
    ),
  );
  const packets = decoded.map((d): PacketRow => {
    const packet = d.packet;
    if (!packet) {
      return {
        number: d.number,
        time: d.time,
        source: "",
        destination: "",
        protocol: "?",
        flags: "",
        seq: null,
        ack: null,
        payloadBytes: 0,
        headerBytes: 0,
        wireBytes: d.wireBytes,
        role: null,
        flow: null,
        error: d.error,
      };
    }
    const ends = packet.tcp ?? packet.udp;
    const found = segmentOf.get(d.number);
    const tcp = packet.tcp;
    return {
      number: d.number,
      time: d.time,
      source: packet.ip ? hostPort(packet.ip.source, ends?.sourcePort) : "",
      destination: packet.ip ? hostPort(packet.ip.destination, ends?.destinationPort) : "",
      protocol: packet.transport ?? packet.network,
      flags: tcp ? tcpFlagNames(tcp.flags).join(" ") : "",
      seq: tcp && found ? found.segment.relativeSeq : null,
      ack: tcp && found && (tcp.flags & TcpFlag.ACK) ? found.segment.relativeAck : null,
      payloadBytes: packet.payloadLength,
      headerBytes: packet.frameLength - packet.payloadLength,
      wireBytes: packet.frameLength,
      role: found?.segment.role ?? null,
      flow: found?.flow.id ?? null,
    };
  });

  const reports = flows.map(flowReport);
  const transports = (["TCP", "UDP"] as const)
    .map((transport) => summarise(transport, reports.filter((r) => r.transport === transport)))
    .filter((summary) => summary.flows > 0);
  return {
    capture: {
      linkType: pcap.header.linkType,
      linkTypeName: linkTypeName(pcap.header.linkType),
      byteOrder: pcap.header.byteOrder,
      precision: pcap.header.precision,
      snapLength: pcap.header.snapLength,
      packets: pcap.records.length,
      filteredOut,
    },
    packets,
    flows: reports,
    transports,
  };
}

/** One bar of the chart: a transport at one reading size, split into stacked parts. */
export interface ChartPoint {
  /** `TCP` or `UDP`. */
  transport: "TCP" | "UDP";
  /** Size of one reading in bytes (the client's message). */
  readingSize: number;
  /** How many readings the point is averaged over. */
  readings: number;
  /** How many conversations. */
  flows: number;
  /** Bytes on the wire per reading, by part: see {@linkcode CHART_PARTS}. */
  parts: Record<ChartPart, number>;
}

/** The stacked parts of a chart bar, bottom to top. */
export type ChartPart = "payload" | "headers" | "acks" | "setup";

/** What each part of a bar counts. */
export const CHART_PARTS: Readonly<Record<ChartPart, string>> = {
  payload: "payload (reading + response)",
  headers: "headers of the packets carrying it",
  acks: "pure ACKs",
  setup: "handshake + teardown (TCP, shared)",
};

/**
 * The chart's data: conversations of one transport whose readings all have the same size
 * are added up, and their bytes on the wire divided by their readings.
 */
export function chartPoints(analysis: Analysis): ChartPoint[] {
  const groups = new Map<string, ChartPoint>();
  for (const flow of analysis.flows) {
    if (flow.readings === 0 || flow.readingSizes.length !== 1) continue;
    const [readingSize] = flow.readingSizes;
    const key = `${flow.transport} ${readingSize}`;
    let point = groups.get(key);
    if (point === undefined) {
      const parts = { payload: 0, headers: 0, acks: 0, setup: 0 };
      point = { transport: flow.transport, readingSize, readings: 0, flows: 0, parts };
      groups.set(key, point);
    }
    // Sums first; divided by the readings below.
    const r = flow.roles;
    const carrying = flow.transport === "TCP" ? r.data! : r.datagram!;
    point.readings += flow.readings;
    point.flows++;
    point.parts.payload += flow.total.payloadBytes;
    point.parts.headers += carrying.wireBytes - carrying.payloadBytes;
    point.parts.acks += r.ack?.wireBytes ?? 0;
    point.parts.setup += (r.handshake?.wireBytes ?? 0) + (r.teardown?.wireBytes ?? 0) +
      (r.other?.wireBytes ?? 0);
  }
  const points = [...groups.values()];
  for (const point of points) {
    for (const part of Object.keys(point.parts) as ChartPart[]) point.parts[part] /= point.readings;
  }
  return points.sort((a, b) =>
    a.readingSize - b.readingSize || a.transport.localeCompare(b.transport)
  );
}
