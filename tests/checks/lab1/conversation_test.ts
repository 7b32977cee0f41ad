/**
 * Graded checks for Task 1.5: the concurrent conversational server and its interactive
 * client (`conversation_server.ts`, `conversation_client.ts`), and the same pair over UDP
 * (`udp_conversation_server.ts`, `udp_conversation_client.ts`).
 *
 * The conversation: the client sends messages, the server answers each with `accepted`;
 * `close`, `bye` or `end` gets `closed` and ends it. A message ends at a line end, or,
 * for peers that send bare words as the Python originals do, where the sender falls
 * silent; an answer uses the framing of the message it answers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { utf8Decode, utf8Encode } from "../../../lib/bytes.ts";
import { BufferedReader } from "../../../lib/framing.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertRanUntilStopped, assertSuccess } from "../../harness/expect.ts";
import {
  freePort,
  receiveWithin,
  TestTcpServer,
  udpSocket,
  within,
  writePieces,
} from "../../harness/peers.ts";
import {
  type RunningScript,
  runScript,
  startScript,
  startServer,
} from "../../../tools/script/process.ts";

const SERVER = "conversation_server.ts";
const CLIENT = "conversation_client.ts";
const UDP_SERVER = "udp_conversation_server.ts";
const UDP_CLIENT = "udp_conversation_client.ts";
const ANSWER_MS = 5000;

/** A client of the check's own that sends lines and reads the answers, one per line. */
class LineClient {
  private constructor(readonly conn: Deno.TcpConn, readonly answers: BufferedReader) {}

