#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 3.7 — game client: joins the grid game over UDP, sends each move as one byte, and
 * keeps its own copy of the grid from the state the server sends every tick. In a terminal
 * it draws the board and reads the arrow keys in raw mode (q quits); with --bot it plays
 * alone (seeded: a run can be repeated) and prints where the server's states put it.
 * The server answers a join with a cookie, which the client sends back with its join (and
 * each keepalive): proof that it receives at its address. A datagram from anyone but the
 * server, or one it cannot read, is reported and ignored: it does not end the game.
 *
 * STARTER: the command line, the keyboard and the bot are in place; each TODO is a step
 * of the task, and the handout explains it: /lab3/task-3-7#task-3-7. The encoding of every
 * command and message is yours too, in game_wire.ts.
 *
 * Run:   ./mywork/lab3/game_client.ts                   (server: ./mywork/lab3/game_server.ts)
 *        ./mywork/lab3/game_client.ts --bot --seed 7 --moves 50
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.7)
 */
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp, NetworkError, receiveWithin } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";
import { Bot } from "./game_bot.ts";
import { type Direction, type GameState, scores } from "./game_state.ts";
import { readKeyboard, renderBoard } from "./game_view.ts";
import * as wire from "./game_wire.ts";

const { values } = parseCommandLine({
  summary: "Game client (Task 3.7): play with the arrow keys, or let a bot play.",
  options: {
    ...peerOptions("game server", "UDP", "65400"),
    bot: { type: "boolean", description: "play alone with seeded random moves (no terminal)" },
    seed: { default: "1", description: "the bot's random seed", valueName: "N" },
    moves: { default: "100", description: "moves the bot makes before it leaves", valueName: "M" },
    timeout: { default: "3000", description: "give up when the server is silent", valueName: "MS" },
  },
});

await runMain(async () => {
  const port = parsePort(values.port);
  const server: Deno.NetAddr = { transport: "udp", hostname: values.host, port };
  const bot = new Bot(parseCount(values.seed, "--seed", 0));
  const moveLimit = parseCount(values.moves, "--moves");
  const timeout = parseMilliseconds(values.timeout, "--timeout");
  if (!values.bot && !Deno.stdin.isTerminal()) throw new UsageError("no terminal: try --bot");
  const socket = listenUdp("127.0.0.1", 0);
  const send = (command: wire.Command) => socket.send(wire.encodeCommand(command), server);
  const join: { kind: wire.CommandKind.Join; cookie?: Uint8Array } = {
    kind: wire.CommandKind.Join,
  };
  await send(join); // answered with our cookie, which goes with every join from then on
  setInterval(() => send(join).catch(() => {}), 2000); // keepalive: "still here"
  // deno-lint-ignore prefer-const -- the TODO below sets it
  let me = -1;
  // deno-lint-ignore prefer-const -- the TODO below sets it
  let state = null as GameState | null;

  const move = (direction: Direction) =>
    send({ kind: wire.CommandKind.Move, player: me, direction });
  const leave = async () => {
    await send({ kind: wire.CommandKind.Leave, player: me });
    if (!values.bot) Deno.stdin.setRaw(false);
    Deno.exit(0);
  };
  if (!values.bot) readKeyboard((key) => key === "quit" ? leave() : me >= 0 && move(key));

  async function botTurn(state: GameState): Promise<void> {
    const { x, y } = state.players[me]!;
    if (bot.moves.length < moveLimit) return void await move(bot.next({ x, y }));
    console.log(`bot: player ${me} sent ${bot.moves.length} moves ${bot.path}`);
    console.log(`bot: at (${x}, ${y}) on tick ${state.tick}, ${scores(state)[me]} cells`);
    await leave();
  }

  for (let datagram; (datagram = await receiveWithin(socket, timeout));) {
    // TODO(3.7): anyone can send us a datagram: only the server's valid ones count, so
    // ignore (one line on stderr) one from another address or one that does not decode
    // (`wire.decodeMessage`; `wire.nextState` refuses a bad delta before it changes
    // anything). A bye ends the game with its `wire.BYE_TEXT` (a NetworkError); a cookie
    // goes with every join from then on (`join.cookie`), and the join goes again at once;
    // the first welcome says which player you are (`me`; print `joined <server> as player
    // <me>`); any other message moves your copy of the grid on (`state =
    // wire.nextState(state, message)`): when its tick did not change, there is nothing
    // new to show or to answer (`continue`).
    await todo("/lab3/task-3-7#task-3-7", `read the server's ${datagram[0].length}-byte message`);
    if (!state?.players[me]) continue;
    if (values.bot) await botTurn(state);
    else await Deno.stdout.write(new TextEncoder().encode(renderBoard(state, me, true)));
  }
  throw new NetworkError(
    `no word from ${formatAddress(server)} in ${timeout} ms: is the server up?`,
  );
});
