/**
 * Graded checks for Task 3.7, the networked game: the wire-format module
 * (`game_wire.ts`), and `game_server.ts` with `game_client.ts --bot` players, watched
 * by a spectator of the checks' own that decodes every tick with the reference decoder
 * (the wire format is the handout's, so any correct server is readable by it).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type GameState, movesBetween, WIDTH } from "../../../labs/lab3/game_state.ts";
import * as wire from "../../../labs/lab3/game_wire.ts";
import { defineChecks } from "../../harness/checks.ts";
import { scriptContractChecks } from "../../harness/contract.ts";
import { assertSuccess } from "../../harness/expect.ts";
import { ModuleError, withModule } from "../../harness/sandboxed_module.ts";
import { receiveWithin, udpSocket } from "../../harness/peers.ts";
import { type RunningServer, startScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "game_server.ts";
const CLIENT = "game_client.ts";
const TICK_MS = "50";
const LETTERS = "ULRD"; // Direction 0..3 as the bot prints them

function to(port: number): Deno.NetAddr {
  return { transport: "udp", hostname: "127.0.0.1", port };
}

/**
 * Joins (or watches) from `socket`: the join, the server's cookie, the join with the
 * cookie, and the welcome. Resolves to the welcome and the command that keeps it alive.
 */
async function joinGame(
  socket: Deno.DatagramConn,
  server: RunningServer,
  kind: wire.CommandKind.Join | wire.CommandKind.Watch,
): Promise<{ welcome: wire.ServerMessage; keepalive: Uint8Array }> {
  const port = server.port;
  await socket.send(wire.encodeCommand({ kind }), to(port));
  const answer = wire.decodeMessage((await receiveWithin(socket, 5000, server.script))[0]);
  assert.equal(answer.type, wire.MessageType.Cookie, "a join must first get a cookie");
  const keepalive = wire.encodeCommand({ kind, cookie: answer.cookie });
  await socket.send(keepalive, to(port));
  const [welcome] = await receiveWithin(socket, 5000, server.script);
  return { welcome: wire.decodeMessage(welcome), keepalive };
}

/** A spectator of the checks' own: keeps the state of every tick it sees. */
class Watcher {
  readonly states = new Map<number, GameState>();
  readonly kinds = { full: 0, delta: 0, compressed: 0 };
  readonly #socket = udpSocket();
  readonly #game: RunningServer;
  readonly #server: Deno.NetAddr;
  #state: GameState | null = null;
  #loop: Promise<void> = Promise.resolve();
  #keepalive?: ReturnType<typeof setInterval>;

  constructor(game: RunningServer) {
    this.#game = game;
    this.#server = to(game.port);
  }

