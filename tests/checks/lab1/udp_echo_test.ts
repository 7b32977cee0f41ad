/**
 * Graded checks for Task 1.3: `udp_echo_server.ts` and `udp_echo_client.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { receiveWithin, seededBytes, udpSend, udpSocket } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "udp_echo_server.ts";
const CLIENT = "udp_echo_client.ts";

export const checks = defineChecks(1, [
  {
    id: "1.3-server-echo",
    task: "1.3",
    title: "UDP echo server returns each datagram to its own sender",
    points: 2,
    hint: "reply with send(data, address) using the address that came with the datagram",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      const senders: Deno.DatagramConn[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const data = seededBytes(100 + i, i + 1); // binary, zero bytes included
          const sender = await udpSend(server.port, data);
          senders.push(sender);
          const [echo] = await receiveWithin(sender, 5000, server.script);
          assert.deepEqual(echo, data, `sender ${i} got a different echo`);
        }
      } finally {
        senders.forEach((sender) => sender.close());
      }
    },
  },
  {
    id: "1.3-server-large",
    task: "1.3",
    title: "UDP echo server echoes a 60,000-byte datagram whole",
    points: 1,
    hint: "a datagram arrives whole or not at all; make sure nothing truncates it",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      const data = seededBytes(60_000, 9);
      const sender = await udpSend(server.port, data);
      try {
        const [echo] = await receiveWithin(sender, 5000, server.script);
        assert.equal(echo.length, data.length);
        assert.deepEqual(echo, data);
      } finally {
        sender.close();
      }
    },
  },
  {
    id: "1.3-client-echo",
    task: "1.3",
    title: "UDP echo client sends a datagram and prints the echo",
    points: 2,
    hint: "send the message, then wait for one datagram and print `Received b'…'`",
    async run({ script }) {
      const echoer = udpSocket();
      const port = String((echoer.addr as Deno.NetAddr).port);
      const echoing = receiveWithin(echoer, 10_000).then(([data, from]) => echoer.send(data, from));
      echoing.catch(() => {}); // reported below, unless the client already failed
      try {
        const result = await runScript(script(CLIENT), ["--port", port, "Hello, UDP"]);
        assertSuccess(result); // a client that failed sends nothing more: no need to wait
        await echoing;
        assertHasLine(result.stdout, /Received b'Hello, UDP'/);
      } finally {
        echoer.close();
      }
    },
  },
  {
    id: "1.3-client-timeout",
    task: "1.3",
    title: "UDP echo client gives up after --timeout with one clear line",
    points: 1,
    hint: "UDP never says nobody is listening: stop waiting after --timeout ms, print one line " +
      "and exit non-zero",
    async run({ script }) {
      const silent = udpSocket(); // receives, never answers
      try {
        const port = String((silent.addr as Deno.NetAddr).port);
        const result = await runScript(script(CLIENT), ["--port", port, "--timeout", "300"]);
        assertCleanFailure(result, /no reply/i);
      } finally {
        silent.close();
      }
    },
  },
]);
