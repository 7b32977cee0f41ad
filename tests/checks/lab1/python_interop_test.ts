/**
 * Graded checks that the Lab 1 scripts speak the same bytes as the Python programs of
 * the original handouts, in both directions. The Python side is `python/lab1_peers.py`
 * (standard `socket`, `struct` and `threading` only), written the originals' way: for
 * Task 1.5, one `send()` per message, no line end, one `recv(1024)` per answer. Skipped
 * where `python3` is not installed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type Check, defineChecks } from "../../harness/checks.ts";
import { assertHasLine, assertSuccess } from "../../harness/expect.ts";
import {
  type RunningServer,
  runScript,
  startProgram,
  startServer,
  waitForListening,
} from "../../../tools/script/process.ts";

const PEERS = fileURLToPath(new URL("../../harness/python/lab1_peers.py", import.meta.url));

/** Runs a Python peer to its end. */
async function runPeer(...args: string[]) {
  return await startProgram("python3", [PEERS, ...args]).finished(10_000);
}

/** Runs a Python peer to its end with `input` as what is typed on its stdin. */
async function runPeerWithInput(input: string, ...args: string[]) {
  const peer = startProgram("python3", [PEERS, ...args], { stdin: true });
  await peer.write(input);
  await peer.closeStdin();
  return await peer.finished(10_000);
}

/** Starts a Python peer that listens, and waits for its port. */
async function startPeer(...args: string[]): Promise<RunningServer> {
  return await waitForListening(startProgram("python3", [PEERS, ...args]));
}

/** A check that needs python3, worth one point. */
function interop(
  id: string,
  task: string,
  title: string,
  hint: string,
  run: Check["run"],
): Check {
  return { id, task, title, hint, points: 1, kind: "interoperability", requires: "python3", run };
}

