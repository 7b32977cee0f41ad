/**
 * Graded checks of Lab 3's servers against hostile peers (`tests/harness/hostile.ts`):
 * the game server and the syslog collector must stay up and keep serving a good client
 * through floods, empty and maximal datagrams, many source ports and a sender at port 0.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as wire from "../../../labs/lab3/game_wire.ts";
import { defineChecks } from "../../harness/checks.ts";
import { printed, robustnessCheck, uniqueToken } from "../../harness/hostile.ts";
import { receiveWithin, udpSend, udpSocket } from "../../harness/peers.ts";

export const checks = defineChecks(3, [
  robustnessCheck({
    name: "game_server.ts",
    task: "3.7",
    transport: "udp",
    async good({ port }, timeoutMs) {
      // A spectator's whole visit: watch, cookie, watch with it, welcome, leave.
      const socket = udpSocket();
      const server: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port };
      const timer = setTimeout(() => socket.close(), timeoutMs);
      try {
        const watch = { kind: wire.CommandKind.Watch } as const;
        await socket.send(wire.encodeCommand(watch), server);
        const cookie = wire.decodeMessage((await receiveWithin(socket, timeoutMs))[0]);
        assert.equal(cookie.type, wire.MessageType.Cookie);
        await socket.send(wire.encodeCommand({ ...watch, cookie: cookie.cookie }), server);
        let message;
        do message = wire.decodeMessage((await receiveWithin(socket, timeoutMs))[0]); while (
          message.type !== wire.MessageType.Welcome
        );
        const leave = { kind: wire.CommandKind.Leave, player: wire.SPECTATOR } as const;
        await socket.send(wire.encodeCommand(leave), server);
      } finally {
        clearTimeout(timer);
        try {
          socket.close();
        } catch { /* closed by the timer */ }
      }
    },
  }),
  robustnessCheck({
    name: "syslog_collector.ts",
    task: "3.6",
    transport: "udp",
    async good(server, timeoutMs) {
      const token = uniqueToken();
      // No answer comes: the exchange is the datagram and the line the collector prints.
      (await udpSend(server.port, new TextEncoder().encode(`<13>${token}`))).close();
      await printed(server, token, timeoutMs);
    },
  }),
]);
