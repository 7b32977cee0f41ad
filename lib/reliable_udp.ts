/**
 * Reliable, in-order delivery over UDP by selective repeat: the Lab 1 optional task.
 *
 * UDP may lose, duplicate, reorder or corrupt datagrams. This module gets a byte stream
 * across anyway, exactly once and in order, with the mechanisms TCP uses:
 *
 * - **sequence numbers**: the stream is cut into numbered segments, so the receiver puts
 *   them back in order and recognises duplicates;
 * - **checksums**: a CRC-32 over each segment, so a corrupted one is dropped (and later
 *   retransmitted) instead of delivered;
 * - **acknowledgements**: the receiver acknowledges every segment it gets, naming that
 *   segment (selective) and the first one it still misses (cumulative);
 * - **retransmission timeouts** from measured round-trip times (`lib/rto.ts`, RFC 6298),
 *   and a fast retransmission when three later segments are acknowledged first; each
 *   ACK echoes which transmission of its segment it answers, so that a retransmitted
 *   segment gives a round-trip sample too (as TCP's timestamps do, RFC 7323);
 * - a **sliding window**: up to `window` segments travel unacknowledged. With a window
 *   of 1 this is stop-and-wait: send one segment, wait for its acknowledgement, repeat.
 *
 * The classes do no I/O: {@linkcode SelectiveRepeatSender} says which datagrams to send
 * and when, {@linkcode SelectiveRepeatReceiver} which acknowledgement to answer and
 * which bytes are now in order; {@linkcode sendOverUdp} runs a sender over a socket.
 *
 * Segment layout, big-endian (DATA: 12-byte header and payload; ACK: 16 bytes):
 *
 * | Offset | Size | Field                                                             |
 * | ------ | ---- | ----------------------------------------------------------------- |
 * | 0      | 4    | CRC-32 (zlib's) of every byte after it                            |
 * | 4      | 1    | kind: 1 = DATA, 2 = FIN (the stream's last DATA segment), 3 = ACK |
 * | 5      | 1    | attempt: which transmission (1–255); an ACK echoes its DATA's     |
 * | 6      | 2    | stream id, chosen at random by the sender for each transfer        |
 * | 8      | 4    | sequence number: of this segment (DATA), of the one acked (ACK)   |
 * | 12     | 4    | ACK only: cumulative, every segment below this number has arrived |
 *
 * @example Send a stream through a perfect in-memory channel
 * ```ts
 * import assert from "node:assert/strict";
 * import { concat } from "./bytes.ts";
 * import {
 *   decodeSegment,
 *   SelectiveRepeatReceiver,
 *   SelectiveRepeatSender,
 * } from "./reliable_udp.ts";
 *
 * const data = new TextEncoder().encode("hello, reliable world");
 * const sender = new SelectiveRepeatSender(data, { stream: 7, segmentSize: 8 });
 * const receiver = new SelectiveRepeatReceiver(7);
 * const delivered: Uint8Array[] = [];
 * for (let now = 0; !sender.done; now++) {
 *   for (const datagram of sender.poll(now)) {
 *     const segment = decodeSegment(datagram);
 *     if (segment?.kind !== "data") continue;
 *     const { ack, data } = receiver.receive(segment);
 *     delivered.push(...data);
 *     if (ack) sender.receive(ack, now);
 *   }
 * }
 * assert.equal(new TextDecoder().decode(concat(...delivered)), "hello, reliable world");
 * assert.ok(receiver.complete);
 * ```
 *
 * @module
 */
import { crc32 } from "node:zlib";
import { formatAddress, NetworkError } from "./net.ts";
import { RttEstimator } from "./rto.ts";

/** A DATA segment: part of the stream. */
export interface DataSegment {
  /** Always `"data"`. */
  kind: "data";
  /** The transfer it belongs to. */
  stream: number;
  /** Its number: the stream's segments are numbered 0, 1, 2, … */
  seq: number;
  /** Whether it is the stream's last segment. */
  fin: boolean;
  /** Which transmission of the segment this is: 1 the first, 2 the first retry, … 255. */
  attempt: number;
  /** Its bytes of the stream. */
  payload: Uint8Array;
}

/** An ACK segment: the receiver's answer to one DATA segment. */
export interface AckSegment {
  /** Always `"ack"`. */
  kind: "ack";
  /** The transfer it belongs to. */
  stream: number;
  /** The DATA segment it acknowledges. */
  seq: number;
  /** Every segment numbered below this has arrived (the next one the receiver needs). */
  cumulative: number;
  /** The `attempt` of the DATA segment it answers. */
  attempt: number;
}

