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
 * - **A capture with a short snap length** (`tcpdump -s 96`) keeps the headers of each
 *   frame and only the start of its payload. Payload bytes come from the IP and TCP/UDP
 *   lengths and sequence numbers, never from the bytes kept, so they are the same as in a
 *   full capture. Sensor messages are found by their 6-byte headers wherever the capture
 *   kept them (each message at the start of its own segment, as the reference clients
 *   send them); where a header was not kept, the rest of the stream is counted as
 *   messages of the average size found so far, and the counts are marked as estimates.
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
import {
  type Flow,
  groupFlows,
  type SegmentRole,
  type Stream,
  streamBytes,
  streamSlice,
} from "./flows.ts";
import { type DecodedPacket, decodePacket, PacketError, TcpFlag, tcpFlagNames } from "./packet.ts";
import { linkTypeName } from "./pcap.ts";
import type { Capture } from "./capture_file.ts";
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
  /** False when some payload bytes were not captured (a snap length, a segment missed). */
  complete: boolean;
  /** True when `readings` or `responses` are estimates (see the module's definition). */
  estimated: boolean;
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
  /** True when some conversation's counts are estimates. */
  estimated: boolean;
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
    /** `pcap` or `pcapng`. */
    format: "pcap" | "pcapng";
    /** The byte order of the file's headers. */
    byteOrder: "little" | "big";
    /** The interfaces the packets came from. */
    interfaces: {
      name: string | null;
      linkType: number;
      linkTypeName: string;
      /** 0: no limit. */
      snapLength: number;
      /** e.g. `microsecond`. */
      timestampUnit: string;
    }[];
    /** Packets in the file. */
    packets: number;
    /** Packets left out by the port filter. */
    filteredOut: number;
    /** Packets analysed of which the capture kept fewer bytes than were on the wire. */
    cutFrames: number;
    /** The most bytes the capture kept of a cut packet (its snap length, in effect); 0 if none was cut. */
    cutLength: number;
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
  const stream: Stream = {
    length: bytes.length,
    pieces: [{ start: 0, bytes }],
    chunks: [bytes.length],
    missing: 0,
    complete: true,
  };
  const found = sensorMessages(stream, "TCP", partial);
  return found && !found.estimated ? found.sizes : null;
}

/** Messages found in a stream: their sizes, and whether the count is an estimate. */
interface Messages {
  /** How many (estimated ones included). */
  count: number;
  /** The size of each message whose header was read. */
  sizes: number[];
  /** Their bytes: the stream's length. */
  bytes: number;
  estimated: boolean;
}

/**
 * The sensor-protocol messages of a stream, found by their headers where the capture kept
 * them (see the module's definition), or null if the stream is not sensor messages. A
 * last message may run past the end when `partial` (the capture missed the end).
 */
function sensorMessages(
  stream: Stream,
  transport: "TCP" | "UDP",
  partial: boolean,
): Messages | null {
  const header = (offset: number): number | null | "unknown" => {
    const bytes = streamSlice(stream, offset, offset + HEADER.size);
    if (bytes === null) return "unknown";
    try {
      return decodeHeader(bytes).length;
    } catch {
      return null;
    }
  };
  const sizes: number[] = [];
  if (transport === "UDP") { // every datagram is exactly one message
    let offset = 0;
    let unread = 0;
    for (const size of stream.chunks) {
      const length = header(offset);
      if (length === "unknown") unread++; // the snap length cut its header: counted unread
      else if (length === size) sizes.push(size);
      else return null;
      offset += size;
    }
    if (sizes.length === 0) return null;
    return { count: sizes.length + unread, sizes, bytes: stream.length, estimated: unread > 0 };
  }
  let offset = 0;
  while (offset < stream.length) {
    const length = header(offset);
    if (length === null) return null;
    if (length === "unknown" && stream.complete) { // a header cut by the end of the stream
      if (!partial) return null;
      offset = stream.length;
    }
    if (length === "unknown") break;
    if (offset + length > stream.length && !(partial || !stream.complete)) return null;
    sizes.push(length);
    offset += length;
  }
  if (sizes.length === 0) return null;
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (offset >= stream.length) return { count: sizes.length, sizes, bytes: sum, estimated: false };
  // A header the capture did not keep: the rest counted at the average size found so far.
  const rest = Math.max(1, Math.round((stream.length - offset) / (sum / sizes.length)));
  return { count: sizes.length + rest, sizes, bytes: stream.length, estimated: true };
}

