/**
 * Graded checks for Task 1.1: `tcp_echo_server.ts` and `tcp_echo_client.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import {
  assertCleanFailure,
  assertHasLine,
  assertRanUntilStopped,
  assertSuccess,
} from "../../harness/expect.ts";
import {
  chunks,
  freePort,
  readAll,
  seededBytes,
  tcpExchange,
  TestTcpServer,
  writePieces,
} from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "tcp_echo_server.ts";
const CLIENT = "tcp_echo_client.ts";
const encode = (text: string) => new TextEncoder().encode(text);

export const checks = defineChecks(1, [
  {
    id: "1.1-server-echo",
    task: "1.1",
    title: "echo server sends back a short message and logs the client",
    points: 2,
    hint:
      "read in a loop and write every chunk back until read() returns null (the client closed); " +
      "print `Connected by <ip>:<port>` for each client",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      const echoed = await tcpExchange(server.port, [encode("Hello, world")]);
      assert.equal(new TextDecoder().decode(echoed), "Hello, world");
      await server.script.waitFor(/Connected by 127\.0\.0\.1:\d+/);
    },
  },
  {
    id: "1.1-server-1mib",
    task: "1.1",
    title: "echo server returns 1 MiB of binary data intact",
    points: 3,
    hint:
      "echo the bytes you read as bytes (no text decoding), write all of each chunk, and keep " +
      "reading while you write: the client sends more than fits in the socket buffers",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      const data = seededBytes(1024 * 1024, 11);
      const echoed = await tcpExchange(server.port, chunks(data, 64 * 1024));
      assert.equal(echoed.length, data.length, "the echo has a different length");
      assert.deepEqual(echoed, data, "the echo differs from what was sent");
    },
  },
  {
    id: "1.1-server-dribble",
    task: "1.1",
    title: "echo server handles data split across many small writes",
    points: 2,
    hint: "one read() returns whatever has arrived, maybe a single byte: never assume a read " +
      "holds a whole message",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      const data = seededBytes(5000, 3);
      const echoed = await tcpExchange(server.port, chunks(data, 7));
      assert.deepEqual(echoed, data);
    },
  },
  {
    id: "1.1-server-survives",
    task: "1.1",
    title: "echo server keeps serving after clients reset, vanish or stall",
    points: 2,
    hint: "handle each connection's errors on their own (a reset from one client must not end " +
      "the server) and do not let one idle client block the others",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      try {
        // Vanishes: connects and closes at once.
        (await Deno.connect({ hostname: "127.0.0.1", port: server.port })).close();
        // Resets: sends a lot, closes without reading the echo.
        const rude = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        await writePieces(rude, [seededBytes(256 * 1024, 5)]);
        rude.close();
        // Stalls: stays connected and silent while another client is served.
        const idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        try {
          const echoed = await tcpExchange(server.port, [encode("still there?")]);
          assert.equal(new TextDecoder().decode(echoed), "still there?");
        } finally {
          idle.close();
        }
      } finally {
        assertRanUntilStopped(await server.script.stop());
      }
    },
  },
  {
    id: "1.1-server-sigterm",
    task: "1.1",
    title: "echo server exits cleanly on SIGTERM",
    points: 1,
    hint: "listen for SIGINT/SIGTERM (Deno.addSignalListener), close the listener and exit 0",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      assertSuccess(await server.script.stop("SIGTERM"));
    },
  },
  {
    id: "1.1-client-echo",
    task: "1.1",
    title: "echo client prints the whole echo, even when it arrives in pieces",
    points: 2,
    hint: "after sending, half-close (closeWrite) and read until the server closes; print " +
      "`Received b'…'` with the bytes that came back",
    async run({ script }) {
      // A server that answers one byte at a time, so a single read() gets only part.
      const server = new TestTcpServer(async (conn) => {
        const message = await readAll(conn);
        await writePieces(conn, chunks(message, 1));
      });
      try {
        const result = await runScript(script(CLIENT), [
          "--port",
          String(server.port),
          "Hello, world",
        ]);
        assertSuccess(result);
        assertHasLine(result.stdout, /Received b'Hello, world'/);
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "1.1-client-refused",
    task: "1.1",
    title: "echo client explains a refused connection in one line",
    points: 1,
    hint: "catch the connection error and print one line saying the connection was refused and " +
      "what to check; exit with a non-zero code",
    async run({ script }) {
      const result = await runScript(script(CLIENT), ["--port", String(freePort())]);
      assertCleanFailure(result, /refused/i);
    },
  },
]);