  static async connect(port: number): Promise<LineClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new LineClient(conn, new BufferedReader(conn));
  }

  get port(): number {
    return this.conn.localAddr.port;
  }

  async send(text: string): Promise<void> {
    await writePieces(this.conn, [utf8Encode(text)]);
  }

  /** The next answer line, or null when the server has closed the connection. */
  async answer(): Promise<string | null> {
    return await within(this.answers.readLine(), ANSWER_MS, "answer");
  }

  async say(line: string): Promise<string | null> {
    await this.send(`${line}\n`);
    return await this.answer();
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

/** Runs a client script with `input` piped to its stdin. */
const runWithInput = (path: string, args: string[], input: string) =>
  runScript(path, args, 15_000, { input });

/**
 * A server of the check's own that answers like the reference one, noting each message it
 * gets: a line, or bare words followed by a pause (the client may frame either way).
 */
function fakeServer(received: string[]): TestTcpServer {
  return new TestTcpServer(async (conn) => {
    const messages = new BufferedReader(conn);
    for (let m; (m = await messages.readLineOrPause({ pauseMs: 200 })) !== null;) {
      received.push(m.line);
      const farewell = ["close", "bye", "end"].includes(m.line.trim().toLowerCase());
      const lineEnd = m.ended === "newline" ? "\n" : "";
      await writePieces(conn, [utf8Encode(`${farewell ? "closed" : "accepted"}${lineEnd}`)]);
      if (farewell) return;
    }
  });
}

/** Reads the next answer up to a line end or a pause of `ms`, as raw text; "" at the end. */
async function readBurst(reader: BufferedReader, ms = 300): Promise<string> {
  const burst = await within(reader.readLineOrPause({ pauseMs: ms }), ANSWER_MS, "answer");
  if (burst === null) return "";
  return burst.line + (burst.ended === "newline" ? "\n" : "");
}

/** Stops a server and fails if it had ended before (it crashed on the way). */
async function stopCleanly(server: RunningScript): Promise<void> {
  assertRanUntilStopped(await server.stop());
}

export const checks = defineChecks(1, [
  {
    id: "1.5-server-many-clients",
    task: "1.5",
    title: "conversational server answers 20 clients at once, an idle one included",
    points: 3,
    hint: "serve each connection on its own (do not await one client before accepting the " +
      "next), answer `accepted` to every line, and log each client's ip:port",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      const clients: LineClient[] = [];
      try {
        const idle = await LineClient.connect(server.port); // connected, says nothing
        clients.push(idle);
        for (let i = 0; i < 20; i++) clients.push(await LineClient.connect(server.port));
        const talkers = clients.slice(1);
        for (const round of ["first", "second"]) {
          const answers = await Promise.all(
            talkers.map((client, i) => client.say(`${round} line from client ${i}`)),
          );
          assert.deepEqual(answers, talkers.map(() => "accepted"), `${round} round of answers`);
        }
        for (const client of clients) {
          await server.script.waitFor(new RegExp(`127\\.0\\.0\\.1:${client.port}\\b`));
        }
        assert.equal(await idle.say("close"), "closed", "the idle client got no answer");
      } finally {
        clients.forEach((client) => client.close());
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-server-farewells",
    task: "1.5",
    title: "close, bye and end (any case) get `closed`, then the server hangs up",
    points: 2,
    hint: "compare the trimmed line, in lower case, with close/bye/end; answer `closed` and " +
      "close that connection (only that one)",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      try {
        for (const word of ["close", "bye", "end", "CLOSE"]) {
          const client = await LineClient.connect(server.port);
          try {
            assert.equal(await client.say("hello"), "accepted");
            assert.equal(await client.say(word), "closed", `the answer to ${word}`);
            assert.equal(await client.answer(), null, `the server stayed connected after ${word}`);
          } finally {
            client.close();
          }
        }
      } finally {
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-server-bare-words",
    task: "1.5",
    title: "a message sent alone without a line end is answered, and a bare close closes",
    points: 2,
    hint: "the Python originals send `hello` with no line end and wait for the answer: when " +
      "bytes without a line end are followed by silence (a few hundred ms), take them as a " +
      "message, and answer it with no line end (`accepted`, `closed`)",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      const answers = new BufferedReader(conn);
      try {
        await writePieces(conn, [utf8Encode("hello")]);
        assert.equal(await readBurst(answers), "accepted", "the answer to a bare hello");
        await writePieces(conn, [utf8Encode("close")]);
        assert.equal(await readBurst(answers), "closed", "the answer to a bare close");
        assert.equal(await readBurst(answers), "", "the server stayed connected after close");
      } finally {
        conn.close();
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-server-stream",
    task: "1.5",
    title: "conversational server finds lines however TCP splits or joins them",
    points: 1,
    hint: "a read returns whatever bytes have arrived: part of a line, or several lines; keep " +
      "a buffer and answer each complete line (lib/framing.ts BufferedReader.readLine)",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      const client = await LineClient.connect(server.port);
      try {
        await client.send("one\r\ntw");
        await new Promise((resolve) => setTimeout(resolve, 100));
        await client.send("o\nthree\nfour\n");
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await client.answer());
        assert.deepEqual(answers, ["accepted", "accepted", "accepted", "accepted"]);
        await server.script.waitFor(/: four$/m);
        for (const line of ["one", "two", "three"]) {
          assert.match(server.script.stdout, new RegExp(`: ${line}$`, "m"), `line ${line} logged`);
        }
      } finally {
        client.close();
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-server-vanishing",
    task: "1.5",
    title: "a client that vanishes mid-line or mid-answer does not disturb the others",
    points: 2,
    hint: "end that client's conversation when its read returns null or fails, log it, and " +
      "keep serving; never let one connection's error end the server",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      const steady = await LineClient.connect(server.port);
      try {
        assert.equal(await steady.say("before"), "accepted");
        const halfLine = await LineClient.connect(server.port);
        await halfLine.send("no line end");
        halfLine.close();
        // Sends many lines and leaves without reading the answers.
        const flood = await LineClient.connect(server.port);
        await flood.send("spam\n".repeat(20_000));
        flood.close();
        const address = `127\\.0\\.0\\.1:${halfLine.port}\\b`;
        await server.script.waitFor(new RegExp(`${address}.*clos|clos.*${address}`, "i"));
        assert.equal(await steady.say("after"), "accepted");
        assert.equal(await steady.say("bye"), "closed");
      } finally {
        steady.close();
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-client-piped",
    task: "1.5",
    title: "conversational client sends piped lines in turn and stops at `closed`",
    points: 2,
    hint: "read stdin line by line (not all at once); send each line as one message, read " +
      "one answer, print `Received: <answer>`; stop at `closed` or at the end of stdin",
    async run({ script }) {
      const received: string[] = [];
      const server = fakeServer(received);
      try {
        const args = ["--port", String(server.port)];
        const result = await runWithInput(script(CLIENT), args, "first\nsecond\nclose\nafter\n");
        assertSuccess(result);
        assert.deepEqual(received, ["first", "second", "close"], "the lines the server got");
        assert.equal(result.stdout.match(/Received: accepted/g)?.length, 2, result.stdout);

        received.length = 0;
        const ended = await runWithInput(script(CLIENT), args, "only line\n");
        assertSuccess(ended);
        assert.deepEqual(received, ["only line"], "the client should just leave at end of input");
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "1.5-client-turns",
    task: "1.5",
    title: "conversational client answers each line as it is typed",
    points: 1,
    hint: "do not wait for the end of stdin: send each line as soon as it is read and print " +
      "the answer before reading the next line",
    async run({ script }) {
      const received: string[] = [];
      const server = fakeServer(received);
      const client = await startScript(script(CLIENT), ["--port", String(server.port)], {
        stdin: true,
      });
      try {
        await client.write("typed by hand\n");
        await client.waitFor(/Received: accepted/);
        assert.deepEqual(received, ["typed by hand"]);
        await client.write("end\n");
        assertSuccess(await client.finished());
      } finally {
        await client.stop();
        await server.close();
      }
    },
  },
  {
    id: "1.5-client-refused",
    task: "1.5",
    title: "conversational client explains a refused connection in one line",
    points: 1,
    hint: "catch the connection error, print one line saying it was refused, exit non-zero",
    async run({ script }) {
      const result = await runWithInput(script(CLIENT), ["--port", String(freePort())], "hi\n");
      assertCleanFailure(result, /refused/i);
    },
  },
  {
    id: "1.5-udp-server",
    task: "1.5",
    title: "UDP conversational server answers each sender at its own address",
    points: 2,
    hint: "reply to the address that came with each datagram: `accepted`, or `closed` for " +
      "close/bye/end; log each new sender's ip:port",
    async run({ script }) {
      const server = await startServer(script(UDP_SERVER));
      const to: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: server.port };
      const sockets = [udpSocket(), udpSocket(), udpSocket()];
      try {
        for (const [i, socket] of sockets.entries()) {
          await socket.send(utf8Encode(`hello from ${i}`), to);
        }
        for (const socket of sockets) {
          assert.equal(
            utf8Decode((await receiveWithin(socket, ANSWER_MS, server.script))[0]),
            "accepted",
          );
        }
        for (const socket of sockets) {
          await server.script.waitFor(
            new RegExp(`127\\.0\\.0\\.1:${(socket.addr as Deno.NetAddr).port}\\b`),
          );
        }
        await sockets[1].send(utf8Encode("Bye"), to);
        assert.equal(
          utf8Decode((await receiveWithin(sockets[1], ANSWER_MS, server.script))[0]),
          "closed",
        );
      } finally {
        sockets.forEach((socket) => socket.close());
        await stopCleanly(server.script);
      }
    },
  },
  {
    id: "1.5-udp-client",
    task: "1.5",
    title: "UDP conversational client: one datagram per line, and a timeout for silence",
    points: 2,
    hint: "send each line as one datagram, wait for one answer, stop at `closed`; when no " +
      "answer comes within --timeout ms, print one line and exit non-zero",
    async run({ script }) {
      const peer = udpSocket();
      const port = String((peer.addr as Deno.NetAddr).port);
      const received: string[] = [];
      const answering = (async () => {
        for await (const [data, from] of peer) {
          const line = utf8Decode(data);
          received.push(line);
          await peer.send(utf8Encode(line === "close" ? "closed" : "accepted"), from);
        }
      })();
      try {
        const result = await runWithInput(script(UDP_CLIENT), ["--port", port], "a\nb\nclose\n");
        assertSuccess(result);
        assert.deepEqual(received, ["a", "b", "close"], "one datagram per line, no line ends");
        assert.equal(result.stdout.match(/Received: accepted/g)?.length, 2, result.stdout);
      } finally {
        peer.close();
        await answering.catch(() => {});
      }
      const silent = udpSocket();
      try {
        const args = ["--port", String((silent.addr as Deno.NetAddr).port), "--timeout", "300"];
        assertCleanFailure(await runWithInput(script(UDP_CLIENT), args, "anyone?\n"), /answer/i);
      } finally {
        silent.close();
      }
    },
  },
]);
