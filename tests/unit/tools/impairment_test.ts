import assert from "node:assert/strict";
import {
  type ImpairedCopy,
  Impairment,
  type ImpairmentOptions,
} from "../../../tools/impairment/impairment.ts";
import { SeededRandom } from "../../../lib/random.ts";

const datagram = (i: number) => new Uint8Array([i & 0xff, i >> 8, 1, 2, 3, 4, 5, 6]);

function run(options: ImpairmentOptions, seed: number, count = 10_000) {
  const network = new Impairment(options, new SeededRandom(seed));
  const copies: ImpairedCopy[][] = [];
  for (let i = 0; i < count; i++) copies.push(network.apply(datagram(i)));
  return { network, copies };
}

Deno.test("Impairment: with no options every datagram passes once, unchanged, at once", () => {
  const { network, copies } = run({}, 1, 100);
  copies.forEach((result, i) => assert.deepEqual(result, [{ data: datagram(i), delay: 0 }]));
  assert.equal(network.stats.forwarded, 100);
  assert.equal(network.stats.forwardedBytes, 800);
});

Deno.test("Impairment: each rate is close to what was asked for", () => {
  const { network } = run({ loss: 0.3, duplicate: 0.1, reorder: 0.2, corrupt: 0.05 }, 7);
  const { datagrams, dropped, duplicated, reordered, corrupted, forwarded } = network.stats;
  const near = (value: number, expected: number, what: string) =>
    assert.ok(Math.abs(value - expected) < expected * 0.1, `${what}: ${value}, not ≈${expected}`);
  near(dropped, 0.3 * datagrams, "lost");
  near(duplicated, 0.1 * (datagrams - dropped), "duplicated");
  assert.equal(forwarded, datagrams - dropped + duplicated);
  near(reordered, 0.2 * forwarded, "reordered");
  near(corrupted, 0.05 * forwarded, "corrupted");
});

Deno.test("Impairment: the same seed gives the same decisions, another seed others", () => {
  const options = { loss: 0.3, duplicate: 0.1, reorder: 0.1, corrupt: 0.1, jitter: 5 };
  assert.deepEqual(run(options, 42, 500).copies, run(options, 42, 500).copies);
  assert.notDeepEqual(run(options, 42, 500).copies, run(options, 43, 500).copies);
});

Deno.test("Impairment: corruption flips exactly one bit of a copy, never the original", () => {
  const original = new Uint8Array(64).fill(0x55);
  const network = new Impairment({ corrupt: 1 }, new SeededRandom(3));
  for (let i = 0; i < 50; i++) {
    const [copy] = network.apply(original);
    let flipped = 0;
    copy.data.forEach((byte, j) => {
      let diff = byte ^ original[j];
      for (; diff; diff &= diff - 1) flipped++;
    });
    assert.equal(flipped, 1);
  }
  assert.ok(original.every((byte) => byte === 0x55));
});

Deno.test("Impairment: delays are the base delay plus jitter, plus the hold when reordered", () => {
  const { copies } = run({ delay: 10, jitter: 4, reorder: 0.5, reorderDelay: 100 }, 9, 1000);
  const delays = copies.flat().map((copy) => copy.delay);
  assert.ok(delays.every((d) => (d >= 10 && d < 14) || (d >= 110 && d < 114)), "out of range");
  assert.ok(delays.some((d) => d >= 110) && delays.some((d) => d < 14));
});

Deno.test("Impairment: bad options are refused; describe() sums up", () => {
  assert.throws(() => new Impairment({ loss: 1.5 }, new SeededRandom(1)), RangeError);
  assert.throws(() => new Impairment({ delay: -1 }, new SeededRandom(1)), RangeError);
  const { network } = run({ loss: 1 }, 1, 3);
  assert.equal(
    network.describe(),
    "3 datagrams (24 bytes) in, 3 lost, 0 duplicated, 0 reordered, 0 corrupted, 0 out (0 bytes)",
  );
});
