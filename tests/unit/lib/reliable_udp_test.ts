import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { concat } from "../../../lib/bytes.ts";
import { Impairment, type ImpairmentOptions } from "../../../tools/impairment/impairment.ts";
import { SeededRandom } from "../../../lib/random.ts";
import {
  ACK_SIZE,
  DATA_HEADER_SIZE,
  type DataSegment,
  decodeSegment,
  encodeSegment,
  SelectiveRepeatReceiver,
  SelectiveRepeatSender,
  sendOverUdp,
} from "../../../lib/reliable_udp.ts";
import { RttEstimator } from "../../../lib/rto.ts";

function streamBytes(length: number, seed = 1): Uint8Array {
  return new SeededRandom(seed).bytes(length);
}

const ack = (seq: number, cumulative: number, { stream = 1, attempt = 1 } = {}) =>
  encodeSegment({ kind: "ack", stream, seq, cumulative, attempt });

const data = (seq: number, fin = false, stream = 1): DataSegment => ({
  kind: "data",
  stream,
  seq,
  fin,
  attempt: 1,
  payload: new Uint8Array([seq]),
});

/** The sequence numbers of DATA datagrams. */
const seqs = (datagrams: Uint8Array[]) => datagrams.map((d) => decodeSegment(d)!.seq);

/**
 * Runs a sender and a receiver against each other on a simulated clock, through a
 * seeded impaired network in both directions (5 ms ± 2 ms each way).
 */
function simulate(
  stream: Uint8Array,
  impairments: ImpairmentOptions,
  { seed = 1, window = 16, segmentSize = 100 } = {},
) {
  const rtt = new RttEstimator({ initialRto: 100, minRto: 20 });
  const sender = new SelectiveRepeatSender(stream, { stream: 5, window, segmentSize, rtt });
  const receiver = new SelectiveRepeatReceiver(5);
  const network = { ...impairments, delay: 5, jitter: 2 };
  const forward = new Impairment(network, new SeededRandom(seed));
  const backward = new Impairment(network, new SeededRandom(seed + 1000));
  const inFlight: { at: number; toReceiver: boolean; bytes: Uint8Array }[] = [];
  const delivered: Uint8Array[] = [];
  let now = 0;
  while (!sender.done) {
    const sent = sender.poll(now);
    for (const datagram of sent) {
      for (const copy of forward.apply(datagram)) {
        inFlight.push({ at: now + copy.delay, toReceiver: true, bytes: copy.data });
      }
    }
    now = Math.min(...inFlight.map((event) => event.at), sender.nextDeadline() ?? Infinity);
    assert.ok(now < 600_000, "the simulated transfer takes more than 10 minutes");
    inFlight.sort((a, b) => a.at - b.at);
    while (inFlight.length > 0 && inFlight[0].at <= now) {
      const { toReceiver, bytes } = inFlight.shift()!;
      if (!toReceiver) {
        sender.receive(bytes, now);
        continue;
      }
      const segment = decodeSegment(bytes);
      if (segment?.kind !== "data") continue; // corrupted on the way: dropped
      const reception = receiver.receive(segment);
      delivered.push(...reception.data);
      for (const copy of reception.ack ? backward.apply(reception.ack) : []) {
        inFlight.push({ at: now + copy.delay, toReceiver: false, bytes: copy.data });
      }
    }
  }
  return { delivered: concat(...delivered), sender, receiver, now, forward };
}

Deno.test("segments: encode and decode DATA and ACK, with the documented sizes", () => {
  const payload = new Uint8Array([1, 2, 3]);
  const segment = { kind: "data", stream: 513, seq: 70_000, fin: true, attempt: 2, payload };
  const bytes = encodeSegment(segment as DataSegment);
  assert.equal(bytes.length, DATA_HEADER_SIZE + 3);
  assert.deepEqual(decodeSegment(bytes), segment);
  assert.deepEqual([...bytes.subarray(4, 12)], [2, 2, 2, 1, 0, 1, 0x11, 0x70]);
  const acknowledgement = ack(9, 4, { stream: 65535, attempt: 7 });
  assert.equal(acknowledgement.length, ACK_SIZE);
  assert.deepEqual(decodeSegment(acknowledgement), {
    kind: "ack",
    stream: 65535,
    seq: 9,
    cumulative: 4,
    attempt: 7,
  });
});

