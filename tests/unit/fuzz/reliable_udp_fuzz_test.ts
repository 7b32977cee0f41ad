/**
 * Fuzz test of lib/reliable_udp.ts's segments: `decodeSegment` on random and damaged
 * datagrams (some with their checksum made right again, so that the fields behind it are
 * read) never throws, it returns a segment or `null`; every segment reads back unchanged;
 * time per byte (the CRC-32 and the payload's copy) stays flat.
 *
 * @module
 */
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import type { SeededRandom } from "../../../lib/random.ts";
import {
  type AckSegment,
  type DataSegment,
  decodeSegment,
  encodeSegment,
  type Segment,
} from "../../../lib/reliable_udp.ts";
import { fuzzTest, hostileBytes, randomBytes } from "../../harness/fuzz.ts";

function randomSegment(random: SeededRandom): Segment {
  const common = {
    stream: random.integer(0, 0xffff),
    seq: random.integer(0, 0xffffffff),
    attempt: random.integer(1, 255),
  };
  return random.chance(0.5)
    ? { kind: "ack", ...common, cumulative: random.integer(0, 0xffffffff) } satisfies AckSegment
    : {
      kind: "data",
      ...common,
      fin: random.chance(0.5),
      payload: randomBytes(random, 100),
    } satisfies DataSegment;
}

/** Writes the right CRC-32 over a damaged datagram, so that decoding looks past it. */
function resign(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 4) {
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, crc32(bytes.subarray(4)));
  }
  return bytes;
}

fuzzTest<Uint8Array>({
  name: "decodeSegment",
  throws: [], // it returns null for anything that is not a segment
  decode: decodeSegment,
  input(random) {
    const bytes = hostileBytes(random, () => encodeSegment(randomSegment(random)));
    return random.chance(0.5) ? resign(bytes) : bytes;
  },
  roundTrip(random) {
    const segment = randomSegment(random);
    assert.deepEqual(decodeSegment(encodeSegment(segment)), segment);
  },
  shapes: {
    "a large DATA segment": (n) =>
      encodeSegment({
        kind: "data",
        stream: 1,
        seq: 0,
        fin: true,
        attempt: 1,
        payload: new Uint8Array(n - 12),
      }),
    "a large datagram with a wrong checksum": (n) => new Uint8Array(n),
  },
});
