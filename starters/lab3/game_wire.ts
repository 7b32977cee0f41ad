/**
 * The wire format of the networked game (Task 3.7): every byte the clients and the
 * server exchange, in as few bits as the information needs.
 *
 * Client → server: one datagram of exactly one byte per command,
 *
 *     bit  7 6 | 5 4       | 3 2 1 0
 *          kind | direction | player id
 *
 * with kind 0 = move, 1 = join, 2 = leave, 3 = watch (a spectator). Fields a kind does
 * not use must be 0; a spectator leaves with player id 15. A move is therefore the
 * handout's 6-bit code: `00 10 1001` is player 9 going Right. A join or a watch may be
 * followed by the 4-byte cookie the server gave this address (5 bytes in all).
 *
 * Server → client: one datagram per message, whose first byte is the flag byte: bit 7
 * says the rest is compressed (raw DEFLATE), bits 6..0 give the message type.
 *
 * - welcome `[1][player id]` (15 for a spectator)
 * - full state `[2][tick: u16][bits: 10-bit presence mask, then x:5 y:4 per present
 *   player, then 4 bits per cell: 0 unpainted, id + 1 painted]`
 * - delta `[3][tick: u16][bits: 10-bit mask of players who moved, then 2 bits of
 *   direction per mover]`, which only applies to the state of tick − 1; a full state
 *   goes out instead when players join or leave, and at least every 50 ticks
 * - bye `[4][reason]`
 * - cookie `[5][4 bytes]`: the answer to a join or watch without the right cookie. Anybody
 *   can forge a datagram's sender, so the server streams ticks only to an address that
 *   has shown it receives there, by sending its cookie back; a forged join costs the
 *   forged address 5 bytes, not a tick every 100 ms.
 *
 * Bit fields are written most significant bit first and the last byte is padded with
 * zeros. Numbers wider than a byte are big-endian (network order, struct's `!`).
 *
 * STARTER: the types, the constants and a bit writer and reader are in place; every
 * function that turns a command or a message into bytes, or back, is yours (TODO). The
 * handout explains the layout: /lab3/task-3-7#task-3-7.
 *
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.7)
 *
 * @module
 */
import { TodoError } from "../../lib/todo.ts";
import {
  applyMoves,
  Direction,
  type GameState,
  HEIGHT,
  type Move,
  neighbour,
  WIDTH,
} from "./game_state.ts";

/** What a client asks for; the top two bits of a command byte. */
export enum CommandKind {
  Move = 0,
  Join = 1,
  Leave = 2,
  Watch = 3,
}

/** One client command, decoded. */
export type Command =
  | { kind: CommandKind.Move; player: number; direction: Direction }
  | { kind: CommandKind.Leave; player: number }
  | { kind: CommandKind.Join; cookie?: Uint8Array }
  | { kind: CommandKind.Watch; cookie?: Uint8Array };

/** The size of the cookie a join or watch carries back to the server, in bytes. */
export const COOKIE_SIZE = 4;

/** Server message types: bits 6..0 of the flag byte. */
export enum MessageType {
  Welcome = 1,
  Full = 2,
  Delta = 3,
  Bye = 4,
  Cookie = 5,
}

/** Ticks between two full states at most: a client that lost a delta waits no longer. */
export const KEYFRAME_EVERY = 50;

/** Bit 7 of the flag byte: the bytes after it are raw DEFLATE. */
export const COMPRESSED = 0x80;

/** Why the server ends a client's session. */
export enum ByeReason {
  ServerFull = 0,
  Flooding = 1,
}

/** What each bye reason tells the player. */
export const BYE_TEXT: Record<ByeReason, string> = {
  [ByeReason.ServerFull]: "the game is full (10 players): try again later",
  [ByeReason.Flooding]: "the server disconnected us for flooding it",
};

/** The player id a spectator's welcome carries. */
export const SPECTATOR = 15;

