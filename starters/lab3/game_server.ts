#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 3.7 — game server: owns the grid, takes one-byte commands over UDP and sends every
 * client the state each tick: the moves when it can, the whole grid (compressed when that
 * pays) when the players change and every 50 ticks. Anyone can send a datagram, so each is
 * checked: a bad byte, someone else's player id or a flood costs its sender, nobody else.
 *
 * STARTER: the command line, the bound socket, the `listening on` line and the loops are
 * in place; so are the game's rules (game_state.ts) and the table of clients with its
 * limits (game_client_table.ts), copied whole. Each TODO is a step of the task, and the
 * handout explains it: /lab3/task-3-7#task-3-7. The encoding of every command and message is
 * yours too, in game_wire.ts.
 *
 * Run:   ./mywork/lab3/game_server.ts    (then ./mywork/lab3/game_client.ts in other terminals)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.7)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Game server (Task 3.7): a grid game for up to 10 players over UDP.",
  options: {
    ...listenOptions("UDP", "65400"),
    tick: { default: "100", description: "time between two ticks", valueName: "MS" },
  },
});

await runMain(async () => {
  const tickMs = parseMilliseconds(values.tick, "--tick");
  const socket = listenUdp(values.host, parsePort(values.port));
  // TODO(3.7): the server's state: a `Game` (./game_state.ts), a `ClientTable`
  // (./game_client_table.ts) that reports each offending sender in one line, and a
  // `Logger("game", …)` (../../lib/logging.ts) for joins, leaves and offences.

  /** Handles one datagram from `address`. */
  function receive(_data: Uint8Array, _address: Deno.NetAddr): void {
    // TODO(3.7): judge the sender first (`clients.arrive(address)`: ignore a banned one,
    // send a flooder a bye and drop it); then `wire.decodeCommand(data)`, where a
    // WireError is an offence (`clients.offence`). Anybody can forge a sender's address:
    // a join or watch without the address's cookie gets the cookie
    // (`wire.encodeCookie(clients.cookie(address))`, no bigger than the question), one
    // with a wrong cookie is an offence, and only one with the right cookie makes a
    // client (a player id from `game.join()`, or SPECTATOR; a bye when the game is full)
    // and gets a welcome. A command for a player that is not the sender's own is an
    // offence; leave drops the client; a move is queued (`game.queue(player, direction)`).
    todo("/lab3/task-3-7#task-3-7", "handle each command datagram");
  }

  /** Moves the game on by one tick and tells every client. */
  function tick(): void {
    // TODO(3.7): drop the clients that went silent (`clients.startTick()`), advance the
    // game (`game.tick()` gives the moves and whether players joined or left), and send
    // every client the delta, or the full state when the players changed, a newcomer
    // arrived, or every KEYFRAME_EVERY ticks, through `wire.compressIfSmaller`.
    // (Until then a tick does nothing: the server keeps listening, and the first
    // datagram stops it at the TODO of `receive`.)
  }

  setInterval(tick, tickMs);
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const [data, address] of socket) receive(data, address as Deno.NetAddr);
});
