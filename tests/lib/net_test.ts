import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  connectTcp,
  formatAddress,
  listenTcp,
  listenUdp,
  NetworkError,
  receiveWithin,
} from "../../lib/net.ts";
import { hasProgram } from "../harness/checks.ts";
import { assertCleanFailure } from "../harness/expect.ts";
import { runScriptAsNobody } from "../harness/process.ts";

Deno.test("formatAddress brackets IPv6 hosts", () => {
  assert.equal(
    formatAddress({ transport: "tcp", hostname: "127.0.0.1", port: 80 }),
    "127.0.0.1:80",
  );
  assert.equal(formatAddress({ transport: "udp", hostname: "::1", port: 5005 }), "[::1]:5005");
});

Deno.test("a port in use and a refused connection become NetworkErrors with advice", async () => {
  const listener = listenTcp("127.0.0.1", 0);
  const { port } = listener.addr;
  try {
    assert.throws(() => listenTcp("127.0.0.1", port), (error) => {
      assert.ok(error instanceof NetworkError);
      assert.match(error.message, new RegExp(`address 127\\.0\\.0\\.1:${port} is already in use`));
      return true;
    });
  } finally {
    listener.close();
  }
  await assert.rejects(connectTcp("127.0.0.1", port), (error) => {
    assert.ok(error instanceof NetworkError);
    assert.match(error.message, new RegExp(`connection refused by 127\\.0\\.0\\.1:${port}`));
    return true;
  });
});

const canDropRoot = Deno.uid() === 0 && hasProgram("setpriv");

Deno.test({
  name: "a privileged port (below 1024) is explained to a user who is not root",
  ignore: !canDropRoot,
  async fn() {
    const server = fileURLToPath(new URL("../../labs/lab1/tcp_echo_server.ts", import.meta.url));
    const result = await runScriptAsNobody(server, ["--port", "80"]);
    assertCleanFailure(result, /port 80 is privileged \(below 1024\)/);
  },
});
if (!canDropRoot) console.log("skipping the privileged-port test: it needs root and setpriv");

Deno.test("receiveWithin returns a datagram, or null and a closed socket at the deadline", async () => {
  const socket = listenUdp("127.0.0.1", 0);
  const sender = listenUdp("127.0.0.1", 0);
  try {
    await sender.send(Uint8Array.of(1, 2, 3), socket.addr);
    const received = await receiveWithin(socket, 5000);
    assert.deepEqual(received?.[0], Uint8Array.of(1, 2, 3));
    assert.equal(await receiveWithin(socket, 30), null);
    await assert.rejects(() => socket.receive(), Deno.errors.BadResource);
  } finally {
    sender.close();
  }
});
