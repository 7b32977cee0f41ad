/**
 * Graded checks for Task 2.3: `app_server.ts` and `app_client.ts`, which speak the
 * JSON-header protocol of `lib/app_message.ts` (2-byte header length, JSON header,
 * content), and their interop with Python peers in the design of Real Python's
 * `libclient`/`libserver` (`python/app_peers.py`, skipped without python3).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  decodeJsonContent,
  encodeJsonMessage,
  encodeMessage,
  type Message,
  readMessage,
} from "../../../lib/app_message.ts";
import { concat, utf8Decode, utf8Encode } from "../../../lib/bytes.ts";
import { BufferedReader } from "../../../lib/framing.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { TestTcpServer, writePieces } from "../../harness/peers.ts";
import {
  type RunningServer,
  runScript,
  startProgram,
  startServer,
  waitForListening,
} from "../../../tools/script/process.ts";

const SERVER = "app_server.ts";
const CLIENT = "app_client.ts";
const PEERS = fileURLToPath(new URL("../../harness/python/lab2_app_peers.py", import.meta.url));
const BINARY_REQUEST = "binary/custom-client-binary-type";
const BINARY_RESPONSE = "binary/custom-server-binary-type";

/** A message with a JSON header written by hand, to break the rules on purpose. */
function rawMessage(headerText: string, content: Uint8Array = new Uint8Array()): Uint8Array {
  const header = utf8Encode(headerText);
  return concat(new Uint8Array([header.length >> 8, header.length & 0xff]), header, content);
}

/** A well-formed header for `length` bytes of content, with `changes` applied. */
function headerText(length: number, changes: Record<string, unknown> = {}): string {
  return JSON.stringify({
    "byteorder": "little",
    "content-type": "text/json",
    "content-encoding": "utf-8",
    "content-length": length,
    ...changes,
  });
}

/** A connection to the server under test that gives up (closes) after `timeoutMs`. */
class Conversation {
  readonly reader: BufferedReader;
  readonly #timer: ReturnType<typeof setTimeout>;

  private constructor(readonly conn: Deno.TcpConn, timeoutMs: number) {
    this.reader = new BufferedReader(conn);
    this.#timer = setTimeout(() => conn.close(), timeoutMs);
  }