/** Either kind of segment. */
export type Segment = DataSegment | AckSegment;

/** The size of a DATA segment's header: a datagram carries this plus the payload. */
export const DATA_HEADER_SIZE = 12;

/** The size of an ACK segment. */
export const ACK_SIZE = 16;

const KIND_DATA = 1;
const KIND_FIN = 2;
const KIND_ACK = 3;
const MAX_SEQ = 0xffff_ffff;

/**
 * Encodes a segment as a datagram, CRC-32 first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeSegment } from "./reliable_udp.ts";
 * const ack = encodeSegment({ kind: "ack", stream: 1, seq: 4, cumulative: 2, attempt: 1 });
 * assert.equal(ack.length, 16);
 * ```
 *
 * @throws {RangeError} If the stream id, the attempt or a sequence number is out of range.
 */
export function encodeSegment(segment: Segment): Uint8Array {
  const { stream, seq, attempt } = segment;
  if (!(Number.isInteger(stream) && stream >= 0 && stream <= 0xffff)) {
    throw new RangeError(`a stream id is 0..65535, got ${stream}`);
  }
  if (!(Number.isInteger(attempt) && attempt >= 1 && attempt <= 0xff)) {
    throw new RangeError(`an attempt is 1..255, got ${attempt}`);
  }
  const numbers = segment.kind === "ack" ? [seq, segment.cumulative] : [seq];
  if (!numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= MAX_SEQ)) {
    throw new RangeError(`sequence numbers are 0..${MAX_SEQ}, got ${numbers.join(", ")}`);
  }
  const size = segment.kind === "ack" ? ACK_SIZE : DATA_HEADER_SIZE + segment.payload.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint8(4, segment.kind === "ack" ? KIND_ACK : segment.fin ? KIND_FIN : KIND_DATA);
  view.setUint8(5, attempt);
  view.setUint16(6, stream);
  view.setUint32(8, seq);
  if (segment.kind === "ack") view.setUint32(12, segment.cumulative);
  else bytes.set(segment.payload, DATA_HEADER_SIZE);
  view.setUint32(0, crc32(bytes.subarray(4)));
  return bytes;
}

/**
 * Decodes a datagram, or `null` if it is not an intact segment (too short, a checksum
 * that does not match, an unknown kind): the caller just drops it. It never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSegment, encodeSegment } from "./reliable_udp.ts";
 * const payload = new Uint8Array([42]);
 * const bytes = encodeSegment({ kind: "data", stream: 1, seq: 0, fin: true, attempt: 1, payload });
 * assert.equal(decodeSegment(bytes)?.kind, "data");
 * bytes[12] ^= 0x01; // one flipped bit
 * assert.equal(decodeSegment(bytes), null);
 * ```
 */
export function decodeSegment(bytes: Uint8Array): Segment | null {
  if (bytes.length < DATA_HEADER_SIZE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== crc32(bytes.subarray(4))) return null;
  const kind = view.getUint8(4);
  const attempt = view.getUint8(5);
  const stream = view.getUint16(6);
  const seq = view.getUint32(8);
  if (attempt === 0) return null;
  if (kind === KIND_ACK && bytes.length === ACK_SIZE) {
    return { kind: "ack", stream, seq, cumulative: view.getUint32(12), attempt };
  }
  if (kind !== KIND_DATA && kind !== KIND_FIN) return null;
  const payload = bytes.slice(DATA_HEADER_SIZE);
  return { kind: "data", stream, seq, fin: kind === KIND_FIN, attempt, payload };
}

/** Options of a {@linkcode SelectiveRepeatSender}. */
export interface SenderOptions {
  /** The transfer's id (0..65535), which the receiver uses to tell transfers apart. */
  stream: number;
  /** Stream bytes per segment. Default 1200 (a datagram that fits any Ethernet path). */
  segmentSize?: number;
  /** Segments in flight at most. Default 64; 1 is stop-and-wait. */
  window?: number;
  /** The timeout estimator. Default: `new RttEstimator()`. */
  rtt?: RttEstimator;
  /** Later segments acknowledged before a missing one is resent early. Default 3. */
  fastRetransmitAfter?: number;
}

