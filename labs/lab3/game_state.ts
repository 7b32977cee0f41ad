/**
 * The rules of the networked game (Task 3.7), shared by the server and the clients.
 *
 * Up to ten players walk on a 32 × 16 grid, one step per tick at most, and paint every
 * cell they enter with their colour; a player's score is the number of cells it owns.
 * Walls and other players block a step. The server owns the authoritative `Game`; a
 * client keeps a copy of its `GameState` and replays the moves each tick reports with
 * {@linkcode applyMoves}, so both ends always hold the same grid.
 *
 * @module
 */

/** Columns of the grid (x from 0 to 31: 5 bits). */
export const WIDTH = 32;
/** Rows of the grid (y from 0 to 15: 4 bits). */
export const HEIGHT = 16;
/** Players at most (ids 0 to 9: 4 bits; the handout calls id 0 "player 1"). */
export const MAX_PLAYERS = 10;
/** Moves a player may have waiting; later ones are dropped until a tick takes one. */
export const MOVE_QUEUE_LIMIT = 3;

/** The four moves, numbered as the two bits that carry them on the wire. */
export enum Direction {
  Up = 0,
  Left = 1,
  Right = 2,
  Down = 3,
}

/** A cell of the grid. */
export interface Position {
  x: number;
  y: number;
}

/** Everything a client needs to draw the game: what travels on the wire each tick. */
export interface GameState {
  /** Tick number, counting from 0 and wrapping at 65536 (it travels as 16 bits). */
  tick: number;
  /** Position of each player id, or `null` where the id is free. */
  players: (Position | null)[];
  /** Owner of each cell, row by row: 0 = unpainted, id + 1 = painted by player id. */
  board: Uint8Array;
}

/** One step that a player really took during a tick. */
export interface Move {
  player: number;
  direction: Direction;
}

const STEPS: Record<Direction, Position> = {
  [Direction.Up]: { x: 0, y: -1 },
  [Direction.Left]: { x: -1, y: 0 },
  [Direction.Right]: { x: 1, y: 0 },
  [Direction.Down]: { x: 0, y: 1 },
};

/** A state with no players and an unpainted grid, at tick 0. */
export function emptyState(): GameState {
  return {
    tick: 0,
    players: Array(MAX_PLAYERS).fill(null),
    board: new Uint8Array(WIDTH * HEIGHT),
  };
}

/** An independent copy of `state`. */
export function cloneState(state: GameState): GameState {
  return {
    tick: state.tick,
    players: state.players.map((p) => p && { ...p }),
    board: state.board.slice(),
  };
}

/** The index of a cell in `GameState.board`. */
export function cellIndex({ x, y }: Position): number {
  return y * WIDTH + x;
}

/** The cell one step from `from` in `direction`, or `null` past a wall. */
export function neighbour(from: Position, direction: Direction): Position | null {
  const x = from.x + STEPS[direction].x;
  const y = from.y + STEPS[direction].y;
  return x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT ? { x, y } : null;
}

function occupied(state: GameState, cell: Position): boolean {
  return state.players.some((p) => p !== null && p.x === cell.x && p.y === cell.y);
}

/** Moves each player one step and paints the cell it enters (moves the server accepted). */
export function applyMoves(state: GameState, moves: readonly Move[]): void {
  for (const { player, direction } of moves) {
    const from = state.players[player];
    const to = from && neighbour(from, direction);
    if (!to) throw new RangeError(`player ${player} cannot move ${Direction[direction]}`);
    state.players[player] = to;
    state.board[cellIndex(to)] = player + 1;
  }
}

/** The step each player took from `before` to `after` (players present in both). */
export function movesBetween(before: GameState, after: GameState): Move[] {
  const moves: Move[] = [];
  after.players.forEach((to, player) => {
    const from = before.players[player];
    if (!from || !to || (from.x === to.x && from.y === to.y)) return;
    const direction = [0, 1, 2, 3].find((d) => {
      const cell = neighbour(from, d);
      return cell?.x === to.x && cell.y === to.y;
    });
    if (direction !== undefined) moves.push({ player, direction });
  });
  return moves;
}

/** Cells owned by each player id. */
export function scores(state: GameState): number[] {
  const counts = Array(MAX_PLAYERS).fill(0);
  for (const owner of state.board) if (owner > 0) counts[owner - 1]++;
  return counts;
}

/** What one tick of {@linkcode Game.tick} did. */
export interface TickResult {
  /** The steps taken, in the order they were applied. */
  moves: Move[];
  /** Whether a player joined or left since the previous tick (a delta cannot say that). */
  rosterChanged: boolean;
}

/** The server's game: players, their queued moves, and the ticks that apply them. */
export class Game {
  readonly state: GameState = emptyState();
  readonly #queues: Direction[][] = Array.from({ length: MAX_PLAYERS }, () => []);
  #rosterChanged = false;

  /** Adds a player on a free cell near its own start; returns its id, or `null` when full. */
  join(): number | null {
    const player = this.state.players.indexOf(null);
    if (player < 0) return null;
    // Starts are spread along the middle row; scan forward from there for a free cell.
    const start = cellIndex({ x: 1 + 3 * player, y: HEIGHT / 2 });
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      const index = (start + i) % (WIDTH * HEIGHT);
      const cell = { x: index % WIDTH, y: Math.floor(index / WIDTH) };
      if (!occupied(this.state, cell)) {
        this.state.players[player] = cell;
        this.state.board[index] = player + 1;
        break;
      }
    }
    this.#rosterChanged = true;
    return player;
  }

  /** Removes a player and wipes its paint. */
  leave(player: number): void {
    this.state.players[player] = null;
    this.#queues[player].length = 0;
    this.state.board.forEach((owner, i) => {
      if (owner === player + 1) this.state.board[i] = 0;
    });
    this.#rosterChanged = true;
  }

  /** Queues a move for the next tick; `false` when the player's queue is full. */
  queue(player: number, direction: Direction): boolean {
    const queue = this.#queues[player];
    if (queue.length >= MOVE_QUEUE_LIMIT) return false;
    queue.push(direction);
    return true;
  }

  /**
   * Advances one tick: each player takes at most one queued move. Who goes first
   * rotates every tick, so no id always wins the race for a cell.
   */
  tick(): TickResult {
    const moves: Move[] = [];
    this.state.tick = (this.state.tick + 1) % 65536;
    for (let i = 0; i < MAX_PLAYERS; i++) {
      const player = (this.state.tick + i) % MAX_PLAYERS;
      const from = this.state.players[player];
      const direction = this.#queues[player].shift();
      if (!from || direction === undefined) continue;
      const to = neighbour(from, direction);
      if (!to || occupied(this.state, to)) continue; // blocked: the move is spent
      applyMoves(this.state, [{ player, direction }]);
      moves.push({ player, direction });
    }
    const rosterChanged = this.#rosterChanged;
    this.#rosterChanged = false;
    return { moves, rosterChanged };
  }
}