  static async open(port: number, timeoutMs = 10_000): Promise<Conversation> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true); // each piece of a dribble leaves as its own segment
    return new Conversation(conn, timeoutMs);
  }

  /** Sends `pieces` with a pause after each, so the server reads them one by one. */
  async send(pieces: Uint8Array[], pauseMs = 0): Promise<void> {
    for (const piece of pieces) {
      await writePieces(this.conn, [piece]);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** The next response, checked to be a well-formed message. */
  async response(): Promise<Message> {
    const message = await readMessage(this.reader).catch((error) => {
      throw new Error(`no complete, well-formed response: ${error.message}`);
    });
    assert.ok(message, "the server closed the connection instead of responding");
    assert.equal(message.header["content-length"], message.content.length);
    return message;
  }

  /** The next response, which must be `text/json`, decoded. */
  async jsonResponse(): Promise<Record<string, unknown>> {
    const message = await this.response();
    assert.equal(message.header["content-type"], "text/json", "expected a text/json response");
    return Object(decodeJsonContent(message));
  }

  /** Whether the server closes the connection within `timeoutMs`, sending nothing more. */
  async closedByServer(timeoutMs = 3000): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stillOpen = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const read = this.reader.read(new Uint8Array(1)).then(
      (count) => count === null,
      () => true, // a reset also ends the connection
    );
    const closed = await Promise.race([read, stillOpen]);
    clearTimeout(timer);
    return closed;
  }

  close(): void {
    clearTimeout(this.#timer);
    try {
      this.conn.close();
    } catch { /* closed by the timer or already closed */ }
  }
}

/** Runs `body` against a fresh server under test; the server must survive it. */
async function withServer(path: string, body: (server: RunningServer) => Promise<void>) {
  const server = await startServer(path);
  try {
    await body(server);
  } finally {
    const result = await server.script.stop();
    assert.equal(result.code, 0, `the server did not exit cleanly:\n${result.stderr}`);
  }
}

/** Runs `body` with a new connection to `port`, closed afterwards. */
async function converse<T>(port: number, body: (c: Conversation) => Promise<T>): Promise<T> {
  const conversation = await Conversation.open(port);
  try {
    return await body(conversation);
  } finally {
    conversation.close();
  }
}

/** One request on a new connection; returns the decoded JSON response. */
function ask(port: number, request: Uint8Array): Promise<Record<string, unknown>> {
  return converse(port, async (conversation) => {
    await conversation.send([request]);
    return await conversation.jsonResponse();
  });
}

/** Splits `message` at its stage boundaries and inside each stage. */
function stagePieces(message: Uint8Array): Uint8Array[] {
  const headerEnd = 2 + ((message[0] << 8) | message[1]);
  const cuts = [1, 2, 10, headerEnd - 1, headerEnd, headerEnd + 3, message.length];
  return cuts.map((end, i) => message.slice(i === 0 ? 0 : cuts[i - 1], end));
}

/** A server of the check's own that answers one request with `respond` and records it. */
function scriptedServer(respond: (request: Message) => Uint8Array) {
  const requests: Message[] = [];
  const server = new TestTcpServer(async (conn) => {
    const request = await readMessage(new BufferedReader(conn));
    if (request === null) return;
    requests.push(request);
    const answer = respond(request);
    for (let i = 0; i < answer.length; i += 5) { // in small pieces: the client must reassemble
      await writePieces(conn, [answer.subarray(i, i + 5)]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  return { server, requests };
}

export const checks = defineChecks(2, [
  {
    id: "2.3-server-text-actions",
    task: "2.3",
    title: "protocol server answers search and reverse with text/json results",
    points: 2,
    hint: "read the 2-byte length, then the JSON header, then content-length bytes; decode the " +
      'JSON content and answer with a text/json message {"result": …} whose header has ' +
      "byteorder, content-type, content-encoding and the exact content-length",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        await converse(port, async (conversation) => {
          await conversation.send([encodeJsonMessage({ action: "search", value: "tcp" })]);
          const found = await conversation.response();
          for (const field of ["byteorder", "content-type", "content-encoding"]) {
            assert.ok(field in found.header, `the response header has no '${field}'`);
          }
          const { result } = Object(decodeJsonContent(found));
          assert.match(String(result), /stream/, "search tcp should find the glossary entry");
          // Same connection: the server keeps reading requests after answering one.
          await conversation.send([encodeJsonMessage({ action: "search", value: "no-such" })]);
          assert.equal((await conversation.jsonResponse()).result, "No match for 'no-such'.");
          await conversation.send([encodeJsonMessage({ action: "reverse", value: "añ🧦b" })]);
          assert.equal((await conversation.jsonResponse()).result, "b🧦ña");
        });
      });
    },
  },
  {
    id: "2.3-server-binary",
    task: "2.3",
    title: "protocol server answers binary content with binary/custom-server-binary-type",
    points: 2,
    hint: "a request whose content-type is not text/json is binary: answer " +
      "`First 10 bytes of request: ` followed by its first 10 bytes, as " +
      "binary/custom-server-binary-type with content-encoding binary",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        const content = new Uint8Array([0, 1, 2, 0xff, 0xfe, 10, 13, 7, 8, 9, 99, 100]);
        await converse(port, async (conversation) => {
          await conversation.send([encodeMessage(content, BINARY_REQUEST, "binary")]);
          const response = await conversation.response();
          assert.equal(response.header["content-type"], BINARY_RESPONSE);
          assert.equal(response.header["content-encoding"], "binary");
          const expected = concat(utf8Encode("First 10 bytes of request: "), content.slice(0, 10));
          assert.deepEqual(response.content, expected);
        });
      });
    },
  },
  {
    id: "2.3-server-dribble",
    task: "2.3",
    title: "protocol server parses requests that arrive in pieces, or two in one write",
    points: 2,
    hint: "never assume one read holds a whole stage: read exactly 2 bytes, then exactly the " +
      "header length, then exactly content-length bytes, each across as many reads as it takes, " +
      "and keep what is left over for the next request",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        await converse(port, async (conversation) => {
          const request = encodeJsonMessage({ action: "reverse", value: "dribbled" });
          await conversation.send(stagePieces(request), 30);
          assert.equal((await conversation.jsonResponse()).result, "delbbird");
          const binary = encodeMessage(utf8Encode("0123456789abc"), BINARY_REQUEST, "binary");
          await conversation.send([concat(request, binary)]);
          assert.equal((await conversation.jsonResponse()).result, "delbbird");
          const second = await conversation.response();
          assert.equal(utf8Decode(second.content), "First 10 bytes of request: 0123456789");
        });
      });
    },
  },
  {
    id: "2.3-server-unknown-action",
    task: "2.3",
    title: "protocol server answers an unknown action or bad JSON content with an error",
    points: 2,
    hint: 'answer {"result": "Error: …", "error": "unknown-action"} (or "malformed-content" ' +
      "when the content is not JSON) and keep the connection open for the next request",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        await converse(port, async (conversation) => {
          await conversation.send([encodeJsonMessage({ action: "destroy", value: "all" })]);
          const unknown = await conversation.jsonResponse();
          assert.equal(unknown.error, "unknown-action");
          assert.match(String(unknown.result), /^Error: .*destroy/);
          const notJson = utf8Encode("{not json");
          await conversation.send([rawMessage(headerText(notJson.length), notJson)]);
          assert.equal((await conversation.jsonResponse()).error, "malformed-content");
          await conversation.send([encodeJsonMessage({ action: "search", value: "udp" })]);
          const after = await conversation.jsonResponse();
          assert.equal(after.error, undefined, "a good request after the errors was refused");
        });
      });
    },
  },
  {
    id: "2.3-server-malformed-header",
    task: "2.3",
    title: "protocol server answers a malformed header with an error, closes, and stays up",
    points: 3,
    hint: "check the JSON header before trusting it (valid JSON object, the four fields, a " +
      'sane content-length); answer {"error": "malformed-header", …}, close that connection ' +
      "and go on serving others",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        const malformed = [
          rawMessage("this is not JSON"),
          rawMessage("[1, 2, 3]"),
          rawMessage(JSON.stringify({ "content-type": "text/json", "content-length": 0 })),
          rawMessage(headerText(0, { "content-length": "12" })),
          rawMessage(headerText(0, { "content-length": -5 })),
          rawMessage(headerText(0, { "byteorder": "middle" })),
          rawMessage(headerText(1 << 30)), // a gigabyte: refuse before allocating it
          new Uint8Array([0x00, 0x02, 0xc3, 0x28]), // not even UTF-8
        ];
        for (const [i, request] of malformed.entries()) {
          await converse(port, async (conversation) => {
            await conversation.send([request]);
            const answer = await conversation.jsonResponse();
            assert.equal(answer.error, "malformed-header", `malformed request ${i}: ${answer}`);
            assert.match(String(answer.result), /^Error: /);
            assert.ok(await conversation.closedByServer(), `request ${i}: connection left open`);
          });
        }
        const { result } = await ask(port, encodeJsonMessage({ action: "search", value: "tcp" }));
        assert.match(String(result), /stream/, "the server stopped answering good requests");
      });
    },
  },
  {
    id: "2.3-client-text",
    task: "2.3",
    title: "protocol client sends ACTION VALUE as text/json and prints the result",
    points: 2,
    hint: 'send {"action": ACTION, "value": VALUE} as UTF-8 JSON with a full JSON header; ' +
      "read the response in three stages (it may come in pieces) and print `Got result: …`",
    async run({ script }) {
      const { server, requests } = scriptedServer(() => encodeJsonMessage({ result: "found ✓" }));
      try {
        const result = await runScript(script(CLIENT), ["--port", `${server.port}`, "search", "é"]);
        assertSuccess(result);
        assertHasLine(result.stdout, /Got result: found ✓/);
        const [request] = requests;
        assert.ok(request, "the server received no complete request");
        assert.equal(request.header["content-type"], "text/json");
        assert.deepEqual(decodeJsonContent(request), { action: "search", value: "é" });
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.3-client-binary",
    task: "2.3",
    title: "protocol client sends --binary words as binary content and prints the response",
    points: 1,
    hint: "with --binary send the words' bytes as binary/custom-client-binary-type (encoding " +
      "binary) and print the binary response as bytes: `Got response: …`",
    async run({ script }) {
      const { server, requests } = scriptedServer(() =>
        encodeMessage(new Uint8Array([0x41, 0x00, 0x42]), BINARY_RESPONSE, "binary")
      );
      try {
        const args = ["--port", `${server.port}`, "--binary", "raw", "bytes"];
        const result = await runScript(script(CLIENT), args);
        assertSuccess(result);
        assertHasLine(result.stdout, /Got response: .*b'A\\x00B'/);
        const [request] = requests;
        assert.ok(request, "the server received no complete request");
        assert.equal(request.header["content-type"], BINARY_REQUEST);
        assert.equal(utf8Decode(request.content), "raw bytes");
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.3-client-error",
    task: "2.3",
    title: "protocol client reports an error response in one line and exits non-zero",
    points: 1,
    hint: 'print the result, then end with one line naming the "error" field and a non-zero exit',
    async run({ script }) {
      const { server } = scriptedServer(() =>
        encodeJsonMessage({ result: "Error: invalid action 'x'.", error: "unknown-action" })
      );
      try {
        const result = await runScript(script(CLIENT), ["--port", `${server.port}`, "x", "y"]);
        assertCleanFailure(result, /unknown-action/);
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.3-client-timeout",
    task: "2.3",
    title: "protocol client gives up on a silent server after --timeout, in one line",
    points: 1,
    hint: "a server may accept the connection and never answer: stop waiting after --timeout " +
      "ms (close the connection to end the read), print one line and exit non-zero",
    async run({ script }) {
      let requested = false;
      // Reads the request, then says nothing until the client hangs up.
      const server = new TestTcpServer(async (conn) => {
        requested = (await readMessage(new BufferedReader(conn))) !== null;
        await conn.readable.pipeTo(new WritableStream());
      });
      try {
        const started = Date.now();
        const args = ["--port", `${server.port}`, "--timeout", "700", "search", "tcp"];
        const result = await runScript(script(CLIENT), args, 15_000);
        assertCleanFailure(result, /700|respon|answer|time ?out/i, 1);
        assert.ok(requested, "the server never got the whole request");
        assert.ok(Date.now() - started >= 700, "the client gave up before the timeout");
      } finally {
        await server.close();
      }
    },
  },
  {
    id: "2.3-python-client",
    task: "2.3",
    title: "a Python client in the design of Real Python's libclient works with our server",
    points: 1,
    kind: "interoperability",
    requires: "python3",
    hint: "the JSON header needs all four fields; binary requests get the `First 10 bytes of " +
      "request: ` answer; the Python client reads one response and closes",
    async run({ script }) {
      await withServer(script(SERVER), async ({ port }) => {
        const peer = (...args: string[]) =>
          startProgram("python3", [PEERS, "client", `${port}`, ...args]).finished();
        const text = await peer("search", "udp");
        assertSuccess(text);
        assertHasLine(text.stdout, /Got result: datagrams/);
        const binary = await peer("upload", "12345678");
        assertSuccess(binary);
        assertHasLine(binary.stdout, /Got response: b'First 10 bytes of request: upload1234'/);
      });
    },
  },
  {
    id: "2.3-python-server",
    task: "2.3",
    title: "our client works with a Python server in the design of Real Python's libserver",
    points: 1,
    kind: "interoperability",
    requires: "python3",
    hint: "send one complete request; the Python server answers once and then closes",
    async run({ script }) {
      await using peer = await waitForListening(startProgram("python3", [PEERS, "server"]));
      const client = (...args: string[]) =>
        runScript(script(CLIENT), ["--port", `${peer.port}`, ...args]);
      const text = await client("search", "ring");
      assertSuccess(text);
      assertHasLine(text.stdout, /Got result: Under the mountain\. 💍/);
      const binary = await client("--binary", "0123456789xyz");
      assertSuccess(binary);
      assertHasLine(binary.stdout, /First 10 bytes of request: 0123456789'/);
      await peer.script.waitFor(/request \{'action': 'search', 'value': 'ring'\}/);
    },
  },
]);