/** What a sender has done so far. */
export interface SenderStats {
  /** Segments the stream was cut into. */
  segments: number;
  /** DATA datagrams sent, first transmissions and retransmissions. */
  datagramsSent: number;
  /** Their bytes, headers of this protocol included. */
  bytesSent: number;
  /** Retransmissions after a timeout. */
  timeouts: number;
  /** Retransmissions because later segments were acknowledged first. */
  fastRetransmissions: number;
  /** Datagrams received (acknowledgements, and anything else). */
  datagramsReceived: number;
  /** Their bytes. */
  bytesReceived: number;
  /** Received datagrams dropped because their checksum or layout was wrong. */
  corrupt: number;
}

/** One segment sent and not yet acknowledged. */
interface InFlight {
  seq: number;
  /** When it was last sent, and that transmission's place among all transmissions. */
  sentAt: number;
  sendOrder: number;
  transmissions: number;
  deadline: number;
  /** Acknowledgements of segments sent after it, while it waits. */
  laterAcks: number;
  resendNow: boolean;
}

/**
 * The sending half of selective repeat: cuts `data` into segments and decides what to
 * (re)send. Call {@linkcode SelectiveRepeatSender.poll} to get datagrams to send (and
 * again at {@linkcode SelectiveRepeatSender.nextDeadline}), and
 * {@linkcode SelectiveRepeatSender.receive} with every datagram that comes back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SelectiveRepeatSender } from "./reliable_udp.ts";
 * const sender = new SelectiveRepeatSender(new Uint8Array(5000), { stream: 1, window: 2 });
 * assert.equal(sender.poll(0).length, 2); // the window is full
 * assert.equal(sender.nextDeadline(), 1000); // the initial timeout
 * ```
 */
export class SelectiveRepeatSender {
  /** The timeout estimator, for reports. */
  readonly rtt: RttEstimator;
  /** Counters, for reports. */
  readonly stats: SenderStats;
  readonly #data: Uint8Array;
  readonly #stream: number;
  readonly #segmentSize: number;
  readonly #window: number;
  readonly #fastRetransmitAfter: number;
  /** Unacknowledged segments, by number; the first key is the window's base. */
  readonly #inFlight = new Map<number, InFlight>();
  #next = 0;
  #sendOrder = 0;
  #lastProgress: number | undefined;

  /**
   * Prepares to send `data` (an empty stream is one empty FIN segment).
   *
   * @param data The bytes to deliver.
   * @param options Stream id, segment size, window and timeout estimator.
   * @throws {RangeError} If an option is out of range or the stream needs more than
   * 2³² segments.
   */
  constructor(data: Uint8Array, options: SenderOptions) {
    const { stream, segmentSize = 1200, window = 64, fastRetransmitAfter = 3 } = options;
    for (const [name, value] of Object.entries({ segmentSize, window, fastRetransmitAfter })) {
      if (!(Number.isSafeInteger(value) && value >= 1)) {
        throw new RangeError(`${name} must be a whole number from 1, got ${value}`);
      }
    }
    if (segmentSize > 65_507 - DATA_HEADER_SIZE) {
      throw new RangeError(`segmentSize ${segmentSize} does not fit in a UDP datagram`);
    }
    const segments = Math.max(1, Math.ceil(data.length / segmentSize));
    if (segments > MAX_SEQ + 1) throw new RangeError(`${segments} segments are too many`);
    encodeSegment({ kind: "ack", stream, seq: 0, cumulative: 0, attempt: 1 }); // checks the id
    this.#data = data;
    this.#stream = stream;
    this.#segmentSize = segmentSize;
    this.#window = window;
    this.#fastRetransmitAfter = fastRetransmitAfter;
    this.rtt = options.rtt ?? new RttEstimator();
    this.stats = {
      segments,
      datagramsSent: 0,
      bytesSent: 0,
      timeouts: 0,
      fastRetransmissions: 0,
      datagramsReceived: 0,
      bytesReceived: 0,
      corrupt: 0,
    };
  }

  /**
   * Whether every segment has been acknowledged.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatSender } from "./reliable_udp.ts";
   * assert.equal(new SelectiveRepeatSender(new Uint8Array(1), { stream: 1 }).done, false);
   * ```
   */
  get done(): boolean {
    return this.#next === this.stats.segments && this.#inFlight.size === 0;
  }

  /**
   * When a segment was last acknowledged for the first time (or the first poll): a
   * sender gives up when this is too long ago.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatSender } from "./reliable_udp.ts";
   * const sender = new SelectiveRepeatSender(new Uint8Array(1), { stream: 1 });
   * sender.poll(50);
   * assert.equal(sender.lastProgress, 50);
   * ```
   */
  get lastProgress(): number | undefined {
    return this.#lastProgress;
  }

