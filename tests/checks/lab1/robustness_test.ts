/**
 * Graded checks of Lab 1's servers against hostile peers (`tests/harness/hostile.ts`):
 * each server must stay up and keep serving a good client while others reset, flood,
 * stall or send garbage. The good client of each is one ordinary exchange of its task.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SelectiveRepeatSender, sendOverUdp } from "../../../lib/reliable_udp.ts";
import {
  decodeResponse,
  encodeReading,
  PowerSource,
  Status,
} from "../../../labs/lab1/sensor_protocol.ts";
import { defineChecks } from "../../harness/checks.ts";
import {
  printed,
  robustnessCheck,
  tcpExchange,
  udpExchange,
  uniqueToken,
} from "../../harness/hostile.ts";
import { udpSend } from "../../harness/peers.ts";
import type { RunningServer } from "../../../tools/script/process.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** An echo of a unique line over TCP. */
async function tcpEcho({ port }: RunningServer, timeoutMs: number): Promise<void> {
  const token = encode(`${uniqueToken()}\n`);
  const echo = await tcpExchange(port, token, (got) => got.length >= token.length, timeoutMs);
  assert.equal(decode(echo), decode(token));
}

/** A reading of the sensor protocol from a device of its own, and its OK response. */
function reading(): Uint8Array {
  return encodeReading({
    seq: 1,
    device: 4242,
    timestamp: Date.now(),
    temperature: 21.5,
    humidity: 40,
    rssi: -60,
    battery: 90,
    power: PowerSource.BATTERY,
    flags: 0,
    note: null,
  });
}

function assertOk(response: Uint8Array): void {
  const decoded = decodeResponse(response);
  assert.equal(decoded.status, Status.OK);
  assert.equal(decoded.ack, 1);
}

export const checks = defineChecks(1, [
  robustnessCheck({
    name: "tcp_echo_server.ts",
    task: "1.1",
    transport: "tcp",
    good: tcpEcho,
  }),
  robustnessCheck({
    name: "udp_receiver.ts",
    task: "1.2",
    transport: "udp",
    async good(server, timeoutMs) {
      const token = uniqueToken();
      (await udpSend(server.port, encode(token))).close();
      await printed(server, token, timeoutMs);
    },
  }),
  robustnessCheck({
    name: "udp_echo_server.ts",
    task: "1.3",
    transport: "udp",
    async good({ port }, timeoutMs) {
      const token = uniqueToken();
      assert.equal(decode(await udpExchange(port, encode(token), timeoutMs)), token);
    },
  }),
  robustnessCheck({
    name: "binary_server.ts",
    task: "1.4",
    transport: "tcp",
    async good(server, timeoutMs) {
      // A record of the default format '=iif' whose first field names this exchange.
      const id = 1 + Math.floor(Math.random() * 2 ** 30);
      const record = new DataView(new ArrayBuffer(12));
      record.setInt32(0, id, true);
      record.setInt32(4, 7, true);
      record.setFloat32(8, 0.5, true);
      await tcpExchange(server.port, new Uint8Array(record.buffer), () => true, timeoutMs);
      await printed(server, `Unpacked: (${id}, 7, 0.5)`, timeoutMs);
    },
  }),
  robustnessCheck({
    name: "conversation_server.ts",
    task: "1.5",
    transport: "tcp",
    async good({ port }, timeoutMs) {
      const answer = await tcpExchange(
        port,
        encode("hello\n"),
        (got) => got.includes(10),
        timeoutMs,
      );
      assert.equal(decode(answer), "accepted\n");
    },
  }),
  robustnessCheck({
    name: "udp_conversation_server.ts",
    task: "1.5",
    transport: "udp",
    async good({ port }, timeoutMs) {
      assert.equal(decode(await udpExchange(port, encode("hello"), timeoutMs)), "accepted");
    },
  }),
  robustnessCheck({
    name: "sensor_server_tcp.ts",
    task: "D1",
    transport: "tcp",
    closesIdle: false, // a sensor may be silent between messages (sensor_protocol.md)
    async good({ port }, timeoutMs) {
      assertOk(await tcpExchange(port, reading(), (got) => got.length >= 24, timeoutMs));
    },
  }),
  robustnessCheck({
    name: "sensor_server_udp.ts",
    task: "D1",
    transport: "udp",
    async good({ port }, timeoutMs) {
      assertOk(await udpExchange(port, reading(), timeoutMs));
    },
  }),
  robustnessCheck({
    name: "reliable_udp_receiver.ts",
    task: "O2",
    transport: "udp",
    async good(server, timeoutMs) {
      const data = encode(`${uniqueToken()} `.repeat(100));
      const stream = Math.floor(Math.random() * 2 ** 16);
      const sender = new SelectiveRepeatSender(data, { stream, segmentSize: 1000 });
      const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
      const to: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: server.port };
      await sendOverUdp(sender, socket, to, timeoutMs);
      const digest = createHash("sha256").update(data).digest("hex");
      await printed(server, `sha256 ${digest}`, timeoutMs);
    },
  }),
]);