export const checks = defineChecks(1, [
  interop(
    "1.1-python-client",
    "1.1",
    "the handout's Python echo client works against our echo server",
    "echo the raw bytes back unchanged; the Python client waits for as many bytes as it sent",
    async ({ script }) => {
      await using server = await startServer(script("tcp_echo_server.ts"));
      const result = await runPeer("echo-client", String(server.port), "Hello, world");
      assertSuccess(result);
      assertHasLine(result.stdout, /Received b'Hello, world'/);
    },
  ),
  interop(
    "1.1-python-server",
    "1.1",
    "our echo client works against the handout's Python echo server",
    "the Python server echoes until you close your side: half-close with closeWrite() after " +
      "sending, then read until the end",
    async ({ script }) => {
      await using peer = await startPeer("echo-server");
      const result = await runScript(script("tcp_echo_client.ts"), [
        "--port",
        String(peer.port),
        "Hola desde Deno",
      ]);
      assertSuccess(result);
      assertHasLine(result.stdout, /Received b'Hola desde Deno'/);
    },
  ),
  interop(
    "1.2-python-both-ways",
    "1.2",
    "UDP text goes both ways between our scripts and Python's sendto/recvfrom",
    "send the message as UTF-8 bytes, one datagram; print the receiver line format exactly",
    async ({ script }) => {
      // The two directions share nothing: at the same time.
      await Promise.all([
        (async () => {
          await using receiver = await startServer(script("udp_receiver.ts"));
          assertSuccess(await runPeer("udp-sender", String(receiver.port), "from Python ✓"));
          await receiver.script.waitFor(/IP: 127\.0\.0\.1 Port: \d+ Message: from Python ✓/);
        })(),
        (async () => {
          await using peer = await startPeer("udp-receiver");
          const sent = await runScript(script("udp_sender.ts"), [
            "--port",
            String(peer.port),
            "from Deno ✓",
          ]);
          assertSuccess(sent);
          await peer.script.waitFor(/IP: 127\.0\.0\.1 Port: \d+ Message: from Deno ✓/);
        })(),
      ]);
    },
  ),
  interop(
    "1.3-python-both-ways",
    "1.3",
    "UDP echo works between our scripts and Python's, both ways",
    "reply to the address each datagram came from, with the same bytes",
    async ({ script }) => {
      // The two directions share nothing: at the same time.
      await Promise.all([
        (async () => {
          await using server = await startServer(script("udp_echo_server.ts"));
          const result = await runPeer("udp-echo-client", String(server.port), "ping");
          assertSuccess(result);
          assertHasLine(result.stdout, /Received b'ping'/);
        })(),
        (async () => {
          await using peer = await startPeer("udp-echo-server");
          const result = await runScript(script("udp_echo_client.ts"), [
            "--port",
            String(peer.port),
            "pong",
          ]);
          assertSuccess(result);
          assertHasLine(result.stdout, /Received b'pong'/);
        })(),
      ]);
    },
  ),
  interop(
    "1.4-python-struct-server",
    "1.4",
    "Python's struct.unpack reads what our binary client sends",
    "pack with exactly the format's byte order and sizes, as Python's struct does",
    async ({ script }) => {
      for (
        const [format, values, expected] of [
          ["=iif", [], "(1, 4, 2.700000047683716)"],
          [">hq?", ["-2", "9000000000", "true"], "(-2, 9000000000, True)"],
        ] as const
      ) {
        await using peer = await startPeer("struct-server", format);
        const sent = await runScript(script("binary_client.ts"), [
          "--port",
          String(peer.port),
          "--format",
          format,
          "--",
          ...values,
        ]);
        assertSuccess(sent);
        const done = await peer.script.finished();
        assert.ok(
          done.stdout.includes(`Unpacked: ${expected}`),
          `Python printed:\n${done.stdout}`,
        );
      }
    },
  ),
  interop(
    "1.4-python-struct-client",
    "1.4",
    "our binary server unpacks what Python's struct.pack sends",
    "unpack with the same format as the sender; print the tuple as Python prints it",
    async ({ script }) => {
      await using server = await startServer(script("binary_server.ts"), ["--format", "!Hd?"]);
      assertSuccess(
        await runPeer("struct-client", String(server.port), "!Hd?", "65535", "-0.5", "1"),
      );
      await server.script.waitFor(/Unpacked: \(65535, -0\.5, True\)/);
    },
  ),
  interop(
    "1.5-python-request-client",
    "1.5",
    'the "Lab 14" Python client, bare words and recv(1024), gets its answers from our server',
    "the Python client sends `hello` with no line end and waits: take the bytes as a whole " +
      "message when the client falls silent, and answer `accepted` (and `closed`) with no " +
      "line end, since it compares what recv() returns with `closed` exactly",
    async ({ script }) => {
      const server = await startServer(script("conversation_server.ts"));
      try {
        const result = await runPeerWithInput(
          "hello\nhow are you\nclose\n",
          "request-client",
          String(server.port),
        );
        assertSuccess(result);
        assert.equal(result.stdout.match(/Received: accepted$/gm)?.length, 2, result.stdout);
        assertHasLine(result.stdout, /Connection to server closed/);
        await server.script.waitFor(/: how are you$/m);
        await server.script.waitFor(/clos.*close|close.*clos/i);
      } finally {
        await server.script.stop();
      }
    },
  ),
  interop(
    "1.5-python-echo-client",
    "1.5",
    "the Lab 1 Python client, greeting first and leaving with `end`, talks to our server",
    "the Python client greets with a bare message and waits for an answer; at `end` it sends " +
      "the word and closes at once, so expect the word and the end of the stream together",
    async ({ script }) => {
      const server = await startServer(script("conversation_server.ts"));
      try {
        const result = await runPeerWithInput(
          "first\nend\n",
          "echo-thread-client",
          String(server.port),
        );
        assertSuccess(result);
        assert.equal(result.stdout.match(/From the server: accepted$/gm)?.length, 2, result.stdout);
        await server.script.waitFor(/: first$/m);
        await server.script.waitFor(/said end/i);
      } finally {
        await server.script.stop();
      }
    },
  ),
  interop(
    "1.5-python-request-server",
    "1.5",
    'our client talks to the "Lab 14" Python server, which answers with no line end',
    "send each message alone with no line end (the server compares it with `close` exactly), " +
      "and take as the answer what arrives before the server falls silent",
    async ({ script }) => {
      const peer = await startPeer("request-server");
      try {
        const result = await runScript(
          script("conversation_client.ts"),
          ["--port", String(peer.port)],
          10_000,
          { input: "hello\nagain\nclose\n" },
        );
        assertSuccess(result);
        assert.equal(result.stdout.match(/Received: accepted$/gm)?.length, 2, result.stdout);
        await peer.script.waitFor(/Received: again$/m);
        await peer.script.waitFor(/Connection to client \(127\.0\.0\.1:\d+\) closed/);
      } finally {
        await peer.script.stop();
      }
    },
  ),
  interop(
    "1.5-python-echo-server",
    "1.5",
    "our client talks to the Lab 1 Python server, which echoes and ends silently at `bye`",
    "print whatever comes back as the answer (this server echoes); after a farewell, leave " +
      "even if no answer comes (wait at most --timeout), since this server never replies to bye",
    async ({ script }) => {
      const peer = await startPeer("echo-thread-server");
      try {
        const result = await runScript(
          script("conversation_client.ts"),
          ["--port", String(peer.port), "--timeout", "1000"],
          10_000,
          { input: "hello there\nbye\n" },
        );
        assertSuccess(result);
        assertHasLine(result.stdout, /Received: hello there$/m);
        await peer.script.waitFor(/Client 127\.0\.0\.1:\d+ disconnected/);
      } finally {
        await peer.script.stop();
      }
    },
  ),
]);
