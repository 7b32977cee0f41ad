/**
 * Graded checks for Task 1.2: `udp_receiver.ts` and `udp_sender.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertSuccess } from "../../harness/expect.ts";
import { receiveWithin, udpSend, udpSocket } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const RECEIVER = "udp_receiver.ts";
const SENDER = "udp_sender.ts";
const encode = (text: string) => new TextEncoder().encode(text);

export const checks = defineChecks(1, [
  {
    id: "1.2-receiver-line",
    task: "1.2",
    title: "receiver prints `IP: <ip> Port: <port> Message: <text>` for a datagram",
    points: 2,
    hint: "for each datagram, print the sender's IP and port (from the address that comes with " +
      "it) and the message decoded as UTF-8, exactly in that format",
    async run({ script }) {
      await using receiver = await startServer(script(RECEIVER));
      const sender = await udpSend(receiver.port, encode("This is a test"));
      try {
        const [, port] = await receiver.script.waitFor(
          /^IP: 127\.0\.0\.1 Port: (\d+) Message: This is a test$/m,
        );
        assert.equal(Number(port), (sender.addr as Deno.NetAddr).port, "wrong sender port");
      } finally {
        sender.close();
      }
    },
  },
  {
    id: "1.2-receiver-many",
    task: "1.2",
    title: "receiver prints every datagram on its own line, UTF-8 included",
    points: 1,
    hint: "keep receiving in a loop (one datagram per receive) and decode the bytes as UTF-8",
    async run({ script }) {
      await using receiver = await startServer(script(RECEIVER));
      const messages = Array.from({ length: 10 }, (_, i) => `¡Hola! número ${i} ñ`);
      const sender = await udpSend(receiver.port, ...messages.map(encode));
      try {
        await receiver.script.waitFor(/Message: ¡Hola! número 9 ñ$/m);
        for (const message of messages) {
          assert.ok(
            receiver.script.stdout.includes(`Message: ${message}\n`),
            `missing: ${message}`,
          );
        }
      } finally {
        sender.close();
      }
    },
  },
  {
    id: "1.2-sender",
    task: "1.2",
    title: "sender sends the command-line message as one datagram",
    points: 2,
    hint: "encode the message from the command line as UTF-8 and send it with one send() to " +
      "--host/--port",
    async run({ script }) {
      const socket = udpSocket();
      try {
        const port = String((socket.addr as Deno.NetAddr).port);
        const received = receiveWithin(socket, 10_000);
        received.catch(() => {}); // reported below, unless the sender already failed
        const result = await runScript(script(SENDER), ["--port", port, "Hola, UDP ✓"]);
        assertSuccess(result);
        const [data] = await received;
        assert.equal(new TextDecoder().decode(data), "Hola, UDP ✓");
      } finally {
        socket.close();
      }
    },
  },
]);
