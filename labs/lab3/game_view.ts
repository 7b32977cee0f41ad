/**
 * The terminal side of the game client (Task 3.7): drawing the grid and reading keys.
 *
 * Player ids 0–9 are drawn as the letters A–J where the player stands and a–j on the
 * cells it painted, so the board reads without colours; on a terminal each player also
 * gets a colour.
 *
 * @module
 */
import { Direction, type GameState, HEIGHT, scores, WIDTH } from "./game_state.ts";

const COLOURS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94]; // ANSI foreground codes
const HOME_AND_CLEAR = "\x1b[H\x1b[2J";

function paint(text: string, player: number, colour: boolean): string {
  return colour ? `\x1b[${COLOURS[player]}m${text}\x1b[0m` : text;
}

/** The whole screen for one tick: the grid in a frame, then the scores. */
export function renderBoard(state: GameState, me: number, colour: boolean): string {
  const heads = new Map(state.players.flatMap((p, id) => p ? [[p.y * WIDTH + p.x, id]] : []));
  const rows: string[] = [];
  for (let y = 0; y < HEIGHT; y++) {
    let row = "";
    for (let x = 0; x < WIDTH; x++) {
      const cell = y * WIDTH + x;
      const head = heads.get(cell);
      const owner = state.board[cell] - 1;
      if (head !== undefined) row += paint(String.fromCharCode(65 + head), head, colour);
      else if (owner >= 0) row += paint(String.fromCharCode(97 + owner), owner, colour);
      else row += "·";
    }
    rows.push(`│${row}│`);
  }
  const border = "─".repeat(WIDTH);
  const points = scores(state).flatMap((score, id) =>
    state.players[id]
      ? [`${String.fromCharCode(65 + id)}${id === me ? " (you)" : ""}: ${score}`]
      : []
  );
  return [
    `${HOME_AND_CLEAR}tick ${state.tick}   arrows move, q quits`,
    `┌${border}┐`,
    ...rows,
    `└${border}┘`,
    points.join("   "),
    "",
  ].join("\r\n"); // raw mode: the terminal no longer turns \n into a new line
}

/** What a key press asks for. */
export type KeyAction = Direction | "quit";

const KEYS: Record<string, KeyAction> = {
  "\x1b[A": Direction.Up,
  "\x1b[D": Direction.Left,
  "\x1b[C": Direction.Right,
  "\x1b[B": Direction.Down,
  w: Direction.Up,
  a: Direction.Left,
  d: Direction.Right,
  s: Direction.Down,
  q: "quit",
  "\x03": "quit", // Ctrl-C: raw mode delivers it as a byte instead of a signal
};

/** The actions in one read from a raw-mode terminal (arrow keys are 3-byte sequences). */
export function readKeys(text: string): KeyAction[] {
  const actions: KeyAction[] = [];
  for (let i = 0; i < text.length;) {
    const arrow = text.slice(i, i + 3);
    if (arrow in KEYS) {
      actions.push(KEYS[arrow]);
      i += 3;
    } else {
      if (text[i] in KEYS) actions.push(KEYS[text[i]]);
      i += 1;
    }
  }
  return actions;
}

// #region keyboard
/**
 * Puts the terminal in raw mode, where each key press arrives at once and is not echoed
 * (Ctrl-C included), and calls `onKey` for every key the game knows.
 */
export async function readKeyboard(onKey: (key: KeyAction) => unknown): Promise<void> {
  Deno.stdin.setRaw(true);
  const decoder = new TextDecoder();
  for await (const chunk of Deno.stdin.readable) {
    for (const key of readKeys(decoder.decode(chunk))) await onKey(key);
  }
}
// #endregion keyboard
