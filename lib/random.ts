/**
 * Seeded pseudo-random numbers: the same seed gives the same sequence on every run and
 * every machine, so a simulated sensor's readings can be reproduced (unlike
 * `Math.random()`, which cannot be seeded).
 *
 * The generator is mulberry32: 32 bits of state, fast, and good enough for simulations
 * and tests. It is not for secrets; use `crypto.getRandomValues` for those.
 *
 * @example Two generators with one seed agree
 * ```ts
 * import assert from "node:assert/strict";
 * import { SeededRandom } from "./random.ts";
 *
 * const a = new SeededRandom(42);
 * const b = new SeededRandom(42);
 * assert.equal(a.next(), b.next());
 * ```
 *
 * @module
 */

/** A seeded generator of pseudo-random numbers (mulberry32). */
export class SeededRandom {
  #state: number;

  /**
   * Creates a generator; only the low 32 bits of `seed` matter.
   *
   * @param seed Any integer.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * const random = new SeededRandom(7);
   * assert.ok(0 <= random.next() && random.next() < 1);
   * ```
   */
  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /**
   * The next number, uniform in [0, 1).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * assert.equal(new SeededRandom(1).next(), 0.6270739405881613);
   * ```
   */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /**
   * A number uniform in [min, max).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * const celsius = new SeededRandom(1).between(15, 25);
   * assert.ok(15 <= celsius && celsius < 25);
   * assert.equal(new SeededRandom(1).between(15, 25), celsius); // same seed, same number
   * ```
   */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /**
   * A whole number from `min` to `max`, both included.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * const die = new SeededRandom(1).integer(1, 6);
   * assert.ok([1, 2, 3, 4, 5, 6].includes(die));
   * ```
   */
  integer(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  /**
   * True with the given probability (0 = never, 1 = always).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * const random = new SeededRandom(1);
   * assert.equal(random.chance(0), false);
   * assert.equal(random.chance(1), true);
   * ```
   */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /**
   * `length` bytes, each uniform in 0–255 (test data that a failing run can replay).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   *
   * assert.deepEqual(new SeededRandom(3).bytes(4), new SeededRandom(3).bytes(4));
   * ```
   */
  bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = Math.floor(this.next() * 256);
    return bytes;
  }

  /**
   * One element of `items`, each as likely as the others.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeededRandom } from "./random.ts";
   * const colour = new SeededRandom(1).pick(["red", "green", "blue"]);
   * assert.ok(["red", "green", "blue"].includes(colour));
   * ```
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from an empty list");
    return items[Math.floor(items.length * this.next())];
  }
}
