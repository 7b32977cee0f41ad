/**
 * Conversations in a capture: decoded TCP and UDP packets grouped into flows (one TCP
 * connection, or the datagrams between two UDP endpoints), with the client and server
 * told apart, every TCP segment given its role in the connection, sequence numbers made
 * relative (as Wireshark shows them), and each direction's bytes put back in order.
 *
 * The roles of TCP segments, decided in capture order:
 *
 * | Role        | Segments                                                                |
 * | ----------- | ----------------------------------------------------------------------- |
 * | `handshake` | SYN, SYN+ACK, and the client's pure ACK that completes the handshake    |
 * | `data`      | every segment that carries payload (whatever its flags)                 |
 * | `ack`       | a pure ACK (no payload, no SYN/FIN/RST) that is not part of the above   |
 * | `teardown`  | FIN and RST without payload, and a pure ACK that acknowledges a FIN     |
 * | `other`     | anything else (a segment with no flag at all)                           |
 *
 * UDP datagrams all have the role `datagram`.
 *
 * @example Group the packets of a capture and list its connections
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkType, writePcap } from "./pcap.ts";
 * import { readCapture } from "./capture_file.ts";
 * import { decodePacket } from "./packet.ts";
 * import { groupFlows } from "./flows.ts";
 * import { unhexlify } from "../../lib/bytes.ts";
 *
 * // A capture of a datagram and its echo; a real one: readCapture(await Deno.readFile(path)).
 * const udp = (from: string, to: string) =>
 *   unhexlify(`4500001e 0000 0000 4011 0000 7f000001 7f000001 ${from} ${to} 000a 0000 6869`);
 * const file = writePcap({ linkType: LinkType.RAW }, [
 *   { seconds: 0, nanoseconds: 0, data: udp("d431", "ff98") },
 *   { seconds: 0, nanoseconds: 1000, data: udp("ff98", "d431") },
 * ]);
 *
 * const { records } = readCapture(file);
 * const packets = records.map((record) => ({
 *   number: record.number,
 *   time: record.seconds + record.nanoseconds / 1e9,
 *   packet: decodePacket(record.linkType, record.data, record.originalLength),
 * }));
 * const [flow, ...others] = groupFlows(packets);
 * assert.equal(others.length, 0);
 * assert.equal(flow.transport, "UDP");
 * assert.equal(`${flow.client.port} -> ${flow.server.port}`, "54321 -> 65432");
 * assert.equal(flow.segments.length, 2);
 * ```
 *
 * @module
 */
import { concat } from "../../lib/bytes.ts";
import type { DecodedPacket } from "./packet.ts";
import { TcpFlag } from "./packet.ts";

/** One decoded packet and where it was in the capture. */
export interface CapturedPacket {
  /** Its number in the capture, from 1. */
  number: number;
  /** When it was captured, in seconds since 1970 (with the fraction). */
  time: number;
  /** The decoded frame. */
  packet: DecodedPacket;
}

/** What a packet does in its flow (see the module's table). */
export type SegmentRole = "handshake" | "data" | "ack" | "teardown" | "other" | "datagram";

/** An IP address and port. */
export interface Endpoint {
  /** `127.0.0.1`, `::1`, … */
  address: string;
  /** The TCP or UDP port. */
  port: number;
}

/** A packet of a flow, with what the flow knows about it. */
export interface FlowSegment extends CapturedPacket {
  /** Whether the client sent it. */
  fromClient: boolean;
  /** Its role in the flow. */
  role: SegmentRole;
  /** TCP: sequence number relative to the sender's first (its SYN's is 0); else 0. */
  relativeSeq: number;
  /** TCP: acknowledgement number relative to the receiver's first, when ACK is set; else 0. */
  relativeAck: number;
}

/** One TCP connection, or the datagrams between two UDP endpoints. */
export interface Flow {
  /** Position among the flows, from 1, in the order their first packet was captured. */
  id: number;
  /** `TCP` or `UDP`. */
  transport: "TCP" | "UDP";
  /** The side that opened the connection (TCP SYN) or sent first (UDP), unless a server port said otherwise. */
  client: Endpoint;
  /** The other side. */
  server: Endpoint;
  /** Its packets in capture order. */
  segments: FlowSegment[];
}