  /** Joins as a spectator and waits for the welcome. */
  async start(): Promise<void> {
    const { welcome, keepalive } = await joinGame(this.#socket, this.#game, wire.CommandKind.Watch);
    assert.deepEqual(welcome, { type: wire.MessageType.Welcome, player: wire.SPECTATOR });
    this.#keepalive = setInterval(() => this.#socket.send(keepalive, this.#server), 1000);
    this.#loop = this.#receive();
  }

  async #receive(): Promise<void> {
    for await (const [data] of this.#socket) {
      const message = wire.decodeMessage(data); // throws, failing the check, on bad bytes
      if (message.type === wire.MessageType.Full) this.kinds.full++;
      if (message.type === wire.MessageType.Delta) this.kinds.delta++;
      if (data[0] & wire.COMPRESSED) this.kinds.compressed++;
      this.#state = wire.nextState(this.#state, message);
      if (this.#state) this.states.set(this.#state.tick, structuredClone(this.#state));
    }
  }

  /** The newest tick seen. */
  get tick(): number {
    return this.#state?.tick ?? -1;
  }

  /** Waits until `ticks` more ticks have arrived. */
  async waitTicks(ticks: number, timeoutMs = 10_000): Promise<void> {
    const target = this.tick + ticks;
    const deadline = Date.now() + timeoutMs;
    while (this.tick < target) {
      if (Date.now() > deadline) throw new Error(`no tick ${target} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#keepalive);
    const leave = wire.encodeCommand({ kind: wire.CommandKind.Leave, player: wire.SPECTATOR });
    await this.#socket.send(leave, this.#server).catch(() => {});
    this.#socket.close();
    await this.#loop.catch(() => {}); // closing ends the loop with an error
  }
}

/** What a bot printed when it finished. */
interface BotReport {
  player: number;
  path: string;
  x: number;
  y: number;
  tick: number;
}

/** Runs `game_client.ts --bot` to the end and reads its summary. */
async function runBot(client: string, port: number, seed: number, moves: number) {
  const args = ["--port", String(port), "--bot", "--seed", String(seed), "--moves", String(moves)];
  const result = await (await startScript(client, args)).finished(60_000);
  assertSuccess(result);
  const sent = result.stdout.match(/bot: player (\d+) sent (\d+) moves ([ULRD]*)/);
  const at = result.stdout.match(/bot: at \((\d+), (\d+)\) on tick (\d+)/);
  assert.ok(sent && at, `the bot did not print its summary:\n${result.stdout}`);
  assert.equal(sent[3].length, moves, `bot ${seed} sent ${sent[2]} moves, not ${moves}`);
  const report: BotReport = { player: +sent[1], path: sent[3], x: +at[1], y: +at[2], tick: +at[3] };
  return report;
}

/**
 * Checks one bot against what the watcher saw: its final position at its final tick,
 * and each step the server applied is one square, in the order the bot sent them.
 * Returns how many of its moves were applied.
 */
function assertBotMatches(watcher: Watcher, bot: BotReport): number {
  const final = watcher.states.get(bot.tick);
  assert.ok(final, `the spectator never saw tick ${bot.tick}`);
  assert.deepEqual(final.players[bot.player], { x: bot.x, y: bot.y }, "bot and server disagree");
  let next = 0; // how far into the bot's path the applied steps have got
  let applied = 0;
  for (let tick = 1; tick <= bot.tick; tick++) {
    const [before, after] = [watcher.states.get(tick - 1), watcher.states.get(tick)];
    const [from, onto] = [before?.players[bot.player], after?.players[bot.player]];
    if (!before || !after || !from || !onto) continue;
    const moved = Math.abs(from.x - onto.x) + Math.abs(from.y - onto.y);
    assert.ok(moved <= 1, `player ${bot.player} jumped ${moved} squares on tick ${tick}`);
    const step = movesBetween(before, after).find((m) => m.player === bot.player);
    if (!step) continue;
    next = bot.path.indexOf(LETTERS[step.direction], next) + 1;
    assert.ok(
      next > 0,
      `player ${bot.player} moved ${LETTERS[step.direction]} on tick ${tick}: not one of the ` +
        `moves its bot sent, in order (${bot.path})`,
    );
    applied++;
  }
  return applied;
}

/** A game in progress: the server, the checks' spectator, and a way to add bots. */
interface Game {
  server: RunningServer;
  watcher: Watcher;
  bot(seed: number, moves: number): Promise<BotReport>;
}

/** Starts the server and a watcher, runs `body`, and always stops both. */
async function withGame(script: (name: string) => string, body: (game: Game) => Promise<void>) {
  await using server = await startServer(script(SERVER), ["--tick", TICK_MS]);
  const watcher = new Watcher(server);
  try {
    await watcher.start();
    const bot = (seed: number, moves: number) => runBot(script(CLIENT), server.port, seed, moves);
    await body({ server, watcher, bot });
  } finally {
    await watcher.stop();
  }
}

/** The server's log lines that name `socket`'s address. */
function linesAbout(server: RunningServer, socket: Deno.DatagramConn): string[] {
  const address = `127.0.0.1:${(socket.addr as Deno.NetAddr).port}`;
  return server.script.stderr.split("\n").filter((line) => line.includes(address));
}

export const checks = defineChecks(3, [
  {
    id: "3.7-command-byte",
    task: "3.7",
    title: "game_wire.ts packs each command into one byte: kind, 2-bit direction, 4-bit player",
    points: 2,
    hint: "bits 7-6 kind (0 move, 1 join, 2 leave, 3 watch), bits 5-4 direction (Up 0, Left 1, " +
      "Right 2, Down 3), bits 3-0 player id; reject empty, longer and malformed datagrams",
    async run({ script }) {
      await withModule(script("game_wire.ts"), async (w) => {
        const encode = (command: wire.Command) => w.call("encodeCommand", command);
        const decode = (bytes: number[]) => w.call("decodeCommand", Uint8Array.from(bytes));
        const { Move, Join, Watch, Leave } = wire.CommandKind; // the handout's numbers
        const move = { kind: Move, player: 9, direction: 2 };
        assert.deepEqual(await encode(move), Uint8Array.of(0b00_10_1001));
        assert.deepEqual(await decode([0b00_10_1001]), move);
        assert.deepEqual(await encode({ kind: Join }), Uint8Array.of(0b01_00_0000));
        assert.deepEqual(await encode({ kind: Watch }), Uint8Array.of(0b11_00_0000));
        assert.deepEqual(await encode({ kind: Leave, player: 3 }), Uint8Array.of(0b10_00_0011));
        const isWireError = (error: unknown) =>
          error instanceof ModuleError && error.instanceOf.includes("WireError");
        for (let byte = 0; byte < 256; byte++) { // every byte decodes or is refused cleanly
          try {
            const command = await decode([byte]);
            assert.deepEqual(await encode(command as wire.Command), Uint8Array.of(byte));
          } catch (error) {
            assert.ok(isWireError(error), `byte ${byte}: ${error}`);
          }
        }
        for (const bad of [[], [0, 0], [0b00_00_1010], [0b01_00_0001], [0b11_01_0000]]) {
          await assert.rejects(decode(bad), isWireError, `[${bad}]`);
        }
      });
    },
  },
  {
    id: "3.7-state-round-trip",
    task: "3.7",
    title: "full and delta states have the handout's layout and decode to what was encoded",
    points: 3,
    hint: "full: [2][tick u16 big-endian][10-bit presence mask, x:5 y:4 per player, 4 bits per " +
      "cell]; delta: [3][tick][10-bit moved mask, 2 bits per mover]; most significant bit first",
    async run({ script }) {
      await withModule(script("game_wire.ts"), async (w) => {
        // Player 0 Up and player 9 Down on tick 5: mask 1000000001, then 00 and 11.
        const moves = [{ player: 0, direction: 0 }, { player: 9, direction: 3 }];
        const delta = await w.call("encodeDelta", 5, moves) as Uint8Array;
        assert.deepEqual(delta, Uint8Array.of(3, 0, 5, 0b10000000, 0b01001100));
        assert.deepEqual(await w.call("decodeMessage", delta), {
          type: wire.MessageType.Delta,
          tick: 5,
          moves,
        });
        const state = sampleState(300);
        const full = await w.call("encodeFull", state) as Uint8Array;
        assert.equal(full.length, 3 + Math.ceil((10 + 2 * 9 + 512 * 4) / 8));
        // Tick 300 = 0x012c; presence mask 01000000 01; player 1 at (31, 15): 11111 1111;
        // player 9 at (0, 0): 00000 0000; then cell 0, painted by player 9 (owner 10): 1010.
        const expected = [2, 0x01, 0x2c, 0b01000000, 0b01_11111_1, 0b111_00000, 0b0000_1010];
        assert.deepEqual([...full.subarray(0, 7)], expected);
        assert.deepEqual(await w.call("decodeMessage", full), {
          type: wire.MessageType.Full,
          state,
        });
      });
    },
  },
  {
    id: "3.7-compressed",
    task: "3.7",
    title: "compressed ticks decode to the same state, and are used only when smaller",
    points: 2,
    hint: "deflateRaw everything after the flag byte, set bit 7 of the flag byte, and keep the " +
      "plain message when the compressed one is not shorter",
    async run({ script }) {
      await withModule(script("game_wire.ts"), async (w) => {
        const compress = async (message: Uint8Array) =>
          await w.call("compressIfSmaller", message) as Uint8Array;
        const decode = (message: Uint8Array) => w.call("decodeMessage", message);
        const full = await w.call("encodeFull", sampleState(7)) as Uint8Array;
        const compressed = await compress(full);
        assert.ok(compressed.length < full.length / 2, "a mostly unpainted grid compresses well");
        assert.equal(compressed[0], wire.MessageType.Full | 0x80);
        assert.deepEqual(await decode(compressed), await decode(full));
        const delta = await w.call("encodeDelta", 8, [{ player: 1, direction: 1 }]) as Uint8Array;
        assert.deepEqual(await compress(delta), delta, "a 5-byte delta cannot shrink");
        const noisy = sampleState(9);
        noisy.board.forEach((_, i) => noisy.board[i] = (i * 7919 + (i >> 3) * 104729) % 11);
        const noisyFull = await w.call("encodeFull", noisy) as Uint8Array;
        assert.deepEqual(await decode(await compress(noisyFull)), await decode(noisyFull));
      });
    },
  },
  {
    id: "3.7-bot-matches-server",
    task: "3.7",
    title: "a bot's moves reach the server, and the bot's copy of the grid matches the server's",
    points: 3,
    hint: "send one move byte per tick; apply each delta only to the state of the tick before; " +
      "the bot prints `bot: player N sent M moves PATH` and `bot: at (x, y) on tick T`",
    async run({ script }) {
      await withGame(script, async ({ watcher, bot }) => {
        const report = await bot(3, 20);
        const applied = assertBotMatches(watcher, report);
        assert.ok(applied >= 17, `only ${applied} of the bot's 20 moves were applied`);
      });
    },
  },
  {
    id: "3.7-ten-bots",
    task: "3.7",
    title: "ten bots play at once; every one's grid matches the server's",
    points: 3,
    hint: "up to 10 players (ids 0-9); a tick applies at most one move per player; a joining " +
      "player makes the next tick a full state; compressed full states keep the same layout",
    async run({ script }) {
      await withGame(script, async ({ watcher, bot }) => {
        const reports = await Promise.all(Array.from({ length: 10 }, (_, i) => bot(i + 1, 30)));
        const ids = reports.map((r) => r.player).sort((a, b) => a - b);
        assert.deepEqual(ids, [...Array(10).keys()]);
        const applied = reports.map((report) => assertBotMatches(watcher, report));
        assert.ok(applied.every((n) => n >= 5), `moves applied per bot: ${applied}`);
        assert.ok(watcher.kinds.delta > 0, "the server never sent a delta");
        assert.ok(watcher.kinds.compressed > 0, "no full state was compressed");
      });
    },
  },
  {
    id: "3.7-unknown-player",
    task: "3.7",
    title: "moves for a player the sender does not own are ignored, with one log line per sender",
    points: 2,
    hint: "remember which address owns which player id; drop a move from a stranger or for " +
      "someone else's id, and log each offending address once, not once per datagram",
    async run({ script }) {
      await withGame(script, async ({ server, watcher, bot }) => {
        const stranger = udpSocket();
        const impostor = udpSocket();
        try {
          await joinGame(impostor, server, wire.CommandKind.Join); // it is player 0
          const playing = bot(5, 25); // player 1
          await watcher.waitTicks(3);
          // The stranger sends 60 moves, the impostor 6. The impostor is a client, whose
          // datagrams the server counts per tick (ours disconnects a client past 20), and on a
          // busy machine the server can read any number of them in one tick: 60 made it a
          // flooder, with a second line, which is not what this check is about.
          for (let i = 0; i < 30; i++) {
            for (const player of [1, 2]) {
              const direction = i % 4;
              const move = wire.encodeCommand({ kind: wire.CommandKind.Move, player, direction });
              await stranger.send(move, to(server.port));
              if (i % 10 === 0) await impostor.send(move, to(server.port));
            }
            if (i % 10 === 9) await watcher.waitTicks(1);
          }
          assertBotMatches(watcher, await playing);
          assert.equal(linesAbout(server, stranger).length, 1, server.script.stderr);
          const impostorLines = linesAbout(server, impostor).filter((l) => !/joined/.test(l));
          assert.equal(impostorLines.length, 1, server.script.stderr);
        } finally {
          stranger.close();
          impostor.close();
        }
      });
    },
  },
  {
    id: "3.7-malformed",
    task: "3.7",
    title: "empty, oversized and malformed datagrams are dropped; the others keep playing",
    points: 2,
    hint: "check the length (exactly 1 byte) and the fields before using a command; catch the " +
      "error, log it once for that address, and carry on",
    async run({ script }) {
      await withGame(script, async ({ server, watcher, bot }) => {
        const bad = [[], [0, 0], Array(1400).fill(7), [0xff], [0b00_00_1100], [0b10_00_1011]];
        const senders = bad.map(() => udpSocket());
        try {
          const playing = bot(8, 20);
          for (let round = 0; round < 5; round++) {
            for (const [i, bytes] of bad.entries()) {
              await senders[i].send(Uint8Array.from(bytes), to(server.port));
            }
            await watcher.waitTicks(1);
          }
          assertBotMatches(watcher, await playing);
          for (const sender of senders) {
            const lines = linesAbout(server, sender);
            assert.equal(lines.length, 1, `one log line per sender:\n${server.script.stderr}`);
            assert.match(lines[0], /empty|oversized|malformed/);
          }
        } finally {
          senders.forEach((sender) => sender.close());
        }
      });
    },
  },
  {
    id: "3.7-flood",
    task: "3.7",
    title: "a client that floods is disconnected; the other players are not slowed down",
    points: 2,
    hint: "count each client's datagrams per tick; past a limit, send bye (reason 1), remove " +
      "its player, ignore its address for a while, and log it once",
    async run({ script }) {
      await withGame(script, async ({ server, watcher, bot }) => {
        const flooder = udpSocket();
        try {
          const { welcome } = await joinGame(flooder, server, wire.CommandKind.Join);
          assert.equal(welcome.type, wire.MessageType.Welcome);
          const { player } = welcome;
          const playing = bot(11, 25);
          await watcher.waitTicks(3);
          const move = wire.encodeCommand({ kind: wire.CommandKind.Move, player, direction: 0 });
          for (let i = 0; i < 300; i++) await flooder.send(move, to(server.port));
          let bye: wire.ServerMessage;
          do bye = wire.decodeMessage(
            (await receiveWithin(flooder, 5000, server.script))[0],
          ); while (
            bye.type !== wire.MessageType.Bye
          );
          assert.equal(bye.reason, wire.ByeReason.Flooding);
          for (let i = 0; i < 300; i++) await flooder.send(move, to(server.port)); // still at it
          const applied = assertBotMatches(watcher, await playing);
          assert.ok(applied >= 20, `only ${applied} of the bot's 25 moves were applied`);
          await watcher.waitTicks(2);
          assert.equal(watcher.states.get(watcher.tick)?.players[player], null, "flooder still in");
          const lines = linesAbout(server, flooder).filter((line) => !/joined/.test(line));
          assert.equal(lines.length, 1, `one line for the flooder:\n${server.script.stderr}`);
        } finally {
          flooder.close();
        }
      });
    },
  },
  ...scriptContractChecks([
    { name: SERVER, task: "3.7", server: true },
    { name: CLIENT, task: "3.7" },
  ]),
]);

/** A state with two players and a few painted cells, at `tick`. */
function sampleState(tick: number): GameState {
  const state: GameState = {
    tick,
    players: Array(10).fill(null),
    board: new Uint8Array(512),
  };
  state.players[1] = { x: 31, y: 15 };
  state.players[9] = { x: 0, y: 0 };
  state.board[15 * WIDTH + 31] = 2;
  state.board[0] = 10;
  state.board[1] = 10;
  return state;
}