Deno.test("segments: every single flipped bit is caught by the CRC-32", () => {
  const bytes = encodeSegment({ ...data(3, true), payload: new Uint8Array(40).fill(0xa5) });
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const damaged = bytes.slice();
    damaged[bit >> 3] ^= 1 << (bit & 7);
    assert.equal(decodeSegment(damaged), null, `bit ${bit}`);
  }
});

Deno.test("segments: short datagrams, unknown kinds and bad numbers are refused", () => {
  assert.equal(decodeSegment(new Uint8Array(11)), null);
  const withValidCrc = (change: (bytes: Uint8Array) => void) => {
    const bytes = encodeSegment(data(0));
    change(bytes);
    new DataView(bytes.buffer).setUint32(0, crc32(bytes.subarray(4)));
    return bytes;
  };
  assert.equal(decodeSegment(withValidCrc((bytes) => bytes[4] = 9)), null, "kind 9");
  assert.equal(decodeSegment(withValidCrc((bytes) => bytes[5] = 0)), null, "attempt 0");
  assert.equal(decodeSegment(withValidCrc((bytes) => bytes[4] = 3)), null, "a 13-byte ACK");
  assert.ok(decodeSegment(withValidCrc(() => {})), "unchanged");
  assert.throws(() => encodeSegment(data(0, false, 70_000)), RangeError);
  assert.throws(() => encodeSegment(data(-1)), RangeError);
  assert.throws(() => encodeSegment({ ...data(0), attempt: 0 }), RangeError);
  assert.throws(() => encodeSegment({ ...data(0), attempt: 256 }), RangeError);
  const far = { kind: "ack", stream: 1, seq: 0, cumulative: 2 ** 32, attempt: 1 } as const;
  assert.throws(() => encodeSegment(far), RangeError);
});

Deno.test("sender: stop-and-wait sends the next segment only after the acknowledgement", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(250), {
    stream: 1,
    window: 1,
    segmentSize: 100,
  });
  assert.deepEqual(seqs(sender.poll(0)), [0]);
  assert.deepEqual(sender.poll(5), [], "the window is full");
  sender.receive(ack(0, 1), 10);
  assert.deepEqual(seqs(sender.poll(10)), [1]);
  sender.receive(ack(1, 2), 20);
  const last = sender.poll(20);
  assert.equal((decodeSegment(last[0]) as DataSegment).fin, true, "the last segment has FIN");
  sender.receive(ack(2, 3), 30);
  assert.ok(sender.done);
  assert.equal(sender.stats.segments, 3);
});

Deno.test("sender: a window of N keeps N segments in flight", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(1000), {
    stream: 1,
    window: 4,
    segmentSize: 100,
  });
  assert.deepEqual(seqs(sender.poll(0)), [0, 1, 2, 3]);
  sender.receive(ack(2, 0), 1); // selective: 2 arrived, 0 and 1 not yet; the base stays at 0
  assert.deepEqual(seqs(sender.poll(1)), []);
  sender.receive(ack(0, 1), 2);
  assert.deepEqual(seqs(sender.poll(2)), [4], "the base moved to 1: segment 4 fits");
  sender.receive(ack(1, 3), 3);
  assert.deepEqual(seqs(sender.poll(3)), [5, 6]);
});

Deno.test("sender: timeouts resend only the expired segments and back off on the oldest", () => {
  const rtt = new RttEstimator({ initialRto: 100, minRto: 10 });
  const sender = new SelectiveRepeatSender(new Uint8Array(300), {
    stream: 1,
    segmentSize: 100,
    rtt,
  });
  sender.poll(0);
  sender.receive(ack(1, 0), 50); // a sample of 50 ms: rto = 50 + 4·25 = 150
  assert.equal(rtt.rto, 150);
  assert.deepEqual(seqs(sender.poll(99)), []);
  assert.deepEqual(seqs(sender.poll(100)), [0, 2], "the initial 100 ms timer of 0 and 2");
  assert.equal(rtt.rto, 300, "segment 0 was the oldest: back-off");
  assert.equal(sender.stats.timeouts, 2);
  assert.equal(sender.nextDeadline(), 400);
});

