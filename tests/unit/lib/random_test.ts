import assert from "node:assert/strict";
import { SeededRandom } from "../../../lib/random.ts";

Deno.test("SeededRandom: mulberry32 known answers for seed 1", () => {
  const random = new SeededRandom(1);
  // The published mulberry32 sequence for seed 1.
  assert.equal(random.next(), 0.6270739405881613);
  assert.equal(random.next(), 0.002735721180215478);
});

Deno.test("SeededRandom: the same seed repeats the sequence, another seed does not", () => {
  const sequence = (seed: number) => {
    const random = new SeededRandom(seed);
    return Array.from({ length: 100 }, () => random.next());
  };
  assert.deepEqual(sequence(42), sequence(42));
  assert.notDeepEqual(sequence(42), sequence(43));
  assert.deepEqual(sequence(2 ** 32 + 5), sequence(5), "only the low 32 bits of the seed count");
});

Deno.test("SeededRandom: next, between and integer stay in range and cover it", () => {
  const random = new SeededRandom(9);
  const faces = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const unit = random.next();
    assert.ok(unit >= 0 && unit < 1, `next() gave ${unit}`);
    const celsius = random.between(-5, 5);
    assert.ok(celsius >= -5 && celsius < 5, `between(-5, 5) gave ${celsius}`);
    const face = random.integer(1, 6);
    assert.ok(Number.isInteger(face) && face >= 1 && face <= 6, `integer(1, 6) gave ${face}`);
    faces.add(face);
  }
  assert.deepEqual([...faces].sort(), [1, 2, 3, 4, 5, 6]);
});

Deno.test("SeededRandom: chance honours 0, 1 and roughly a half", () => {
  const random = new SeededRandom(3);
  let heads = 0;
  for (let i = 0; i < 1000; i++) {
    assert.equal(random.chance(0), false);
    assert.equal(random.chance(1), true);
    if (random.chance(0.5)) heads++;
  }
  assert.ok(heads > 400 && heads < 600, `${heads} heads in 1000 fair tosses`);
});

Deno.test("SeededRandom: pick returns every element sometimes and refuses an empty list", () => {
  const random = new SeededRandom(5);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(random.pick(["a", "b", "c"]));
  assert.deepEqual([...seen].sort(), ["a", "b", "c"]);
  assert.throws(() => random.pick([]), RangeError);
});