/** Options of {@linkcode groupFlows}. */
export interface GroupOptions {
  /**
   * Ports that servers listen on: where a flow's SYN was not captured, the endpoint with
   * one of these ports is the server. Without a match, the side that sent first is the
   * client.
   */
  serverPorts?: readonly number[];
}

interface Direction {
  /** Sequence number of the sender's first byte, SYN included (relative 0). */
  base?: number;
  /** The sequence number just after its FIN (what acknowledges the FIN). */
  finEnd?: number;
}

interface FlowState {
  flow: Flow;
  directions: { client: Direction; server: Direction };
  handshakeDone: boolean;
}

const SYN_FIN_RST = TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST;

function endpoints(packet: DecodedPacket): [Endpoint, Endpoint] | null {
  const ports = packet.tcp ?? packet.udp;
  if (!packet.ip || !ports) return null;
  return [
    { address: packet.ip.source, port: ports.sourcePort },
    { address: packet.ip.destination, port: ports.destinationPort },
  ];
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.address}|${endpoint.port}`;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port;
}

/** Which of the first packet's two endpoints is the client. */
function chooseClient(
  packet: DecodedPacket,
  source: Endpoint,
  destination: Endpoint,
  serverPorts: readonly number[],
): [Endpoint, Endpoint] {
  const tcp = packet.tcp;
  if (tcp && (tcp.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) {
    return [source, destination];
  }
  if (tcp && (tcp.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK)) {
    return [destination, source];
  }
  const sourceServes = serverPorts.includes(source.port);
  const destinationServes = serverPorts.includes(destination.port);
  if (sourceServes && !destinationServes) return [destination, source];
  return [source, destination];
}

/**
 * Groups the TCP and UDP packets among `packets` into flows, in the order each flow's
 * first packet was captured; other packets (ARP, ICMP, IP fragments without a port) are
 * left out. A SYN that reuses the addresses and ports of an earlier connection with
 * another initial sequence number starts a new flow.
 *
 * @example Two datagrams and their echo make one UDP flow
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupFlows } from "./flows.ts";
 * import { decodePacket } from "./packet.ts";
 * import { LinkType } from "./pcap.ts";
 * import { unhexlify } from "../../lib/bytes.ts";
 *
 * const datagram = (from: string, to: string) =>
 *   decodePacket(LinkType.RAW, unhexlify(`4500001e 0000 0000 4011 0000 7f000001 7f000001 ${from} ${to} 000a 0000 6869`));
 * const flows = groupFlows([
 *   { number: 1, time: 0, packet: datagram("d431", "ff98") },
 *   { number: 2, time: 0.001, packet: datagram("ff98", "d431") },
 * ]);
 * assert.equal(flows.length, 1); // both directions are one flow
 * assert.equal(flows[0].client.port, 54321);
 * assert.equal(flows[0].server.port, 65432);
 * ```
 */
export function groupFlows(packets: readonly CapturedPacket[], options: GroupOptions = {}): Flow[] {
  const serverPorts = options.serverPorts ?? [];
  const open = new Map<string, FlowState>();
  const flows: Flow[] = [];
  for (const captured of packets) {
    const { packet } = captured;
    const ends = endpoints(packet);
    if (ends === null) continue;
    const [source, destination] = ends;
    const transport = packet.tcp ? "TCP" : "UDP";
    const key = [transport, ...[endpointKey(source), endpointKey(destination)].sort()].join(" ");
    let state = open.get(key);
    if (
      state && packet.tcp && startsNewConnection(state, source, packet.tcp.flags, packet.tcp.seq)
    ) {
      state = undefined;
    }
    if (state === undefined) {
      const [client, server] = chooseClient(packet, source, destination, serverPorts);
      const flow: Flow = { id: flows.length + 1, transport, client, server, segments: [] };
      state = { flow, directions: { client: {}, server: {} }, handshakeDone: false };
      flows.push(flow);
      open.set(key, state);
    }
    const fromClient = sameEndpoint(source, state.flow.client);
    state.flow.segments.push(
      packet.tcp ? tcpSegment(state, captured, fromClient) : {
        ...captured,
        fromClient,
        role: "datagram",
        relativeSeq: 0,
        relativeAck: 0,
      },
    );
  }
  return flows;
}