/** How logs name a player id: `player 3`, or `spectator`. */
export function playerName(player: number): string {
  return player === SPECTATOR ? "spectator" : `player ${player}`;
}

/** A decoded server message. */
export type ServerMessage =
  | { type: MessageType.Welcome; player: number }
  | { type: MessageType.Full; state: GameState }
  | { type: MessageType.Delta; tick: number; moves: Move[] }
  | { type: MessageType.Bye; reason: ByeReason }
  | { type: MessageType.Cookie; cookie: Uint8Array };

/** Bytes that do not follow this format; `problem` says which rule they broke. */
export class WireError extends Error {
  constructor(readonly problem: "empty" | "oversized" | "malformed", detail: string) {
    super(`${problem} ${detail}`);
    this.name = "WireError";
  }
}

/** Packs a command into its one byte (and a join's or a watch's cookie after it). */
export function encodeCommand(command: Command): Uint8Array {
  // TODO(3.7): one byte, `kind(2) direction(2) player(4)`; the fields a kind does not
  // use are 0 (`packBitFields` from ../../lib/bits.ts, or shifts and ORs). A join's or a
  // watch's cookie, when it has one, follows the byte.
  throw new TodoError(
    "/lab3/task-3-7#task-3-7",
    `pack command ${JSON.stringify(command.kind)} into one byte`,
  );
}

/** Reads one command datagram; throws a {@linkcode WireError} for anything else. */
export function decodeCommand(datagram: Uint8Array): Command {
  // TODO(3.7): anyone can send anything: refuse an empty datagram ("empty"), one longer
  // than its command allows ("oversized": one byte, or a join or watch and its
  // COOKIE_SIZE-byte cookie), and a byte that breaks the rules ("malformed": a join or
  // watch with a direction or player, a player id 10 to 14…) with a WireError.
  throw new TodoError("/lab3/task-3-7#task-3-7", `read the command in ${datagram.length} bytes`);
}

/** Appends fields of any width to a growing row of bits, most significant bit first. */
export class BitWriter {
  readonly #bytes: number[] = [];
  #used = 8; // bits used in the last byte

  write(value: number, width: number): void {
    for (let bit = width - 1; bit >= 0; bit--) {
      if (this.#used === 8) {
        this.#bytes.push(0);
        this.#used = 0;
      }
      const one = Math.floor(value / 2 ** bit) % 2;
      this.#bytes[this.#bytes.length - 1] |= one << (7 - this.#used++);
    }
  }

  get bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Reads fields back in the order a {@linkcode BitWriter} wrote them. */
export class BitReader {
  #position = 0; // in bits
  constructor(readonly bytes: Uint8Array) {}

