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
 * @module
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { packBitFields, unpackBitFields } from "../../lib/bits.ts";
import { Struct } from "../../lib/struct.ts";
import {
  applyMoves,
  Direction,
  emptyState,
  type GameState,
  HEIGHT,
  MAX_PLAYERS,
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

const COMMAND_FIELDS = [2, 2, 4];
// A full state can never inflate to more than this; a bigger result is hostile input.
const MAX_MESSAGE = 3 + Math.ceil((MAX_PLAYERS * 10 + WIDTH * HEIGHT * 4) / 8);

// #region command
/** Packs a command into its one byte (and a join's or a watch's cookie after it). */
export function encodeCommand(command: Command): Uint8Array {
  const player = "player" in command ? command.player : 0;
  const direction = command.kind === CommandKind.Move ? command.direction : 0;
  const byte = packBitFields([
    { value: command.kind, width: 2 },
    { value: direction, width: 2 },
    { value: player, width: 4 },
  ]);
  const cookie = "cookie" in command ? command.cookie : undefined;
  return cookie ? Uint8Array.of(byte, ...cookie) : Uint8Array.of(byte);
}

/**
 * Reads one command datagram.
 *
 * @throws {WireError} For anything that is not a command.
 */
export function decodeCommand(datagram: Uint8Array): Command {
  if (datagram.length === 0) throw new WireError("empty", "datagram");
  const [kind, direction, player] = unpackBitFields(datagram[0], COMMAND_FIELDS);
  const joining = kind === CommandKind.Join || kind === CommandKind.Watch;
  if (datagram.length > 1 && !(joining && datagram.length === 1 + COOKIE_SIZE)) {
    throw new WireError("oversized", `datagram (${datagram.length} bytes)`);
  }
  const byte = `command 0b${datagram[0].toString(2).padStart(8, "0")}`;
  if (joining) {
    if (direction !== 0 || player !== 0) throw new WireError("malformed", byte);
    return datagram.length === 1 ? { kind } : { kind, cookie: datagram.slice(1) };
  }
  if (kind === CommandKind.Leave) {
    if (direction !== 0 || (player >= MAX_PLAYERS && player !== SPECTATOR)) {
      throw new WireError("malformed", byte);
    }
    return { kind, player };
  }
  if (player >= MAX_PLAYERS) throw new WireError("malformed", `${byte}: no player id ${player}`);
  return { kind: CommandKind.Move, player, direction };
}
// #endregion command

/** Appends fields of any width to a growing row of bits, most significant bit first. */
class BitWriter {
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
class BitReader {
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

const HEADER = new Struct("!BH"); // flag byte, tick

function withHeader(type: MessageType, tick: number, body: Uint8Array): Uint8Array {
  const message = new Uint8Array(HEADER.size + body.length);
  message.set(HEADER.pack(type, tick));
  message.set(body, HEADER.size);
  return message;
}

// #region state
/** The full state: every player's position and the owner of every cell. */
export function encodeFull(state: GameState): Uint8Array {
  const bits = new BitWriter();
  bits.write(packBitFields(state.players.map((p) => ({ value: p ? 1 : 0, width: 1 }))), 10);
  for (const p of state.players) {
    if (p) bits.write(packBitFields([{ value: p.x, width: 5 }, { value: p.y, width: 4 }]), 9);
  }
  for (const owner of state.board) bits.write(owner, 4);
  return withHeader(MessageType.Full, state.tick, bits.bytes);
}

/** The moves of tick `tick`: who moved (a mask) and where (two bits each). */
export function encodeDelta(tick: number, moves: readonly Move[]): Uint8Array {
  const directions: (Direction | undefined)[] = Array(MAX_PLAYERS).fill(undefined);
  for (const { player, direction } of moves) directions[player] = direction;
  const bits = new BitWriter();
  bits.write(
    packBitFields(directions.map((d) => ({ value: d === undefined ? 0 : 1, width: 1 }))),
    10,
  );
  for (const direction of directions) if (direction !== undefined) bits.write(direction, 2);
  return withHeader(MessageType.Delta, tick, bits.bytes);
}
// #endregion state

/** The welcome a joining client gets: its player id, or {@linkcode SPECTATOR}. */
export function encodeWelcome(player: number): Uint8Array {
  return Uint8Array.of(MessageType.Welcome, player);
}

/** The last message a client gets when the server ends its session. */
export function encodeBye(reason: ByeReason): Uint8Array {
  return Uint8Array.of(MessageType.Bye, reason);
}

/** The cookie an address must send back with its join or watch. */
export function encodeCookie(cookie: Uint8Array): Uint8Array {
  return Uint8Array.of(MessageType.Cookie, ...cookie);
}

// #region compress
/**
 * Compresses a message with raw DEFLATE when that makes it smaller (it pays for a full
 * state with large unpainted areas, never for a 5-byte delta); returns it unchanged
 * otherwise. The flag byte stays readable and gets bit 7.
 */
export function compressIfSmaller(message: Uint8Array): Uint8Array {
  const packed = deflateRawSync(message.subarray(1), { level: 9 });
  if (1 + packed.length >= message.length) return message;
  const compressed = new Uint8Array(1 + packed.length);
  compressed[0] = message[0] | COMPRESSED;
  compressed.set(packed, 1);
  return compressed;
}
// #endregion compress

/** What `inflateRawSync` gives with `info: true`: the bytes, and how much input it read. */
interface Inflated {
  buffer: Uint8Array;
  engine: { bytesWritten: number };
}

function inflate(message: Uint8Array): Uint8Array {
  if (!(message[0] & COMPRESSED)) return message;
  const compressed = message.subarray(1);
  let inflated: Inflated;
  try {
    const options = { maxOutputLength: MAX_MESSAGE, info: true };
    inflated = inflateRawSync(compressed, options) as unknown as Inflated;
  } catch {
    throw new WireError("malformed", "message: its compressed body does not inflate");
  }
  // DEFLATE says where it ends: bytes after that are refused, as after a plain message.
  if (inflated.engine.bytesWritten !== compressed.length) {
    throw new WireError("oversized", "message: bytes left after its compressed body");
  }
  const body = inflated.buffer;
  const plain = new Uint8Array(1 + body.length);
  plain[0] = message[0] & ~COMPRESSED;
  plain.set(body, 1);
  return plain;
}

/**
 * Reads any server message, compressed or not.
 *
 * @throws {WireError} If it is not a valid message (its compressed body included).
 */
export function decodeMessage(datagram: Uint8Array): ServerMessage {
  if (datagram.length === 0) throw new WireError("empty", "message");
  const message = inflate(datagram);
  const type = message[0];
  if (type === MessageType.Welcome || type === MessageType.Bye) {
    if (message.length !== 2) throw new WireError("malformed", `message of type ${type}`);
    if (type === MessageType.Welcome && message[1] >= MAX_PLAYERS && message[1] !== SPECTATOR) {
      throw new WireError("malformed", `welcome: no player id ${message[1]}`);
    }
    return type === MessageType.Welcome
      ? { type, player: message[1] }
      : { type, reason: message[1] };
  }
  if (type === MessageType.Cookie) {
    if (message.length !== 1 + COOKIE_SIZE) throw new WireError("malformed", "cookie message");
    return { type, cookie: message.slice(1) };
  }
  if (type !== MessageType.Full && type !== MessageType.Delta) {
    throw new WireError("malformed", `message: unknown type ${type}`);
  }
  if (message.length < HEADER.size) throw new WireError("malformed", "message: no tick");
  const tick = HEADER.unpack(message.subarray(0, HEADER.size))[1] as number;
  const bits = new BitReader(message.subarray(HEADER.size));
  const mask = unpackBitFields(bits.read(MAX_PLAYERS), Array(MAX_PLAYERS).fill(1));
  if (type === MessageType.Delta) {
    const moves: Move[] = [];
    mask.forEach((moved, player) => {
      if (moved) moves.push({ player, direction: bits.read(2) });
    });
    bits.end();
    return { type, tick, moves };
  }
  const state = emptyState();
  state.tick = tick;
  mask.forEach((present, player) => {
    if (!present) return;
    const [x, y] = unpackBitFields(bits.read(9), [5, 4]);
    if (y >= HEIGHT) throw new WireError("malformed", `state: player ${player} is off the grid`);
    state.players[player] = { x, y };
  });
  for (let i = 0; i < state.board.length; i++) {
    const owner = bits.read(4);
    if (owner > MAX_PLAYERS) throw new WireError("malformed", `state: cell owner ${owner}`);
    state.board[i] = owner;
  }
  bits.end();
  return { type, state };
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
