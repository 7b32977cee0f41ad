/**
 * Fuzz test of the game's wire format (labs/lab3/game_wire.ts): `decodeCommand` and
 * `decodeMessage` on random and damaged datagrams (compressed ones, and DEFLATE bombs,
 * included) throw only `WireError`, and so does `nextState` on any delta, leaving the
 * state as it was; commands, full states and deltas read back unchanged; time per byte
 * stays flat on huge datagrams.
 *
 * @module
 */
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { SeededRandom } from "../../../lib/random.ts";
import {
  cloneState,
  type Direction,
  emptyState,
  type GameState,
  HEIGHT,
  MAX_PLAYERS,
  type Move,
  neighbour,
  WIDTH,
} from "../../../labs/lab3/game_state.ts";
import * as wire from "../../../labs/lab3/game_wire.ts";
import { fuzzTest, hostileBytes, mutate, pooled, randomBytes } from "../../harness/fuzz.ts";

function randomState(random: SeededRandom): GameState {
  const state = emptyState();
  state.tick = random.integer(0, 65535);
  for (let player = 0; player < MAX_PLAYERS; player++) {
    if (random.chance(0.6)) {
      state.players[player] = { x: random.integer(0, WIDTH - 1), y: random.integer(0, HEIGHT - 1) };
    }
  }
  const painted = random.next();
  for (let i = 0; i < state.board.length; i++) {
    if (random.chance(painted)) state.board[i] = random.integer(1, MAX_PLAYERS);
  }
  return state;
}

/** Moves of some players, one each, in the order of their ids (as a delta lists them). */
function randomMoves(random: SeededRandom): Move[] {
  const moves: Move[] = [];
  for (let player = 0; player < MAX_PLAYERS; player++) {
    if (random.chance(0.4)) moves.push({ player, direction: random.integer(0, 3) as Direction });
  }
  return moves;
}

function randomCommand(random: SeededRandom): wire.Command {
  const kind = random.integer(0, 3) as wire.CommandKind;
  switch (kind) {
    case wire.CommandKind.Move:
      return {
        kind,
        player: random.integer(0, MAX_PLAYERS - 1),
        direction: random.integer(0, 3) as Direction,
      };
    case wire.CommandKind.Leave:
      return { kind, player: random.pick([random.integer(0, MAX_PLAYERS - 1), wire.SPECTATOR]) };
    default:
      return { kind };
  }
}

/** Any server message, compressed where that makes it smaller (and then now and then anyway). */
function randomMessage(random: SeededRandom): Uint8Array {
  const message = random.pick([
    () => wire.encodeFull(randomState(random)),
    () => wire.encodeDelta(random.integer(0, 65535), randomMoves(random)),
    () => wire.encodeWelcome(random.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, wire.SPECTATOR])),
    () => wire.encodeBye(random.integer(0, 1)),
  ])();
  return wire.compressIfSmaller(message);
}

const pooledMessage = pooled(randomMessage);

/** A flag byte with the compressed bit, then DEFLATE of anything (a bomb of zeros too). */
function compressedGarbage(random: SeededRandom): Uint8Array {
  const body = random.chance(0.3) ? new Uint8Array(random.integer(0, 5000)) : randomBytes(random);
  const packed = deflateRawSync(body);
  const message = new Uint8Array(1 + packed.length);
  message[0] = wire.COMPRESSED | random.integer(0, 5);
  message.set(packed, 1);
  return message;
}

const pooledGarbage = pooled(compressedGarbage);
const pooledDecoded = pooled((random) => wire.decodeMessage(randomMessage(random)));

fuzzTest<Uint8Array>({
  name: "decodeCommand",
  throws: [wire.WireError],
  decode: wire.decodeCommand,
  input: (random) => hostileBytes(random, () => wire.encodeCommand(randomCommand(random))),
  roundTrip(random) {
    const command = randomCommand(random);
    assert.deepEqual(wire.decodeCommand(wire.encodeCommand(command)), command);
  },
  shapes: { "a huge datagram": (n) => new Uint8Array(n) },
});

fuzzTest<Uint8Array>({
  name: "decodeMessage",
  throws: [wire.WireError],
  decode: wire.decodeMessage,
  input(random) {
    const roll = random.next();
    if (roll < 0.05) return mutate(random, pooledGarbage(random));
    if (roll < 0.25) {
      // Random bytes, most of them not flagged compressed: inflating is slow in Deno
      // (a few hundred µs), and the compressed ones get their share anyway.
      const bytes = randomBytes(random);
      if (bytes.length > 0 && random.chance(0.8)) bytes[0] &= ~wire.COMPRESSED;
      return bytes;
    }
    const damaged = mutate(random, pooledMessage(random));
    return random.chance(0.25) ? mutate(random, damaged) : damaged;
  },
  roundTrip(random) {
    // Compressed one time in ten (DEFLATE is slow next to the rest).
    const pack = (message: Uint8Array) =>
      random.chance(0.1) ? wire.compressIfSmaller(message) : message;
    const state = randomState(random);
    const full = wire.decodeMessage(pack(wire.encodeFull(state)));
    assert.deepEqual(full, { type: wire.MessageType.Full, state });
    const [tick, moves] = [random.integer(0, 65535), randomMoves(random)];
    assert.deepEqual(
      wire.decodeMessage(pack(wire.encodeDelta(tick, moves))),
      { type: wire.MessageType.Delta, tick, moves },
    );
  },
  shapes: {
    "a huge full state": (n) => {
      const message = new Uint8Array(n);
      message.set(wire.encodeFull(emptyState()));
      return message;
    },
    "compressed garbage": (n) => {
      const message = new SeededRandom(n).bytes(n);
      message[0] = wire.COMPRESSED | wire.MessageType.Full;
      return message;
    },
    "a compressed full state and garbage": (n) => {
      const message = new Uint8Array(n);
      message.set(wire.compressIfSmaller(wire.encodeFull(emptyState())));
      return message;
    },
  },
});

interface Step {
  state: GameState | null;
  message: wire.ServerMessage;
}

fuzzTest<Step>({
  name: "nextState",
  throws: [wire.WireError],
  decode({ state, message }) {
    const before = state && cloneState(state);
    try {
      return wire.nextState(state, message);
    } catch (error) {
      assert.deepEqual(state, before, "a refused message changed the state");
      throw error;
    }
  },
  input(random) {
    const state = random.chance(0.9) ? randomState(random) : null;
    const message: wire.ServerMessage = random.chance(0.8)
      ? { type: wire.MessageType.Delta, tick: random.integer(0, 65535), moves: randomMoves(random) }
      : pooledDecoded(random);
    // Most deltas follow the state's tick, so that they are applied, not ignored.
    if (message.type === wire.MessageType.Delta && state && random.chance(0.8)) {
      message.tick = (state.tick + 1) % 65536;
    }
    return { state, message };
  },
  roundTrip(random) {
    // A delta the server computed applies to the state it came from.
    const state = randomState(random);
    const moves = randomMoves(random).filter(({ player, direction }) => {
      const at = state.players[player];
      return at !== null && neighbour(at, direction) !== null;
    });
    const tick = (state.tick + 1) % 65536;
    const after = wire.nextState(cloneState(state), { type: wire.MessageType.Delta, tick, moves });
    assert.equal(after?.tick, tick);
    for (const { player, direction } of moves) {
      assert.deepEqual(after.players[player], neighbour(state.players[player]!, direction));
    }
  },
  shapes: {}, // a state and a delta have a fixed size
});