Deno.test("sender: an ACK gives a round-trip sample only for the latest transmission", () => {
  const rtt = new RttEstimator({ minRto: 1 });
  const sender = new SelectiveRepeatSender(new Uint8Array(200), {
    stream: 1,
    segmentSize: 100,
    rtt,
  });
  sender.poll(0);
  sender.poll(1000); // both timers expire: both are sent a second time
  sender.receive(ack(0, 1, { attempt: 1 }), 1010);
  assert.equal(rtt.samples, 0, "the answer to the first copy: 1010 ms would be wrong");
  sender.receive(ack(1, 2, { attempt: 2 }), 1010);
  assert.equal(rtt.samples, 1);
  assert.equal(rtt.srtt, 10, "measured from the second transmission");
  assert.ok(sender.done);
});

Deno.test("sender: a retransmission says which attempt it is", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(10), { stream: 1 });
  const attempts = [0, 1000, 3000].map((now) =>
    (decodeSegment(sender.poll(now)[0]) as DataSegment).attempt
  );
  assert.deepEqual(attempts, [1, 2, 3]);
});

Deno.test("sender: three later acknowledgements, well after it left, resend a segment", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(600), {
    stream: 1,
    segmentSize: 100,
  });
  sender.poll(0);
  sender.receive(ack(1, 0), 5); // srtt 5: within 1¼ round trips, 0 may just be overtaken
  sender.receive(ack(2, 0), 10);
  sender.receive(ack(3, 0), 12);
  assert.deepEqual(seqs(sender.poll(12)), [], "two late acknowledgements are not enough");
  assert.equal(sender.nextDeadline(), 1000);
  sender.receive(ack(4, 0), 13);
  assert.equal(sender.nextDeadline(), -Infinity, "due now");
  assert.deepEqual(seqs(sender.poll(13)), [0]);
  assert.equal(sender.stats.fastRetransmissions, 1);
  sender.receive(ack(5, 0), 30); // 5 was sent before 0's retransmission: no new evidence
  assert.deepEqual(seqs(sender.poll(30)), []);
});

Deno.test("sender: a cumulative acknowledgement frees every segment below it", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(400), {
    stream: 1,
    segmentSize: 100,
  });
  sender.poll(0);
  sender.receive(ack(3, 4), 10); // the ACKs of 0, 1 and 2 were lost
  assert.ok(sender.done);
  assert.equal(sender.lastProgress, 10);
});

Deno.test("sender: corrupted, foreign and stray datagrams change nothing", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(10), { stream: 1 });
  sender.poll(0);
  const damaged = ack(0, 1);
  damaged[15] ^= 0x40;
  sender.receive(damaged, 1);
  sender.receive(ack(0, 1, { stream: 2 }), 1); // another stream's
  sender.receive(encodeSegment(data(0)), 1); // a DATA segment
  assert.equal(sender.done, false);
  assert.equal(sender.stats.corrupt, 1);
  assert.equal(sender.stats.datagramsReceived, 3);
});

Deno.test("sender: an empty stream is one empty FIN segment; bad options are refused", () => {
  const sender = new SelectiveRepeatSender(new Uint8Array(), { stream: 1 });
  const [only] = sender.poll(0);
  assert.deepEqual(decodeSegment(only), { ...data(0, true), payload: new Uint8Array() });
  assert.throws(() => new SelectiveRepeatSender(new Uint8Array(), { stream: 1, window: 0 }));
  assert.throws(() => new SelectiveRepeatSender(new Uint8Array(), { stream: -1 }));
  const huge = { stream: 1, segmentSize: 70_000 };
  assert.throws(() => new SelectiveRepeatSender(new Uint8Array(), huge), /does not fit/);
});

Deno.test("receiver: early segments wait, duplicates are acknowledged again", () => {
  const receiver = new SelectiveRepeatReceiver(1);
  const second = receiver.receive(data(1));
  assert.deepEqual(second.data, []);
  assert.deepEqual(decodeSegment(second.ack!), {
    kind: "ack",
    stream: 1,
    seq: 1,
    cumulative: 0,
    attempt: 1,
  });
  const first = receiver.receive(data(0));
  assert.deepEqual(first.data, [new Uint8Array([0]), new Uint8Array([1])]);
  assert.deepEqual(decodeSegment(first.ack!), {
    kind: "ack",
    stream: 1,
    seq: 0,
    cumulative: 2,
    attempt: 1,
  });
  const again = receiver.receive(data(0));
  assert.deepEqual(again.data, []);
  assert.ok(again.ack, "a duplicate's ACK may be the one that gets through");
  assert.equal(receiver.stats.duplicates, 1);
  assert.equal(receiver.stats.bytes, 2);
});

