/**
 * Graded checks for Task 2.1: the multi-connection echo server and client
 * (`multiconn_server.ts`, `multiconn_client.ts`) and the load generator
 * (`load_generator.ts`), with a small number of connections: the 10,000-connection run
 * is a measurement (bench/lab2_load.ts), not a check.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat, utf8Encode } from "../../../lib/bytes.ts";
import { readExact } from "../../../lib/framing.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { chunks, seededBytes, TestTcpServer, within, writePieces } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "multiconn_server.ts";
const CLIENT = "multiconn_client.ts";
const LOAD = "load_generator.ts";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An echo server of the check's own that notes the bytes it gets and the connections open at once. */
function countingEchoServer(answer: (conn: Deno.TcpConn, data: Uint8Array) => Promise<void>) {
  const stats = { open: 0, peak: 0, received: [] as Uint8Array[] };
  const server = new TestTcpServer(async (conn) => {
    stats.peak = Math.max(stats.peak, ++stats.open);
    try {
      const buffer = new Uint8Array(4096);
      for (let n; (n = await conn.read(buffer)) !== null;) {
        const data = buffer.slice(0, n);
        stats.received.push(data);
        await answer(conn, data);
      }
    } finally {
      stats.open--;
    }
  });
  return { server, stats };
}

export const checks = defineChecks(2, [
  {
    id: "2.1-server-many",
    task: "2.1",
    title: "multi-connection server echoes to 200 clients at once and logs each one",
    points: 3,
    hint: "serve every accepted connection on its own (never await one before accepting the " +
      "next); log `accepted connection from ip:port`, each echo and each close",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      const conns: Deno.TcpConn[] = [];
      try {
        for (let i = 0; i < 200; i++) {
          conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
        }
        // Every client sends its own bytes in pieces, all at the same time.
        const failures = await Promise.all(conns.map(async (conn, i) => {
          const data = seededBytes(300 + i, i + 1);
          const echo = readExact(conn, data.length);
          echo.catch(() => {}); // a failure is reported below; closing the socket ends it
          try {
            await writePieces(conn, chunks(data, 64, i + 1));
            assert.deepEqual(await within(echo, 20_000, "echo"), data, "a different echo");
            return null;
          } catch (error) {
            return `connection ${i}: ${(error as Error).message}`;
          }
        }));
        assert.deepEqual(failures.filter((failure) => failure !== null).slice(0, 3), []);
        const ports = conns.map((conn) => conn.localAddr.port);
        conns.forEach((conn) => conn.close());
        conns.length = 0;
        // Closes are logged in whatever order the server sees them, so wait for each one.
        const deadline = Date.now() + 20_000;
        for (const port of ports) {
          const logged = (event: string) =>
            new RegExp(`${event}\\w*.*127\\.0\\.0\\.1:${port}\\b`, "i");
          await server.script.waitFor(logged("clos"), Math.max(deadline - Date.now(), 1));
          assert.match(server.script.stdout, logged("accept"), `no accept logged for ${port}`);
        }
      } finally {
        conns.forEach((conn) => conn.close());
        const result = await server.script.stop();
        assert.equal(result.code, 0, `the server did not survive:\n${result.stderr}`);
      }
    },
  },
  {
    id: "2.1-client-queues",
    task: "2.1",
    title: "multi-connection client sends each connection's queue and counts the bytes",
    points: 3,
    hint: "open --connections connections at once; on each, send every message in order and " +
      "read until as many bytes came back as were sent, then close it",
    async run({ script }) {
      // Echoes a byte at a time: no read gets a whole message.
      const { server, stats } = countingEchoServer(async (conn, data) => {
        for (const piece of chunks(data, 1)) await writePieces(conn, [piece]);
      });
      try {
        const messages = ["first message", "second, ñ", "third"];
        const result = await runScript(
          script(CLIENT),
          ["--port", String(server.port), "--connections", "5", "--", ...messages],
          20_000,
        );
        assertSuccess(result);
        const total = concat(...messages.map(utf8Encode)).length;
        assert.equal(stats.peak, 5, "the 5 connections should be open at the same time");
        const all = concat(...stats.received);
        assert.equal(all.length, 5 * total, "every connection sends its whole queue once");
        for (let id = 1; id <= 5; id++) {
          // e.g. "closing connection 3 (27 bytes sent, 27 received)"
          const [line] = assertHasLine(
            result.stdout,
            new RegExp(`clos\\w* connection ${id}\\b.*`, "i"),
          );
          const counts = line.match(/\d+/g)!.slice(1).map(Number);
          assert.deepEqual(
            counts.filter((n) => n === total).length,
            2,
            `sent and received: ${line}`,
          );
        }
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.1-client-waits",
    task: "2.1",
    title: "multi-connection client closes only once all of its bytes are back",
    points: 2,
    hint: "count the bytes received on each connection and close it when the count reaches " +
      "the bytes sent, not before (and not never)",
    async run({ script }) {
      const expected = utf8Encode("slow echo").length;
      const closedTooSoon: boolean[] = [];
      // Echoes in three pieces with pauses, watching for the client's close all along.
      const server = new TestTcpServer(async (conn) => {
        const data = await readExact(conn, expected);
        let lastWritten = false;
        const closed = conn.read(new Uint8Array(16)).catch(() => null).then(() => {
          closedTooSoon.push(!lastWritten);
        });
        for (const piece of [data.subarray(0, 3), data.subarray(3, 6), data.subarray(6)]) {
          await pause(150);
          await writePieces(conn, [piece]).catch(() => {});
        }
        lastWritten = true;
        await within(closed, 10_000, "close from the client");
      });
      try {
        const result = await runScript(script(CLIENT), [
          "--port",
          String(server.port),
          "--connections",
          "2",
          "--",
          "slow echo",
        ]);
        assertSuccess(result);
      } finally {
        await server.close();
      }
      assert.deepEqual(closedTooSoon, [false, false], "each connection closes after its last byte");
    },
  },
  {
    id: "2.1-client-short-echo",
    task: "2.1",
    title: "multi-connection client reports a server that closes before echoing everything",
    points: 1,
    hint: "when read() returns null before all bytes are back, stop with one line saying how " +
      "many bytes came back, and a non-zero exit code",
    async run({ script }) {
      const server = new TestTcpServer(async (conn) => {
        const data = await readExact(conn, 4);
        await writePieces(conn, [data]); // only the first 4 bytes, then hang up
      });
      try {
        const result = await runScript(script(CLIENT), [
          "--port",
          String(server.port),
          "--connections",
          "1",
          "--",
          "a longer message",
        ]);
        assertCleanFailure(result, /4\b/);
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.1-load-generator",
    task: "2.1",
    title: "load generator holds 200 connections at once and reports p50/p99 round trips",
    points: 2,
    hint: "open all the connections first (a first echo on each proves the server holds it), " +
      "then time round trips on all of them; print the count held and the percentiles",
    async run({ script }) {
      const { server, stats } = countingEchoServer((conn, data) => writePieces(conn, [data]));
      try {
        const result = await runScript(
          script(LOAD),
          [
            "--port",
            String(server.port),
            "--connections",
            "200",
            "--rounds",
            "3",
            "--interval",
            "100",
          ],
          30_000,
        );
        assertSuccess(result);
        assertHasLine(result.stdout, /connections held: 200 of 200/);
        assertHasLine(result.stdout, /p50 [\d.]+ ms, p99 [\d.]+ ms/);
        assert.equal(stats.peak, 200, "all 200 connections should be open at the same time");
      } finally {
        await server.close();
      }
    },
  },
]);
