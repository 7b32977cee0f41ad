/**
 * Unit tests of the game's shared modules (Task 3.7): the wire format's edge cases and
 * refusals, the rules the server applies each tick, and the server's client table.
 * The graded checks in `game_test.ts` cover the layouts a student must match.
 *
 * @module
 */
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import {
  BAN_MS,
  ClientTable,
  FLOOD_LIMIT,
  MAX_CLIENTS,
  MAX_REMEMBERED,
  OFFENCE_MS,
  SILENCE_MS,
} from "../../../labs/lab3/game_client_table.ts";
import {
  cloneState,
  Direction,
  emptyState,
  Game,
  HEIGHT,
  MAX_PLAYERS,
  MOVE_QUEUE_LIMIT,
  movesBetween,
  scores,
  WIDTH,
} from "../../../labs/lab3/game_state.ts";
import * as wire from "../../../labs/lab3/game_wire.ts";

Deno.test("every command round-trips through its byte", () => {
  const commands: wire.Command[] = [
    { kind: wire.CommandKind.Join },
    { kind: wire.CommandKind.Watch },
    { kind: wire.CommandKind.Leave, player: wire.SPECTATOR },
  ];
  for (let player = 0; player < MAX_PLAYERS; player++) {
    commands.push({ kind: wire.CommandKind.Leave, player });
    for (const direction of [0, 1, 2, 3]) {
      commands.push({ kind: wire.CommandKind.Move, player, direction });
    }
  }
  for (const command of commands) {
    const byte = wire.encodeCommand(command);
    assert.equal(byte.length, 1);
    assert.deepEqual(wire.decodeCommand(byte), command);
  }
  assert.equal(new Set(commands.map((c) => wire.encodeCommand(c)[0])).size, commands.length);
  const cookie = Uint8Array.of(1, 2, 3, 4);
  for (const kind of [wire.CommandKind.Join, wire.CommandKind.Watch] as const) {
    const bytes = wire.encodeCommand({ kind, cookie });
    assert.equal(bytes.length, 1 + wire.COOKIE_SIZE);
    assert.deepEqual(wire.decodeCommand(bytes), { kind, cookie });
  }
  assert.deepEqual(wire.decodeMessage(wire.encodeCookie(cookie)), {
    type: wire.MessageType.Cookie,
    cookie,
  });
});

Deno.test("decodeCommand names the rule a datagram broke", () => {
  const problem = (bytes: number[]) => {
    try {
      wire.decodeCommand(Uint8Array.from(bytes));
    } catch (error) {
      assert.ok(error instanceof wire.WireError);
      return error.problem;
    }
    return "accepted";
  };
  assert.equal(problem([]), "empty");
  assert.equal(problem([0, 0]), "oversized");
  assert.equal(problem([0b00_01_1010]), "malformed"); // player 10 does not exist
  assert.equal(problem([0b10_00_1100]), "malformed"); // leave for id 12
  assert.equal(problem([0b10_01_0001]), "malformed"); // leave with a direction
  assert.equal(problem([0b01_00_0100]), "malformed"); // join with a player id
  assert.equal(problem([0b00_11_1001]), "accepted");
  assert.equal(problem([0b01_00_0000, 1, 2, 3, 4]), "accepted"); // a join with its cookie
  assert.equal(problem([0b00_11_1001, 1, 2, 3, 4]), "oversized"); // only joins carry one
  assert.equal(problem([0b01_00_0000, 1, 2, 3]), "oversized");
});

Deno.test("an empty game and a full grid of ten players round-trip", () => {
  const empty = emptyState();
  assert.deepEqual(wire.decodeMessage(wire.encodeFull(empty)), { type: 2, state: empty });
  const game = new Game();
  for (let i = 0; i < MAX_PLAYERS; i++) assert.equal(game.join(), i);
  assert.equal(game.join(), null, "an eleventh player is refused");
  game.state.board.forEach((_, i) => game.state.board[i] = i % (MAX_PLAYERS + 1));
  game.state.tick = 65535;
  const full = wire.encodeFull(game.state);
  assert.equal(full.length, 3 + (10 + 10 * 9 + WIDTH * HEIGHT * 4) / 8 + 0.5);
  assert.deepEqual(wire.decodeMessage(full), { type: 2, state: game.state });
  assert.deepEqual(wire.decodeMessage(wire.compressIfSmaller(full)), {
    type: 2,
    state: game.state,
  });
});

