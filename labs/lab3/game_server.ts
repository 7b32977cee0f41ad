#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 3.7 — game server: owns the grid, takes one-byte commands over UDP and sends every
 * client the state each tick: the moves when it can, the whole grid (compressed when that
 * pays) when the players change and every 50 ticks. Anyone can send a datagram, so each is
 * checked: a bad byte, someone else's player id or a flood costs its sender, nobody else.
 * Anyone can also forge a datagram's sender: a join gets the address's cookie first, and
 * only an address that sends it back (so it receives there) becomes a client. A forged
 * join thus costs its victim one 5-byte datagram, not ten ticks a second.
 *
 * Run: ./labs/lab3/game_server.ts    (then ./labs/lab3/game_client.ts in other terminals)
 */
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { Logger, stderrHandler } from "../../lib/logging.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { type Client, ClientTable, FLOOD_LIMIT } from "./game_client_table.ts";
import { Game } from "./game_state.ts";
import * as wire from "./game_wire.ts";

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
  const game = new Game();
  const log = new Logger("game", { level: "info", handlers: [stderrHandler] });
  const clients = new ClientTable((line) => log.warning(line));
  let newcomer = false; // a spectator needs a full state too

  // A failed send concerns one address: said once (a minute), never the end of the server.
  const send = (to: Deno.NetAddr, message: Uint8Array) =>
    socket.send(message, to).catch((e) => clients.offence(to, `unreachable: ${describeError(e)}`));
  const drop = (client: Client, why: string) => {
    clients.delete(client);
    if (client.player !== wire.SPECTATOR) game.leave(client.player);
    log.info(`${client.key}: ${wire.playerName(client.player)} ${why}`);
  };

  // #region receive
  function receive(data: Uint8Array, address: Deno.NetAddr): void {
    const arrival = clients.arrive(address);
    if (arrival.verdict === "ignore") return;
    if (arrival.verdict === "flooded") {
      drop(arrival.client, `sent over ${FLOOD_LIMIT} datagrams in one tick: disconnected`);
      return void send(address, wire.encodeBye(wire.ByeReason.Flooding));
    }
    const { client } = arrival;
    let command: wire.Command;
    try {
      command = wire.decodeCommand(data);
    } catch (error) {
      return clients.offence(address, describeError(error));
    }
    if (command.kind === wire.CommandKind.Join || command.kind === wire.CommandKind.Watch) {
      if (!clients.hasCookie(address, command.cookie)) { // first, prove you receive there
        if (command.cookie) return clients.offence(address, "a join with a wrong cookie");
        return void send(address, wire.encodeCookie(clients.cookie(address)));
      }
      if (client) return void send(address, wire.encodeWelcome(client.player)); // keepalive
      const full = wire.encodeBye(wire.ByeReason.ServerFull);
      if (clients.full) return void send(address, full); // ten players and 40 spectators
      const player = command.kind === wire.CommandKind.Join ? game.join() : wire.SPECTATOR;
      if (player === null) return void send(address, full);
      log.info(`${clients.add(address, player).key}: ${wire.playerName(player)} joined`);
      newcomer = true;
      return void send(address, wire.encodeWelcome(player));
    }
    if (client?.player !== command.player) {
      return clients.offence(address, `command for player ${command.player}, not its own`);
    }
    if (command.kind === wire.CommandKind.Leave) return drop(client, "left");
    game.queue(command.player, command.direction); // at most 3 wait; more are dropped
  }
  // #endregion receive

  // #region tick
  function tick(): void {
    for (const client of clients.startTick()) drop(client, "went silent: dropped");
    const { moves, rosterChanged } = game.tick();
    const full = rosterChanged || newcomer || game.state.tick % wire.KEYFRAME_EVERY === 0;
    newcomer = false;
    const plain = full ? wire.encodeFull(game.state) : wire.encodeDelta(game.state.tick, moves);
    const update = wire.compressIfSmaller(plain);
    for (const client of clients) send(client.address, update);
  }
  // #endregion tick

  setInterval(tick, tickMs);
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const [data, address] of socket) receive(data, address as Deno.NetAddr);
});