  read(width: number): number {
    if (this.#position + width > this.bytes.length * 8) {
      throw new WireError("malformed", "message: it ends in the middle of a field");
    }
    let value = 0;
    for (let i = 0; i < width; i++, this.#position++) {
      const bit = (this.bytes[this.#position >> 3] >> (7 - (this.#position & 7))) & 1;
      value = value * 2 + bit;
    }
    return value;
  }

  /** Fails unless only the zero padding of the last byte is left. */
  end(): void {
    if (this.bytes.length * 8 - this.#position >= 8) {
      throw new WireError("oversized", "message: bytes left after the last field");
    }
  }
}

/** The full state: every player's position and the owner of every cell. */
export function encodeFull(state: GameState): Uint8Array {
  // TODO(3.7): `[2][tick: u16 big-endian]`, then in bits: the 10-bit mask of the players
  // present, x:5 y:4 for each of them, and 4 bits per cell (a BitWriter below helps).
  throw new TodoError("/lab3/task-3-7#task-3-7", `encode the full state of tick ${state.tick}`);
}

/** The moves of tick `tick`: who moved (a mask) and where (two bits each). */
export function encodeDelta(tick: number, moves: readonly Move[]): Uint8Array {
  // TODO(3.7): `[3][tick: u16 big-endian]`, then in bits: the 10-bit mask of the players
  // who moved, and 2 bits of direction for each of them, in player order.
  throw new TodoError(
    "/lab3/task-3-7#task-3-7",
    `encode the ${moves.length} moves of tick ${tick}`,
  );
}

/** The welcome a joining client gets: its player id, or {@linkcode SPECTATOR}. */
export function encodeWelcome(player: number): Uint8Array {
  // TODO(3.7): `[1][player id]`.
  throw new TodoError("/lab3/task-3-7#task-3-7", `encode the welcome of ${playerName(player)}`);
}

/** The last message a client gets when the server ends its session. */
export function encodeBye(reason: ByeReason): Uint8Array {
  // TODO(3.7): `[4][reason]`.
  throw new TodoError("/lab3/task-3-7#task-3-7", `encode a bye (${BYE_TEXT[reason]})`);
}

/** The cookie an address must send back with its join or watch. */
export function encodeCookie(cookie: Uint8Array): Uint8Array {
  // TODO(3.7): `[5][the COOKIE_SIZE bytes of the cookie]`.
  throw new TodoError("/lab3/task-3-7#task-3-7", `encode a cookie of ${cookie.length} bytes`);
}

/**
 * Compresses a message with raw DEFLATE when that makes it smaller (it pays for a full
 * state with large unpainted areas, never for a 5-byte delta); returns it unchanged
 * otherwise. The flag byte stays readable and gets bit 7.
 */
export function compressIfSmaller(message: Uint8Array): Uint8Array {
  // TODO(3.7): compress the bytes after the flag byte with raw DEFLATE (`deflateRawSync`
  // from node:zlib); keep the result only if it is smaller, with COMPRESSED set in the
  // flag byte.
  throw new TodoError(
    "/lab3/task-3-7#task-3-7",
    `compress a ${message.length}-byte message if that makes it smaller`,
  );
}
/** Reads any server message, compressed or not; throws a {@linkcode WireError} if invalid. */
export function decodeMessage(datagram: Uint8Array): ServerMessage {
  // TODO(3.7): inflate a compressed body first (`inflateRawSync`, with a
  // `maxOutputLength`: a tiny datagram must not inflate to gigabytes), then read the
  // message by its type. Anything that breaks the format is a WireError ("empty",
  // "oversized" when bytes are left after the last field, also after a compressed body;
  // "malformed" otherwise).
  throw new TodoError("/lab3/task-3-7#task-3-7", `decode a ${datagram.length}-byte server message`);
}

/**
 * A client's copy of the game after `message`: a full state replaces it; a delta moves
 * it on only when it is the state of the tick just before (after a lost datagram, the
 * copy stays as it is until the next full state). Anything else leaves it unchanged. A
 * delta that moves a player who is not there, or off the grid, throws a
 * {@linkcode WireError} and changes nothing.
 */
export function nextState(state: GameState | null, message: ServerMessage): GameState | null {
  if (message.type === MessageType.Full) return message.state;
  if (message.type !== MessageType.Delta || state?.tick !== (message.tick + 65535) % 65536) {
    return state;
  }
  // Checked before anything moves (each player moves at most once in a delta): a bad
  // delta must not leave half its moves applied.
  for (const { player, direction } of message.moves) {
    const at = state.players[player];
    if (!at || !neighbour(at, direction)) {
      throw new WireError(
        "malformed",
        `delta: player ${player} cannot move ${Direction[direction]}`,
      );
    }
  }
  applyMoves(state, message.moves);
  state.tick = message.tick;
  return state;
}

/** The same state as JSON text, the way a first version would send it (for comparison). */
export function encodeJson(state: GameState): Uint8Array {
  const players = state.players.flatMap((p, id) => p ? [{ id, x: p.x, y: p.y }] : []);
  const board = Array.from(
    { length: HEIGHT },
    (_, y) => Array.from(state.board.subarray(y * WIDTH, (y + 1) * WIDTH)),
  );
  return new TextEncoder().encode(JSON.stringify({ tick: state.tick, players, board }));
}