  /**
   * The earliest time a segment's timer expires, or `undefined` with nothing in flight.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatSender } from "./reliable_udp.ts";
   * const sender = new SelectiveRepeatSender(new Uint8Array(1), { stream: 1 });
   * sender.poll(0);
   * assert.equal(sender.nextDeadline(), 1000);
   * ```
   */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const segment of this.#inFlight.values()) {
      if (segment.resendNow) return -Infinity;
      if (earliest === undefined || segment.deadline < earliest) earliest = segment.deadline;
    }
    return earliest;
  }

  /**
   * The datagrams to send at time `now` (milliseconds, any monotonic clock): segments
   * whose timer expired or that were found missing, then new segments while the window
   * has room.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatSender } from "./reliable_udp.ts";
   * const sender = new SelectiveRepeatSender(new Uint8Array(10), { stream: 1 });
   * assert.equal(sender.poll(0).length, 1);
   * assert.equal(sender.poll(1).length, 0); // sent, waiting for its acknowledgement
   * assert.equal(sender.poll(1000).length, 1); // the timer expired, it is sent again
   * ```
   */
  // #region poll
  poll(now: number): Uint8Array[] {
    this.#lastProgress ??= now;
    const datagrams: Uint8Array[] = [];
    const base = this.#base;
    for (const segment of this.#inFlight.values()) {
      if (segment.resendNow) {
        this.stats.fastRetransmissions++;
      } else if (segment.deadline <= now) {
        this.stats.timeouts++;
        // Back off when the oldest segment's timer expires, as TCP's single timer does.
        if (segment.seq === base) this.rtt.backoff();
      } else continue;
      datagrams.push(this.#transmit(segment, now));
    }
    while (this.#next < this.stats.segments && this.#next < this.#base + this.#window) {
      const segment: InFlight = {
        seq: this.#next++,
        sentAt: now,
        sendOrder: 0,
        transmissions: 0,
        deadline: now,
        laterAcks: 0,
        resendNow: false,
      };
      this.#inFlight.set(segment.seq, segment);
      datagrams.push(this.#transmit(segment, now));
    }
    return datagrams;
  }
  // #endregion poll

  /**
   * Takes a datagram from the receiver at time `now`: an intact ACK of this stream
   * frees its segment (and all below the cumulative number), and gives a round-trip
   * sample if it answers the segment's latest transmission (with a plain ACK, Karn's
   * algorithm would take samples only from segments sent once).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeSegment, SelectiveRepeatSender } from "./reliable_udp.ts";
   * const sender = new SelectiveRepeatSender(new Uint8Array(10), { stream: 1 });
   * sender.poll(0);
   * const ack = { kind: "ack", stream: 1, seq: 0, cumulative: 1, attempt: 1 } as const;
   * sender.receive(encodeSegment(ack), 12);
   * assert.ok(sender.done);
   * assert.equal(sender.rtt.srtt, 12);
   * ```
   */
  // #region receive
  receive(datagram: Uint8Array, now: number): void {
    this.stats.datagramsReceived++;
    this.stats.bytesReceived += datagram.length;
    const ack = decodeSegment(datagram);
    if (ack === null) {
      this.stats.corrupt++;
      return;
    }
    if (ack.kind !== "ack" || ack.stream !== this.#stream) return;
    const segment = this.#inFlight.get(ack.seq);
    if (segment) {
      if (ack.attempt === segment.transmissions) this.rtt.sample(now - segment.sentAt);
      // A segment sent before this one and still unacknowledged may only be overtaken:
      // it counts as lost once three later ones are acknowledged more than 1¼ round
      // trips after it left.
      const overdue = now - 1.25 * (this.rtt.srtt ?? 0);
      for (const earlier of this.#inFlight.values()) {
        if (earlier.seq >= ack.seq) break;
        if (earlier.sendOrder < segment.sendOrder && earlier.sentAt < overdue) {
          earlier.resendNow ||= ++earlier.laterAcks >= this.#fastRetransmitAfter;
        }
      }
      this.#acknowledge(segment.seq, now);
    }
    for (const seq of this.#inFlight.keys()) {
      if (seq >= ack.cumulative) break;
      this.#acknowledge(seq, now);
    }
  }
  // #endregion receive

  /** The lowest unacknowledged segment number (the next new one when none is). */
  get #base(): number {
    for (const seq of this.#inFlight.keys()) return seq;
    return this.#next;
  }

  #acknowledge(seq: number, now: number): void {
    this.#inFlight.delete(seq);
    this.#lastProgress = now;
  }

  #transmit(segment: InFlight, now: number): Uint8Array {
    const start = segment.seq * this.#segmentSize;
    const datagram = encodeSegment({
      kind: "data",
      stream: this.#stream,
      seq: segment.seq,
      fin: segment.seq === this.stats.segments - 1,
      attempt: Math.min(segment.transmissions + 1, 0xff),
      payload: this.#data.subarray(start, start + this.#segmentSize),
    });
    Object.assign(segment, {
      sentAt: now,
      sendOrder: ++this.#sendOrder,
      transmissions: segment.transmissions + 1,
      deadline: now + this.rtt.rto,
      laterAcks: 0,
      resendNow: false,
    });
    this.stats.datagramsSent++;
    this.stats.bytesSent += datagram.length;
    return datagram;
  }
}

