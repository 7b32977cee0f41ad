/**
 * Graded checks for Task 2.2: `boundaries_server.ts` finds messages framed three ways
 * (fixed size, line feed, 2-byte big-endian length prefix) however the stream is cut,
 * and `dribble_client.ts` frames them and sends them a few bytes per write.
 *
 * The expected bytes are built here from the handout's definition of each framing, not
 * with the scripts' own module.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concat, reprBytes, utf8Encode } from "../../../lib/bytes.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertSuccess } from "../../harness/expect.ts";
import { chunks, TestTcpServer, writePieces } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "boundaries_server.ts";
const CLIENT = "dribble_client.ts";
const FRAMINGS = ["fixed", "line", "prefix"] as const;
const SIZE = 20;

/** `message` framed as the handout defines it. */
function framed(framing: (typeof FRAMINGS)[number], message: Uint8Array): Uint8Array {
  if (framing === "fixed") return concat(message, new Uint8Array(SIZE - message.length));
  if (framing === "line") return concat(message, Uint8Array.of(0x0a));
  return concat(Uint8Array.of(message.length >> 8, message.length & 0xff), message);
}

/**
 * Messages that a careless reader gets wrong (UTF-8 split across reads, binary bytes),
 * ending with one that names the round, so that each round's last line is its own.
 */
function messagesFor(framing: (typeof FRAMINGS)[number], round: string): Uint8Array[] {
  const messages = [utf8Encode("Hello"), utf8Encode("ñandú añejo")];
  if (framing === "prefix") messages.push(Uint8Array.of(0x0a, 0x00, 0xff, 0x0a)); // any bytes
  return [...messages, utf8Encode(`last of ${round}`)];
}

export const checks = defineChecks(2, [
  {
    id: "2.2-server-framings",
    task: "2.2",
    title: "boundaries server finds every message, dribbled or all in one write",
    points: 3,
    hint: "buffer what a read returns and cut messages by the framing (exact size, line " +
      "feed, or the 2-byte big-endian length), never by reads; print each as `message N … b'…'`",
    async run({ script }) {
      for (const framing of FRAMINGS) {
        await using server = await startServer(script(SERVER), ["--framing", framing]);
        for (const round of ["dribble", "one write"]) {
          const messages = messagesFor(framing, round);
          const stream = concat(...messages.map((message) => framed(framing, message)));
          const pieces = round === "dribble" ? chunks(stream, 1) : [stream];
          const before = server.script.stdout.length;
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
          conn.setNoDelay(true);
          try {
            await writePieces(conn, pieces);
          } finally {
            conn.close();
          }
          const last = reprBytes(messages.at(-1)!).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
          await server.script.waitFor(new RegExp(`message ${messages.length}\\b.*${last}`));
          const found = server.script.stdout.slice(before).split("\n")
            .filter((line) => /^message \d+/.test(line));
          assert.deepEqual(
            found.map((line) => line.match(/b(['"]).*\1$/)?.[0]),
            messages.map(reprBytes),
            `--framing ${framing}, ${round}`,
          );
        }
      }
    },
  },
  {
    id: "2.2-server-reads",
    task: "2.2",
    title: "boundaries server shows each read() apart from the messages",
    points: 1,
    hint: "log every read with the number of bytes it returned (wrap the connection's read), " +
      "so that reads and messages can be compared",
    async run({ script }) {
      await using server = await startServer(script(SERVER), ["--framing", "line"]);
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      conn.setNoDelay(true);
      for (const piece of ["He", "llo\nwor", "ld\n"]) { // 2, 7 and 3 bytes
        await writePieces(conn, [utf8Encode(piece)]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      conn.close();
      await server.script.waitFor(/message 2\b.*b'world'/);
      const reads = [...server.script.stdout.matchAll(/read.*?\b(\d+) bytes?/gi)];
      const sizes = reads.map((read) => Number(read[1]));
      assert.ok(sizes.length >= 2, `expected a line per read:\n${server.script.stdout}`);
      assert.equal(
        sizes.reduce((sum, n) => sum + n, 0),
        12,
        "the reads should add up to 12 bytes",
      );
    },
  },
  {
    id: "2.2-server-partial",
    task: "2.2",
    title: "a connection that ends mid-message is reported and the server goes on",
    points: 1,
    hint: "a stream that ends inside a message is an error for that connection only: log " +
      "it, close it, and keep accepting",
    async run({ script }) {
      const server = await startServer(script(SERVER), ["--framing", "prefix"]);
      try {
        const broken = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        await writePieces(broken, [Uint8Array.of(0, 10, 0x41, 0x42)]); // 2 of 10 bytes
        broken.close();
        const good = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        await writePieces(good, [framed("prefix", utf8Encode("after"))]);
        good.close();
        await server.script.waitFor(/message 1\b.*b'after'/);
      } finally {
        const result = await server.script.stop();
        assert.equal(result.code, 0, `the server did not survive:\n${result.stderr}`);
      }
    },
  },
  {
    id: "2.2-client-framings",
    task: "2.2",
    title: "dribbling client frames its messages exactly and sends them in pieces",
    points: 2,
    hint: "fixed: pad to --size with zero bytes; line: add a line feed; prefix: 2 bytes of " +
      "length, big-endian, then the bytes; then write --chunk bytes at a time",
    async run({ script }) {
      for (const framing of FRAMINGS) {
        const reads: Uint8Array[] = [];
        const server = new TestTcpServer(async (conn) => {
          const buffer = new Uint8Array(4096);
          for (let n; (n = await conn.read(buffer)) !== null;) reads.push(buffer.slice(0, n));
        });
        const words = ["ñu", "two words"];
        try {
          const result = await runScript(script(CLIENT), [
            "--port",
            String(server.port),
            "--framing",
            framing,
            "--size",
            String(SIZE),
            "--chunk",
            "4",
            "--delay",
            "30",
            "--",
            ...words,
          ]);
          assertSuccess(result);
        } finally {
          await server.close();
        }
        const expected = concat(...words.map((word) => framed(framing, utf8Encode(word))));
        assert.deepEqual(concat(...reads), expected, `the bytes sent with --framing ${framing}`);
        assert.ok(
          reads.length > 1,
          `--chunk 4 should take several writes, got ${reads.length} read`,
        );
      }
    },
  },
  {
    id: "2.2-client-refuses",
    task: "2.2",
    title: "dribbling client refuses a message its framing cannot carry, in one line",
    points: 1,
    hint: "a message longer than --size, or one holding a line feed with --framing line, " +
      "cannot be framed: say so in one line and exit non-zero before connecting",
    async run({ script }) {
      const long = await runScript(script(CLIENT), [
        "--framing",
        "fixed",
        "--size",
        "4",
        "--",
        "too long",
      ]);
      assertCleanFailure(long, /size|long|fit/i);
      const newline = await runScript(script(CLIENT), ["--framing", "line", "--", "two\nlines"]);
      assertCleanFailure(newline, /line/i);
    },
  },
]);
