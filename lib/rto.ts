/**
 * Retransmission timeouts from measured round-trip times, as TCP computes them
 * (RFC 6298, "Computing TCP's Retransmission Timer").
 *
 * A sender that waits too little for an acknowledgement sends needless copies; one that
 * waits too long sits idle after a loss. The right wait depends on the path, so it is
 * learnt: every round-trip time sample `R` updates a smoothed mean (`srtt`) and a mean
 * deviation (`rttvar`), and the timeout is `srtt + 4·rttvar`:
 *
 * - first sample: `srtt = R`, `rttvar = R / 2`;
 * - then: `rttvar = ¾·rttvar + ¼·|srtt − R|`, `srtt = ⅞·srtt + ⅛·R`;
 * - `rto = srtt + max(G, 4·rttvar)`, kept between a minimum and a maximum;
 * - before any sample, `rto` is the initial value (RFC 6298: 1 second);
 * - each time the timer expires, `rto` doubles ("exponential back-off") until a new
 *   sample arrives.
 *
 * Karn's algorithm is the caller's part: take no sample from a segment that was
 * retransmitted, since its acknowledgement may answer either copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RttEstimator } from "./rto.ts";
 *
 * const rtt = new RttEstimator({ minRto: 200 });
 * rtt.sample(40); // srtt 40, rttvar 20: rto = 40 + 80 = 120, raised to the 200 ms minimum
 * assert.equal(rtt.rto, 200);
 * rtt.backoff(); // a timeout doubles it
 * assert.equal(rtt.rto, 400);
 * ```
 *
 * @module
 */

/** Options of an {@linkcode RttEstimator}; all times in milliseconds. */
export interface RttEstimatorOptions {
  /** The timeout before any sample. Default 1000 (RFC 6298). */
  initialRto?: number;
  /** The smallest timeout. Default 200 (Linux's; RFC 6298 asks for 1000 on the Internet). */
  minRto?: number;
  /** The largest timeout, back-off included. Default 60,000. */
  maxRto?: number;
  /** The clock granularity `G`. Default 1. */
  granularity?: number;
}

const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;

/**
 * Smoothed round-trip time, its variation and the retransmission timeout (RFC 6298).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RttEstimator } from "./rto.ts";
 * const rtt = new RttEstimator({ initialRto: 1000, minRto: 1 });
 * assert.equal(rtt.rto, 1000);
 * rtt.sample(10);
 * assert.equal(rtt.srtt, 10);
 * assert.equal(rtt.rttvar, 5);
 * assert.equal(rtt.rto, 30); // srtt + 4 × rttvar
 * ```
 */
export class RttEstimator {
  readonly #minRto: number;
  readonly #maxRto: number;
  readonly #granularity: number;
  #srtt: number | undefined;
  #rttvar = 0;
  #rto: number;
  #samples = 0;

  /**
   * Creates an estimator with no samples yet.
   *
   * @param options Initial, minimum and maximum timeouts and the clock granularity.
   * @throws {RangeError} If a time is not positive or the minimum exceeds the maximum.
   */
  constructor(options: RttEstimatorOptions = {}) {
    const { initialRto = 1000, minRto = 200, maxRto = 60_000, granularity = 1 } = options;
    for (const [name, value] of Object.entries({ initialRto, minRto, maxRto, granularity })) {
      if (!(value > 0 && Number.isFinite(value))) {
        throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
      }
    }
    if (minRto > maxRto) throw new RangeError(`minRto ${minRto} exceeds maxRto ${maxRto}`);
    this.#minRto = minRto;
    this.#maxRto = maxRto;
    this.#granularity = granularity;
    this.#rto = this.#clamp(initialRto);
  }

  /**
   * The current retransmission timeout in milliseconds.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * assert.equal(new RttEstimator().rto, 1000);
   * ```
   */
  get rto(): number {
    return this.#rto;
  }

  /**
   * The smoothed round-trip time, or `undefined` before the first sample.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * const rtt = new RttEstimator();
   * rtt.sample(8);
   * assert.equal(rtt.srtt, 8);
   * ```
   */
  get srtt(): number | undefined {
    return this.#srtt;
  }

  /**
   * The round-trip time variation (mean deviation).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * const rtt = new RttEstimator();
   * rtt.sample(8);
   * assert.equal(rtt.rttvar, 4);
   * ```
   */
  get rttvar(): number {
    return this.#rttvar;
  }

  /**
   * How many samples have been taken.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * assert.equal(new RttEstimator().samples, 0);
   * ```
   */
  get samples(): number {
    return this.#samples;
  }

  /**
   * Takes one round-trip time measurement and recomputes the timeout; this also ends
   * any back-off.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * const rtt = new RttEstimator({ minRto: 1 });
   * rtt.sample(100);
   * rtt.sample(100);
   * assert.equal(rtt.srtt, 100);
   * assert.equal(rtt.rttvar, 37.5); // the variation shrinks by a quarter per steady sample
   * ```
   *
   * @throws {RangeError} If `rtt` is negative or not finite.
   */
  sample(rtt: number): void {
    if (!(rtt >= 0 && Number.isFinite(rtt))) {
      throw new RangeError(`a round-trip time must be a non-negative number, got ${rtt}`);
    }
    // #region sample
    if (this.#srtt === undefined) {
      this.#srtt = rtt;
      this.#rttvar = rtt / 2;
    } else {
      // RTTVAR first: it uses the SRTT from before this sample.
      this.#rttvar = (1 - BETA) * this.#rttvar + BETA * Math.abs(this.#srtt - rtt);
      this.#srtt = (1 - ALPHA) * this.#srtt + ALPHA * rtt;
    }
    this.#samples++;
    this.#rto = this.#clamp(this.#srtt + Math.max(this.#granularity, K * this.#rttvar));
    // #endregion sample
  }

  /**
   * Doubles the timeout after it expired (up to the maximum).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RttEstimator } from "./rto.ts";
   * const rtt = new RttEstimator({ initialRto: 500 });
   * rtt.backoff();
   * assert.equal(rtt.rto, 1000);
   * ```
   */
  backoff(): void {
    this.#rto = this.#clamp(this.#rto * 2);
  }

  #clamp(rto: number): number {
    return Math.min(this.#maxRto, Math.max(this.#minRto, rto));
  }
}