/** The client's and server's messages in a flow: sensor messages if both sides parse. */
function messages(flow: Flow): {
  application: string;
  fromClient: Messages;
  fromServer: Messages;
  complete: boolean;
} {
  const client = streamBytes(flow, true);
  const server = streamBytes(flow, false);
  const complete = client.complete && server.complete;
  const parse = (stream: Stream): Messages | null =>
    stream.length === 0
      ? { count: 0, sizes: [], bytes: 0, estimated: false }
      : sensorMessages(stream, flow.transport, !stream.complete);
  const fromClient = parse(client);
  const fromServer = parse(server);
  if (fromClient !== null && fromServer !== null && fromClient.count > 0) {
    return { application: "sensor protocol v1", fromClient, fromServer, complete };
  }
  // Any other application: one message per datagram, or per TCP segment of new data; a
  // segment the capture missed is a message not counted.
  const chunks = (stream: Stream): Messages => ({
    count: stream.chunks.length,
    sizes: stream.chunks,
    bytes: stream.length,
    estimated: stream.missing > 0,
  });
  return {
    application: "unrecognised",
    fromClient: chunks(client),
    fromServer: chunks(server),
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
  return {
    id: flow.id,
    transport: flow.transport,
    client: hostPort(flow.client.address, flow.client.port),
    server: hostPort(flow.server.address, flow.server.port),
    application: found.application,
    readings: found.fromClient.count,
    responses: found.fromServer.count,
    readingBytes: found.fromClient.bytes,
    responseBytes: found.fromServer.bytes,
    readingSizes: [...new Set(found.fromClient.sizes)].sort((a, b) => a - b),
    complete: found.complete,
    estimated: found.fromClient.estimated || found.fromServer.estimated,
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
    estimated: reports.some((report) => report.estimated),
    readingBytes: sum("readingBytes"),
    responseBytes: sum("responseBytes"),
    perReading: perReading(total.wireBytes, total.payloadBytes, readings),
    perReadingOpen: transport === "TCP"
      ? perReading(open, roles.data!.payloadBytes, readings)
      : null,
  };
}

/**
 * Decodes every packet of `capture` (from `readCapture`, `./capture_file.ts`), groups them
 * into conversations and adds up what each transport put on the wire. A frame that cannot
 * be decoded gets a row with its error and is left out of the sums.
 */
export function analyseCapture(capture: Capture, options: AnalysisOptions = {}): Analysis {
  const ports = options.ports ?? [];
  const start = capture.records.length > 0
    ? capture.records[0].seconds + capture.records[0].nanoseconds / 1e9
    : 0;
  const decoded: Decoded[] = [];
  let filteredOut = 0;
  let cutFrames = 0;
  let cutLength = 0;
  for (const record of capture.records) {
    const time = record.seconds + record.nanoseconds / 1e9 - start;
    const cut = record.data.length < record.originalLength ? 1 : 0;
    if (cut) cutLength = Math.max(cutLength, record.data.length);
    try {
      const packet = decodePacket(record.linkType, record.data, record.originalLength);
      const ends = packet.tcp ?? packet.udp;
      if (
        ports.length > 0 &&
        !(ends && (ports.includes(ends.sourcePort) || ports.includes(ends.destinationPort)))
      ) {
        filteredOut++;
        continue;
      }
      cutFrames += cut;
      decoded.push({ number: record.number, time, packet, wireBytes: record.originalLength });
    } catch (error) {
      if (!(error instanceof PacketError)) throw error;
      if (ports.length > 0) {
        filteredOut++;
        continue;
      }
      cutFrames += cut;
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
      format: capture.format,
      byteOrder: capture.byteOrder,
      interfaces: capture.interfaces.map((i) => ({
        name: i.name,
        linkType: i.linkType,
        linkTypeName: linkTypeName(i.linkType),
        snapLength: i.snapLength,
        timestampUnit: i.timestampUnit,
      })),
      packets: capture.records.length,
      filteredOut,
      cutFrames,
      cutLength,
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