Deno.test("a delta with no movers is 5 bytes, with all ten 7", () => {
  assert.deepEqual(wire.encodeDelta(1, []), Uint8Array.of(3, 0, 1, 0, 0));
  const all = Array.from({ length: 10 }, (_, player) => ({ player, direction: Direction.Down }));
  const delta = wire.encodeDelta(2, all);
  assert.deepEqual(delta, Uint8Array.of(3, 0, 2, 0xff, 0xff, 0xff, 0b11111100));
  assert.deepEqual(wire.decodeMessage(delta), { type: 3, tick: 2, moves: all });
});

Deno.test("decodeMessage refuses truncated, padded, unknown and hostile messages", () => {
  const full = wire.encodeFull(emptyState());
  const refuse = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => wire.decodeMessage(bytes), (error: Error) => {
      assert.ok(error instanceof wire.WireError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  refuse(new Uint8Array(), /empty/);
  refuse(full.subarray(0, full.length - 1), /ends in the middle/);
  refuse(Uint8Array.of(...full, 0), /bytes left/);
  refuse(Uint8Array.of(9, 0, 0), /unknown type 9/);
  refuse(Uint8Array.of(wire.MessageType.Welcome), /malformed/);
  refuse(Uint8Array.of(wire.MessageType.Welcome, 12), /no player id 12/);
  refuse(Uint8Array.of(wire.MessageType.Cookie, 1, 2), /malformed cookie/);
  refuse(Uint8Array.of(wire.MessageType.Full | wire.COMPRESSED, 1, 2, 3), /does not inflate/);
  // A small message that inflates to megabytes must be refused, not unpacked.
  const bomb = deflateRawSync(new Uint8Array(4_000_000));
  refuse(Uint8Array.of(wire.MessageType.Full | wire.COMPRESSED, ...bomb), /does not inflate/);
  // Bytes after the end of the DEFLATE data are refused, as after a plain message.
  const compressed = wire.compressIfSmaller(full);
  assert.ok(compressed[0] & wire.COMPRESSED, "an empty board compresses");
  refuse(Uint8Array.of(...compressed, 0), /bytes left after its compressed body/);
  const badOwner = full.slice();
  badOwner[4] = 0b00_1111_00; // after the 10-bit mask, cell 0's owner becomes 15
  refuse(badOwner, /cell owner 15/);
});

Deno.test("nextState applies a delta only on top of the tick before it", () => {
  const start = emptyState();
  start.players[0] = { x: 5, y: 5 };
  start.tick = 10;
  const moved = wire.nextState(cloneState(start), {
    type: wire.MessageType.Delta,
    tick: 11,
    moves: [{ player: 0, direction: Direction.Left }],
  });
  assert.deepEqual(moved?.players[0], { x: 4, y: 5 });
  assert.equal(moved?.board[5 * WIDTH + 4], 1);
  const gap: wire.ServerMessage = { type: wire.MessageType.Delta, tick: 13, moves: [] };
  assert.equal(wire.nextState(cloneState(start), gap)?.tick, 10, "a lost tick 12: wait");
  assert.equal(wire.nextState(null, gap), null);
  const wrapped = { ...cloneState(start), tick: 65535 };
  assert.equal(wire.nextState(wrapped, { ...gap, tick: 0 })?.tick, 0, "65535 → 0");
});

Deno.test("nextState refuses a delta that moves an absent player, and changes nothing", () => {
  const start = emptyState();
  start.players[0] = { x: 5, y: 5 };
  start.tick = 10;
  const state = cloneState(start);
  const moves = [{ player: 0, direction: Direction.Left }, { player: 3, direction: Direction.Up }];
  assert.throws(
    () => wire.nextState(state, { type: wire.MessageType.Delta, tick: 11, moves }),
    (error) => error instanceof wire.WireError && /player 3 cannot move Up/.test(error.message),
  );
  assert.deepEqual(state, start, "player 0 did not move either");
  const corner = cloneState(start);
  corner.players[0] = { x: 0, y: 0 };
  const offGrid = [{ player: 0, direction: Direction.Up }];
  assert.throws(
    () => wire.nextState(corner, { type: 3, tick: 11, moves: offGrid }),
    wire.WireError,
  );
});

Deno.test("JSON text carries the same information, at many times the size", () => {
  const game = new Game();
  game.join();
  const json = JSON.parse(new TextDecoder().decode(wire.encodeJson(game.state)));
  assert.deepEqual(json.players, [{ id: 0, x: 1, y: 8 }]);
  assert.equal(json.board.length, HEIGHT);
  assert.equal(json.board[8][1], 1);
  assert.ok(wire.encodeJson(game.state).length > 4 * wire.encodeFull(game.state).length);
});

Deno.test("a tick moves each player at most once, blocked by walls and other players", () => {
  const game = new Game();
  const [a, b] = [game.join()!, game.join()!];
  game.state.players[a] = { x: 0, y: 0 };
  game.state.players[b] = { x: 1, y: 0 };
  for (let i = 0; i < MOVE_QUEUE_LIMIT; i++) assert.ok(game.queue(a, Direction.Down));
  assert.equal(game.queue(a, Direction.Down), false, "the queue is bounded");
  game.queue(b, Direction.Left); // tick 1 starts with player 1: a is still in that cell
  const first = game.tick();
  assert.equal(first.rosterChanged, true);
  assert.deepEqual(first.moves, [{ player: a, direction: Direction.Down }]);
  game.queue(b, Direction.Up); // into the wall
  const before = cloneState(game.state);
  const second = game.tick();
  assert.equal(second.rosterChanged, false);
  assert.deepEqual(second.moves, [{ player: a, direction: Direction.Down }]);
  assert.deepEqual(movesBetween(before, game.state), second.moves);
  assert.deepEqual(game.state.players[b], { x: 1, y: 0 });
  game.tick();
  assert.deepEqual(game.tick().moves, [], "three moves queued, three applied");
  assert.deepEqual(game.state.players[a], { x: 0, y: 3 });
  assert.equal(scores(game.state)[a], 4, "the cell it joined on, then three steps down");
  game.leave(a);
  assert.equal(scores(game.state)[a], 0, "a leaving player's paint is wiped");
  assert.equal(game.tick().rosterChanged, true);
});

Deno.test("the client table cuts off a flooder, bans it, and forgets silent clients", () => {
  const lines: string[] = [];
  const table = new ClientTable((line) => lines.push(line));
  const at = (port: number): Deno.NetAddr => ({ transport: "udp", hostname: "127.0.0.1", port });
  assert.deepEqual(table.arrive(at(1), 0), { verdict: "read", client: undefined });
  const client = table.add(at(1), 0);
  for (let i = 1; i < FLOOD_LIMIT; i++) assert.equal(table.arrive(at(1), 0).verdict, "read");
  assert.equal(table.arrive(at(1), 0).verdict, "flooded");
  assert.equal(table.arrive(at(1), BAN_MS - 1).verdict, "ignore");
  assert.equal(table.arrive(at(1), BAN_MS + 1).verdict, "read");
  assert.deepEqual([...table], []);
  const quiet = table.add(at(2), 1);
  table.arrive(at(2), 1000);
  assert.deepEqual(table.startTick(1000 + SILENCE_MS + 1), [quiet]);
  table.offence(at(3), "malformed command", 0);
  table.offence(at(3), "malformed command", 1);
  assert.deepEqual(lines, [
    "127.0.0.1:3: malformed command; dropping its bad datagrams (logged once a minute at most)",
  ]);
  assert.equal(client.key, "127.0.0.1:1");
  assert.equal(table.arrive(at(0), 0).verdict, "ignore", "nothing can answer port 0");
});

Deno.test("the client table forgets offences and bans in time, and never holds too many", () => {
  const table = new ClientTable(() => {});
  const at = (port: number): Deno.NetAddr => ({ transport: "udp", hostname: "127.0.0.2", port });
  for (let port = 1; port <= MAX_REMEMBERED + 500; port++) table.offence(at(port), "bad", port);
  assert.equal(table.remembered.offenders, MAX_REMEMBERED, "the oldest were forgotten");
  table.startTick(MAX_REMEMBERED + 500 + OFFENCE_MS);
  assert.ok(table.remembered.offenders < 500, "offences older than a minute are forgotten");
  for (let port = 1; port <= 100; port++) {
    table.add(at(port), 0);
    for (let i = 0; i <= FLOOD_LIMIT; i++) table.arrive(at(port), 0);
  }
  assert.equal(table.remembered.banned, 100);
  table.startTick(BAN_MS + 1);
  assert.equal(table.remembered.banned, 0, "ended bans are forgotten");
  for (let port = 1; port <= MAX_CLIENTS; port++) table.add(at(port), 15);
  assert.ok(table.full);
});

Deno.test("a cookie belongs to one address and cannot be reused from another", () => {
  const table = new ClientTable(() => {});
  const a: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: 4000 };
  const b: Deno.NetAddr = { ...a, port: 4001 };
  const cookie = table.cookie(a);
  assert.equal(cookie.length, wire.COOKIE_SIZE);
  assert.ok(table.hasCookie(a, cookie));
  assert.ok(!table.hasCookie(b, cookie));
  assert.ok(!table.hasCookie(a, undefined));
  assert.notDeepEqual(new ClientTable(() => {}).cookie(a), cookie, "a secret per server");
});
