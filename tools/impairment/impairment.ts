/**
 * A bad network on purpose: decides, datagram by datagram, whether it is lost,
 * duplicated, corrupted, delayed or held back so that later ones overtake it — what
 * Linux's `netem` does, without root and on any system. The impairment proxy of the
 * reliable-UDP task applies it to the traffic it forwards.
 *
 * Every decision comes from a {@linkcode SeededRandom}: the same seed and the same
 * datagrams give the same impairments, so a failing test can be replayed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Impairment } from "./impairment.ts";
 * import { SeededRandom } from "../../lib/random.ts";
 *
 * const network = new Impairment({ loss: 0.3, duplicate: 0.1 }, new SeededRandom(1));
 * for (let i = 0; i < 1000; i++) network.apply(new Uint8Array(100));
 * const { dropped } = network.stats;
 * assert.ok(250 < dropped && dropped < 350, `${dropped} lost`); // about 30% of 1000
 * ```
 *
 * @module
 */
import type { SeededRandom } from "../../lib/random.ts";

/** How bad the network is: probabilities from 0 to 1, times in milliseconds. */
export interface ImpairmentOptions {
  /** Probability that a datagram is lost. Default 0. */
  loss?: number;
  /** Probability that a datagram that is not lost arrives twice. Default 0. */
  duplicate?: number;
  /** Probability that a copy is held back `reorderDelay` ms, so later ones pass it. Default 0. */
  reorder?: number;
  /** Probability that a copy has one bit flipped. Default 0. */
  corrupt?: number;
  /** Delay added to every copy. Default 0. */
  delay?: number;
  /** Extra delay, uniform from 0 to this, added to every copy. Default 0. */
  jitter?: number;
  /** How long a reordered copy is held back. Default 10. */
  reorderDelay?: number;
}

/** What an {@linkcode Impairment} has done so far. */
export interface ImpairmentStats {
  /** Datagrams given to {@linkcode Impairment.apply}. */
  datagrams: number;
  /** Their bytes. */
  bytes: number;
  /** Datagrams lost. */
  dropped: number;
  /** Datagrams sent twice. */
  duplicated: number;
  /** Copies held back. */
  reordered: number;
  /** Copies with a flipped bit. */
  corrupted: number;
  /** Copies let through (a duplicated datagram counts twice). */
  forwarded: number;
  /** Their bytes. */
  forwardedBytes: number;
}

/** One copy of a datagram to deliver, and after how many milliseconds. */
export interface ImpairedCopy {
  /** The bytes to deliver (a changed copy when corrupted). */
  data: Uint8Array;
  /** How long to wait before delivering it. */
  delay: number;
}

/**
 * Applies seeded loss, duplication, reordering, delay and corruption to datagrams.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Impairment } from "./impairment.ts";
 * import { SeededRandom } from "../../lib/random.ts";
 * const perfect = new Impairment({}, new SeededRandom(1));
 * assert.deepEqual(perfect.apply(new Uint8Array([1, 2])), [
 *   { data: new Uint8Array([1, 2]), delay: 0 },
 * ]);
 * ```
 */
export class Impairment {
  /** Counters, for reports. */
  readonly stats: ImpairmentStats = {
    datagrams: 0,
    bytes: 0,
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    corrupted: 0,
    forwarded: 0,
    forwardedBytes: 0,
  };
  readonly #options: Required<ImpairmentOptions>;
  readonly #random: SeededRandom;

  /**
   * Creates an impairment.
   *
   * @param options The probabilities and delays.
   * @param random Where every decision comes from.
   * @throws {RangeError} If a probability is outside 0..1 or a time is negative.
   */
  constructor(options: ImpairmentOptions, random: SeededRandom) {
    const resolved = {
      loss: 0,
      duplicate: 0,
      reorder: 0,
      corrupt: 0,
      delay: 0,
      jitter: 0,
      reorderDelay: 10,
      ...options,
    };
    for (const name of ["loss", "duplicate", "reorder", "corrupt"] as const) {
      if (!(resolved[name] >= 0 && resolved[name] <= 1)) {
        throw new RangeError(`${name} must be a probability from 0 to 1, got ${resolved[name]}`);
      }
    }
    for (const name of ["delay", "jitter", "reorderDelay"] as const) {
      if (!(resolved[name] >= 0 && Number.isFinite(resolved[name]))) {
        throw new RangeError(`${name} must be a non-negative number of ms, got ${resolved[name]}`);
      }
    }
    this.#options = resolved;
    this.#random = random;
  }

  /**
   * Decides the fate of one datagram: no copy (lost), one, or two (duplicated), each
   * with the delay after which to deliver it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Impairment } from "./impairment.ts";
   * import { SeededRandom } from "../../lib/random.ts";
   * const lossy = new Impairment({ loss: 1 }, new SeededRandom(1));
   * assert.equal(lossy.apply(new Uint8Array(10)).length, 0);
   * ```
   */
  apply(datagram: Uint8Array): ImpairedCopy[] {
    const { loss, duplicate, reorder, corrupt, delay, jitter, reorderDelay } = this.#options;
    this.stats.datagrams++;
    this.stats.bytes += datagram.length;
    if (this.#happens(loss)) {
      this.stats.dropped++;
      return [];
    }
    const copies = this.#happens(duplicate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const result: ImpairedCopy[] = [];
    for (let i = 0; i < copies; i++) {
      let data = datagram;
      if (datagram.length > 0 && this.#happens(corrupt)) {
        data = datagram.slice();
        const bit = Math.floor(this.#random.next() * data.length * 8);
        data[bit >> 3] ^= 1 << (bit & 7);
        this.stats.corrupted++;
      }
      let wait = delay + jitter * this.#random.next();
      if (this.#happens(reorder)) {
        wait += reorderDelay;
        this.stats.reordered++;
      }
      this.stats.forwarded++;
      this.stats.forwardedBytes += data.length;
      result.push({ data, delay: wait });
    }
    return result;
  }

  /**
   * The counters in one line, for a report.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Impairment } from "./impairment.ts";
   * import { SeededRandom } from "../../lib/random.ts";
   * const network = new Impairment({ loss: 1 }, new SeededRandom(1));
   * network.apply(new Uint8Array(10));
   * assert.equal(
   *   network.describe(),
   *   "1 datagrams (10 bytes) in, 1 lost, 0 duplicated, 0 reordered, 0 corrupted, 0 out (0 bytes)",
   * );
   * ```
   */
  describe(): string {
    const { datagrams, bytes, dropped, duplicated, reordered, corrupted } = this.stats;
    return `${datagrams} datagrams (${bytes} bytes) in, ${dropped} lost, ${duplicated} ` +
      `duplicated, ${reordered} reordered, ${corrupted} corrupted, ${this.stats.forwarded} out ` +
      `(${this.stats.forwardedBytes} bytes)`;
  }

  /** True with probability `p`; draws nothing when `p` is 0, so a clean run stays cheap. */
  #happens(p: number): boolean {
    return p > 0 && this.#random.next() < p;
  }
}