/** A client SYN with a new initial sequence number on a flow that already has one. */
function startsNewConnection(state: FlowState, source: Endpoint, flags: number, seq: number) {
  if ((flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
  const base = state.directions.client.base;
  return !sameEndpoint(source, state.flow.client) || (base !== undefined && base !== seq);
}

function tcpSegment(state: FlowState, captured: CapturedPacket, fromClient: boolean): FlowSegment {
  const tcp = captured.packet.tcp!;
  const own = fromClient ? state.directions.client : state.directions.server;
  const peer = fromClient ? state.directions.server : state.directions.client;
  own.base ??= (tcp.flags & TcpFlag.SYN) ? tcp.seq : (tcp.seq - 1) >>> 0;
  const payload = captured.packet.payloadLength;
  const hasAck = (tcp.flags & TcpFlag.ACK) !== 0;
  if (tcp.flags & TcpFlag.FIN) own.finEnd = (tcp.seq + payload + 1) >>> 0;

  let role: SegmentRole;
  if (payload > 0) role = "data";
  else if (tcp.flags & TcpFlag.SYN) role = "handshake";
  else if (tcp.flags & (TcpFlag.FIN | TcpFlag.RST)) role = "teardown";
  else if (!hasAck) role = "other";
  else if (peer.finEnd !== undefined && tcp.ack === peer.finEnd) role = "teardown";
  else if (!state.handshakeDone && fromClient && peer.base !== undefined) {
    role = tcp.ack === ((peer.base + 1) >>> 0) ? "handshake" : "ack";
  } else role = "ack";
  if (payload > 0 || role === "handshake" && (tcp.flags & SYN_FIN_RST) === 0) {
    state.handshakeDone = true;
  }
  return {
    ...captured,
    fromClient,
    role,
    relativeSeq: (tcp.seq - own.base) >>> 0,
    relativeAck: hasAck && peer.base !== undefined ? (tcp.ack - peer.base) >>> 0 : 0,
  };
}

/** A run of consecutive bytes of a {@linkcode Stream} that the capture holds. */
export interface StreamPiece {
  /** Where it starts in the stream. */
  start: number;
  /** The bytes. */
  bytes: Uint8Array;
}

/** What one side of a flow sent, from {@linkcode streamBytes}. */
export interface Stream {
  /**
   * How many bytes it sent: for TCP, up to the highest sequence number seen, as the IP and
   * TCP headers give it (whether or not the capture kept the payload); for UDP, the
   * datagrams' lengths added up.
   */
  length: number;
  /**
   * The bytes the capture holds, in stream order, as runs that neither overlap nor touch.
   * A snap length that cuts every segment leaves one run per segment.
   */
  pieces: StreamPiece[];
  /** UDP: each datagram's size, in order; TCP: each data segment's new bytes. */
  chunks: number[];
  /** Bytes within `length` that no captured segment carried (TCP: segments not captured). */
  missing: number;
  /** True when the capture holds every byte of the stream. */
  complete: boolean;
}

/**
 * What one side of a flow sent: for TCP the payload in sequence order, with
 * retransmitted bytes kept once and segments captured out of order put back in place;
 * for UDP the datagrams' payloads one after another. Lengths come from the headers, so a
 * capture with a short snap length (`tcpdump -s 96`) still gives the right `length` and
 * `chunks`; {@linkcode streamSlice} says which bytes it kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupFlows, streamBytes, streamSlice } from "./flows.ts";
 * import { decodePacket } from "./packet.ts";
 * import { LinkType } from "./pcap.ts";
 * import { unhexlify, utf8Decode } from "../../lib/bytes.ts";
 *
 * const datagram = (from: string, to: string, text: string) =>
 *   decodePacket(
 *     LinkType.RAW,
 *     unhexlify(`4500001e 0000 0000 4011 0000 7f000001 7f000001 ${from} ${to} 000a 0000 ${text}`),
 *   );
 * const [flow] = groupFlows([
 *   { number: 1, time: 0, packet: datagram("d431", "ff98", "6869") }, // "hi"
 *   { number: 2, time: 0.001, packet: datagram("ff98", "d431", "4849") }, // "HI"
 * ]);
 * const sent = streamBytes(flow, true);
 * assert.equal(utf8Decode(streamSlice(sent, 0, sent.length)!), "hi"); // what the client sent
 * const answer = streamBytes(flow, false);
 * assert.equal(utf8Decode(streamSlice(answer, 0, answer.length)!), "HI");
 * ```
 */
export function streamBytes(flow: Flow, fromClient: boolean): Stream {
  const sent = flow.segments.filter((segment) =>
    segment.fromClient === fromClient && segment.packet.payloadLength > 0
  );
  const held: StreamPiece[] = [];
  const chunks: number[] = [];
  let length = 0;
  let covered = 0; // bytes some captured segment carried, captured or cut
  if (flow.transport === "UDP") {
    for (const { packet } of sent) {
      held.push({ start: length, bytes: packet.payload });
      chunks.push(packet.payloadLength);
      length += packet.payloadLength;
    }
    covered = length;
  } else {
    // Offsets relative to the first data byte (relative sequence number 1 after a SYN).
    const pieces = sent.map((segment) => ({
      start: segment.relativeSeq - 1,
      bytes: segment.packet.payload,
      length: segment.packet.payloadLength,
    })).filter((piece) => piece.start >= 0).sort((a, b) => a.start - b.start);
    for (const piece of pieces) {
      const end = piece.start + piece.length;
      if (end > length) { // some of it is new: not a retransmission of what we have
        covered += end - Math.max(piece.start, length);
        chunks.push(end - Math.max(piece.start, length));
        length = end;
      }
      held.push({ start: piece.start, bytes: piece.bytes });
    }
  }
  const pieces = mergePieces(held);
  const captured = pieces.reduce((sum, piece) => sum + piece.bytes.length, 0);
  return { length, pieces, chunks, missing: length - covered, complete: captured === length };
}

/** Joins runs sorted by start that overlap or touch; keeps the first copy of each byte. */
function mergePieces(sorted: StreamPiece[]): StreamPiece[] {
  const merged: { start: number; end: number; parts: Uint8Array[] }[] = [];
  for (const { start, bytes } of sorted) {
    const last = merged.at(-1);
    const end = start + bytes.length;
    if (last && start <= last.end) {
      if (end > last.end) last.parts.push(bytes.subarray(last.end - start));
      last.end = Math.max(last.end, end);
    } else if (bytes.length > 0) merged.push({ start, end, parts: [bytes] });
  }
  return merged.map(({ start, parts }) => ({ start, bytes: concat(...parts) }));
}

/**
 * Bytes `start` to `end` (excluded) of `stream`, or null unless the capture holds them all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Stream, streamSlice } from "./flows.ts";
 *
 * // 10 bytes sent, of which the capture kept bytes 0-2 and 6-7.
 * const stream: Stream = {
 *   length: 10,
 *   pieces: [{ start: 0, bytes: new Uint8Array([1, 2, 3]) }, { start: 6, bytes: new Uint8Array([7, 8]) }],
 *   chunks: [6, 4],
 *   missing: 0,
 *   complete: false,
 * };
 * assert.deepEqual(streamSlice(stream, 1, 3), new Uint8Array([2, 3]));
 * assert.equal(streamSlice(stream, 2, 4), null);
 * ```
 */
export function streamSlice(stream: Stream, start: number, end: number): Uint8Array | null {
  const piece = stream.pieces.find((p) => p.start <= start && start < p.start + p.bytes.length);
  if (!piece || end > piece.start + piece.bytes.length || end > stream.length) return null;
  return piece.bytes.subarray(start - piece.start, end - piece.start);
}