/** What a receiver has seen of one stream. */
export interface ReceiverStats {
  /** Segments accepted (each counted once). */
  segments: number;
  /** Copies of segments already accepted. */
  duplicates: number;
  /**
   * Segments too far ahead of the next one needed (or past the byte limit of early
   * segments), dropped unacknowledged.
   */
  outsideWindow: number;
  /** Stream bytes delivered in order. */
  bytes: number;
}

/** What the receiver answers to one DATA segment. */
export interface Reception {
  /** The ACK datagram to send back, or `null` for a segment dropped unacknowledged. */
  ack: Uint8Array | null;
  /** The stream bytes that are now in order, oldest first (often none). */
  data: Uint8Array[];
}

/**
 * The receiving half of selective repeat, for one stream: buffers segments that arrive
 * early, hands out bytes only in order, acknowledges every segment within its window
 * (duplicates too: their earlier ACK may have been lost).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SelectiveRepeatReceiver } from "./reliable_udp.ts";
 * const receiver = new SelectiveRepeatReceiver(1);
 * const part = (seq: number, fin = false) =>
 *   ({ kind: "data", stream: 1, seq, fin, attempt: 1, payload: new Uint8Array([seq]) }) as const;
 * assert.equal(receiver.receive(part(1, true)).data.length, 0); // segment 0 is missing
 * assert.equal(receiver.receive(part(0)).data.length, 2); // both, in order
 * assert.equal(receiver.complete, true);
 * ```
 */
export class SelectiveRepeatReceiver {
  /** Counters, for reports. */
  readonly stats: ReceiverStats = { segments: 0, duplicates: 0, outsideWindow: 0, bytes: 0 };
  readonly #stream: number;
  readonly #window: number;
  readonly #maxBufferedBytes: number;
  readonly #early = new Map<number, Uint8Array>();
  #earlyBytes = 0;
  #expected = 0;
  #finSeq: number | undefined;

