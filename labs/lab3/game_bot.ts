/**
 * The game client's bot (Task 3.7): a player that needs no keyboard, for tests and for
 * measuring a busy server. Its moves come from a seeded generator, so the same seed
 * replays the same game.
 *
 * @module
 */
import { SeededRandom } from "../../lib/random.ts";
import { Direction, neighbour, type Position } from "./game_state.ts";

/** A player that walks mostly straight on, turns now and then, and never into a wall. */
export class Bot {
  /** Every move it chose, in order. */
  readonly moves: Direction[] = [];
  readonly #random: SeededRandom;

  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
  }

  /** The next move from `position`. */
  next(position: Position): Direction {
    let direction = this.moves.at(-1) ?? Direction.Right;
    while (!neighbour(position, direction) || this.#random.chance(0.2)) {
      direction = this.#random.integer(0, 3);
    }
    this.moves.push(direction);
    return direction;
  }

  /** Its moves as letters (U, L, R, D), e.g. `RRRDL`. */
  get path(): string {
    return this.moves.map((direction) => Direction[direction][0]).join("");
  }
}
