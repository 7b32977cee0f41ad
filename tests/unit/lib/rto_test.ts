import assert from "node:assert/strict";
import { RttEstimator } from "../../../lib/rto.ts";

Deno.test("RttEstimator: the initial timeout is used until the first sample", () => {
  assert.equal(new RttEstimator().rto, 1000);
  assert.equal(new RttEstimator({ initialRto: 3000 }).rto, 3000);
  const fresh = new RttEstimator();
  assert.equal(fresh.srtt, undefined);
  assert.equal(fresh.samples, 0);
});

Deno.test("RttEstimator: follows RFC 6298's formulas step by step", () => {
  const rtt = new RttEstimator({ minRto: 1, granularity: 1 });
  rtt.sample(100); // first: SRTT = R, RTTVAR = R/2
  assert.equal(rtt.srtt, 100);
  assert.equal(rtt.rttvar, 50);
  assert.equal(rtt.rto, 300);
  rtt.sample(200); // RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5; SRTT = 7/8·100 + 1/8·200 = 112.5
  assert.equal(rtt.rttvar, 62.5);
  assert.equal(rtt.srtt, 112.5);
  assert.equal(rtt.rto, 112.5 + 4 * 62.5);
  assert.equal(rtt.samples, 2);
});

Deno.test("RttEstimator: steady round trips shrink the variation towards zero", () => {
  const rtt = new RttEstimator({ minRto: 1, granularity: 1 });
  for (let i = 0; i < 100; i++) rtt.sample(50);
  assert.equal(rtt.srtt, 50);
  assert.ok(rtt.rttvar < 0.01, `rttvar ${rtt.rttvar}`);
  assert.equal(rtt.rto, 51, "SRTT + max(G, 4·RTTVAR) with G = 1 ms");
});

Deno.test("RttEstimator: the timeout stays within the minimum and the maximum", () => {
  const rtt = new RttEstimator({ minRto: 200, maxRto: 5000 });
  rtt.sample(1);
  assert.equal(rtt.rto, 200);
  rtt.sample(100_000);
  assert.equal(rtt.rto, 5000);
});

Deno.test("RttEstimator: back-off doubles up to the maximum, a new sample ends it", () => {
  const rtt = new RttEstimator({ initialRto: 1000, maxRto: 6000 });
  rtt.backoff();
  assert.equal(rtt.rto, 2000);
  rtt.backoff();
  rtt.backoff();
  assert.equal(rtt.rto, 6000);
  rtt.sample(10);
  assert.equal(rtt.rto, 200);
});

Deno.test("RttEstimator: bad options and samples are refused", () => {
  assert.throws(() => new RttEstimator({ minRto: 0 }), RangeError);
  assert.throws(() => new RttEstimator({ initialRto: NaN }), RangeError);
  assert.throws(() => new RttEstimator({ minRto: 500, maxRto: 100 }), RangeError);
  assert.throws(() => new RttEstimator().sample(-1), RangeError);
  assert.throws(() => new RttEstimator().sample(Infinity), RangeError);
});