  /**
   * Creates the receiver of stream `stream`.
   *
   * @param stream The stream id its segments carry.
   * @param window How far ahead of the next needed segment it buffers (default 1024).
   * @param maxBufferedBytes How many bytes of early segments it holds at most (default
   * 4 MiB): past it, an early segment is dropped unacknowledged and comes again later, so
   * that a sender of 64 KiB segments cannot make one stream cost 64 MiB.
   */
  constructor(stream: number, window = 1024, maxBufferedBytes = 4 * 1024 * 1024) {
    this.#stream = stream;
    this.#window = window;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /**
   * Whether the whole stream, up to its FIN segment, has been delivered.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatReceiver } from "./reliable_udp.ts";
   * assert.equal(new SelectiveRepeatReceiver(1).complete, false);
   * ```
   */
  get complete(): boolean {
    return this.#finSeq !== undefined && this.#expected > this.#finSeq;
  }

  /**
   * Takes one DATA segment of this stream.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectiveRepeatReceiver } from "./reliable_udp.ts";
   * const receiver = new SelectiveRepeatReceiver(3);
   * const { ack, data } = receiver.receive({
   *   kind: "data", stream: 3, seq: 0, fin: false, attempt: 1, payload: new Uint8Array([1, 2]),
   * });
   * assert.equal(ack?.length, 16); // an ACK datagram to send back
   * assert.deepEqual(data, [new Uint8Array([1, 2])]);
   * ```
   */
  // #region reception
  receive(segment: DataSegment): Reception {
    const { seq } = segment;
    const beyondEnd = this.#finSeq !== undefined && seq > this.#finSeq;
    const full = seq > this.#expected &&
      this.#earlyBytes + segment.payload.length > this.#maxBufferedBytes;
    if (
      seq >= this.#expected + this.#window || beyondEnd || segment.stream !== this.#stream || full
    ) {
      this.stats.outsideWindow++;
      return { ack: null, data: [] };
    }
    if (seq < this.#expected || this.#early.has(seq)) {
      this.stats.duplicates++;
    } else {
      this.stats.segments++;
      this.#early.set(seq, segment.payload);
      this.#earlyBytes += segment.payload.length;
      if (segment.fin) this.#finSeq = seq;
    }
    const data: Uint8Array[] = [];
    for (let next; (next = this.#early.get(this.#expected)) !== undefined; this.#expected++) {
      this.#early.delete(this.#expected);
      this.#earlyBytes -= next.length;
      this.stats.bytes += next.length;
      data.push(next);
    }
    const ack: AckSegment = {
      kind: "ack",
      stream: this.#stream,
      seq,
      cumulative: this.#expected,
      attempt: segment.attempt, // the sender learns which transmission got through
    };
    return { ack: encodeSegment(ack), data };
  }
  // #endregion reception
}

/** The socket {@linkcode sendOverUdp} needs: a `Deno.DatagramConn`, or a test double. */
export interface DatagramSocket extends AsyncIterable<[Uint8Array, Deno.Addr]> {
  /** Sends one datagram to `to`. */
  send(datagram: Uint8Array, to: Deno.Addr): Promise<number>;
  /** Closes the socket, which ends the iteration. */
  close(): void;
}

/**
 * Runs `sender` over `socket` until the receiver at `to` has acknowledged the whole
 * stream: sends what {@linkcode SelectiveRepeatSender.poll} says, then waits for an
 * acknowledgement or the next timer, and so on. Closes the socket when it ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   decodeSegment,
 *   SelectiveRepeatReceiver,
 *   SelectiveRepeatSender,
 *   sendOverUdp,
 * } from "./reliable_udp.ts";
 *
 * // The receiver's side, as reliable_udp_receiver.ts does it: acknowledge every segment.
 * const inbox = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * const receiver = new SelectiveRepeatReceiver(9);
 * const received: Uint8Array[] = [];
 * const receiving = (async () => {
 *   for await (const [datagram, from] of inbox) {
 *     const segment = decodeSegment(datagram);
 *     if (segment?.kind !== "data") continue;
 *     const { ack, data } = receiver.receive(segment);
 *     received.push(...data);
 *     if (ack) await inbox.send(ack, from);
 *     if (receiver.complete) break;
 *   }
 * })();
 *
 * const sender = new SelectiveRepeatSender(new TextEncoder().encode("hi"), { stream: 9 });
 * const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * await sendOverUdp(sender, socket, inbox.addr as Deno.NetAddr, 5000); // closes `socket`
 * await receiving;
 * inbox.close();
 * assert.equal(new TextDecoder().decode(received[0]), "hi");
 * ```
 *
 * @throws {NetworkError} When nothing new has been acknowledged for `giveUpMs`
 * milliseconds: the receiver is gone, or the network loses everything.
 */
export async function sendOverUdp(
  sender: SelectiveRepeatSender,
  socket: DatagramSocket,
  to: Deno.NetAddr,
  giveUpMs: number,
): Promise<void> {
  // #region loop
  let ackArrived = () => {}; // wakes the loop below while it waits
  const acks = (async () => {
    for await (const [datagram] of socket) {
      sender.receive(datagram, performance.now());
      ackArrived();
    }
  })();
  try {
    while (!sender.done) {
      const now = performance.now();
      if (now - sender.lastProgress! > giveUpMs) {
        throw new NetworkError(
          `no acknowledgement from ${formatAddress(to)} for ${giveUpMs} ms: is the ` +
            `receiver running there (and the proxy, if you use one)?`,
        );
      }
      const datagrams = sender.poll(now);
      for (const datagram of datagrams) await socket.send(datagram, to);
      if (datagrams.length > 0) continue; // acknowledgements may have come meanwhile
      const wakeAt = Math.min(sender.nextDeadline() ?? Infinity, sender.lastProgress! + giveUpMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, wakeAt - now));
        ackArrived = () => (clearTimeout(timer), resolve());
      });
      ackArrived = () => {};
    }
  } finally {
    socket.close();
    await acks.catch(() => {}); // closing the socket ends the acknowledgement loop
  }
  // #endregion loop
}