Deno.test("receiver: far-ahead, after-FIN and foreign segments are dropped unacknowledged", () => {
  const receiver = new SelectiveRepeatReceiver(1, 8);
  assert.equal(receiver.receive(data(8)).ack, null, "outside a window of 8");
  assert.ok(receiver.receive(data(7)).ack);
  receiver.receive(data(2, true));
  assert.equal(receiver.receive(data(3)).ack, null, "after the FIN segment");
  assert.equal(receiver.receive(data(0, false, 2)).ack, null, "another stream");
  assert.equal(receiver.stats.outsideWindow, 3);
  assert.equal(receiver.complete, false);
  receiver.receive(data(0));
  receiver.receive(data(1));
  assert.equal(receiver.complete, true);
});

Deno.test("simulation: a clean network needs no retransmission", () => {
  const stream = streamBytes(5000);
  const { delivered, sender } = simulate(stream, {});
  assert.deepEqual(delivered, stream);
  assert.equal(sender.stats.datagramsSent, sender.stats.segments);
  assert.ok(sender.rtt.srtt! >= 10 && sender.rtt.srtt! <= 14, `srtt ${sender.rtt.srtt}`);
});

Deno.test("simulation: 30% loss with duplicates, reordering and corruption, many seeds", () => {
  const stream = streamBytes(20_000, 3);
  const bad = { loss: 0.3, duplicate: 0.1, reorder: 0.2, corrupt: 0.05, reorderDelay: 15 };
  for (const window of [1, 8, 64]) {
    for (let seed = 1; seed <= 4; seed++) {
      const { delivered, receiver, sender, forward } = simulate(stream, bad, { seed, window });
      assert.deepEqual(delivered, stream, `window ${window}, seed ${seed}`);
      assert.ok(receiver.complete);
      assert.ok(forward.stats.corrupted > 0 && forward.stats.dropped > 0);
      assert.ok(sender.stats.datagramsSent > sender.stats.segments, "losses were repaired");
    }
  }
});

Deno.test("simulation: a bigger window finishes sooner over the same lossy network", () => {
  const stream = streamBytes(20_000, 4);
  const lossy = { loss: 0.05 };
  const stopAndWait = simulate(stream, lossy, { window: 1 }).now;
  const windowed = simulate(stream, lossy, { window: 32 }).now;
  assert.ok(windowed * 5 < stopAndWait, `window 32: ${windowed} ms, window 1: ${stopAndWait} ms`);
});

Deno.test("sendOverUdp: gives up when nothing is ever acknowledged", async () => {
  const sent: Uint8Array[] = [];
  let closed = false;
  let endIteration = () => {};
  const silentSocket = {
    send: (datagram: Uint8Array) => (sent.push(datagram), Promise.resolve(datagram.length)),
    close: () => (closed = true, endIteration()),
    [Symbol.asyncIterator]: () => ({ // no datagram ever comes; closing ends the iteration
      next: () =>
        new Promise<IteratorResult<[Uint8Array, Deno.Addr]>>((resolve) => {
          endIteration = () => resolve({ done: true, value: undefined });
        }),
    }),
  };
  const rtt = new RttEstimator({ initialRto: 50, minRto: 50 });
  const sender = new SelectiveRepeatSender(new Uint8Array(10), { stream: 1, rtt });
  const to = { transport: "udp" as const, hostname: "127.0.0.1", port: 9 };
  await assert.rejects(sendOverUdp(sender, silentSocket, to, 300), /no acknowledgement/);
  assert.ok(closed, "the socket is closed");
  assert.ok(sent.length >= 3, `only ${sent.length} transmissions in 300 ms with a 50 ms rto`);
});

Deno.test("sendOverUdp: delivers through real loopback sockets", async () => {
  const stream = streamBytes(50_000, 8);
  const server = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const receiver = new SelectiveRepeatReceiver(77);
  const delivered: Uint8Array[] = [];
  const serving = (async () => {
    for await (const [datagram, from] of server) {
      const segment = decodeSegment(datagram);
      if (segment?.kind !== "data") continue;
      const { ack, data } = receiver.receive(segment);
      delivered.push(...data);
      if (ack) await server.send(ack, from);
    }
  })();
  const client = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const sender = new SelectiveRepeatSender(stream, { stream: 77 });
  try {
    await sendOverUdp(sender, client, server.addr as Deno.NetAddr, 5000);
  } finally {
    server.close();
    await serving.catch(() => {});
  }
  assert.deepEqual(concat(...delivered), stream);
});
