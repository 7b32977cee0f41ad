import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  acceptConnections,
  connectTcp,
  formatAddress,
  listenTcp,
  listenUdp,
  NetworkError,
  receiveWithin,
  sendDatagram,
} from "../../../lib/net.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { assertCleanFailure } from "../../harness/expect.ts";
import { runScriptAsNobody } from "../../../tools/script/process.ts";

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
    const server = fileURLToPath(new URL("../../../labs/lab1/tcp_echo_server.ts", import.meta.url));
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

Deno.test("sendDatagram explains why a loopback-bound socket cannot reach another host", async () => {
  // A stand-in socket that fails the way Linux does (EINVAL); nothing is ever sent.
  const refusing = {
    addr: { transport: "udp", hostname: "127.0.0.1", port: 40000 } as Deno.NetAddr,
    send: () => Promise.reject(new TypeError("Invalid argument (os error 22)")),
  };
  const elsewhere: Deno.NetAddr = { transport: "udp", hostname: "192.0.2.7", port: 5005 };
  await assert.rejects(sendDatagram(refusing, new Uint8Array([1]), elsewhere), (error) => {
    assert.ok(error instanceof NetworkError);
    assert.match(error.message, /^cannot send from 127\.0\.0\.1:40000 to 192\.0\.2\.7:5005: /);
    assert.match(error.message, /--bind 0\.0\.0\.0/);
    return true;
  });
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const receiver = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    await sendDatagram(socket, new Uint8Array([7, 8]), receiver.addr as Deno.NetAddr);
    const [data] = await receiver.receive();
    assert.deepEqual(data, new Uint8Array([7, 8]));
  } finally {
    socket.close();
    receiver.close();
  }
});

Deno.test("acceptConnections outlives a failed accept and ends when the listener closes", async () => {
  const conn = {} as Deno.TcpConn;
  const outcomes: (() => Deno.TcpConn)[] = [
    () => {
      throw new Error("Too many open files (os error 24)");
    },
    () => conn,
    () => {
      throw new Deno.errors.BadResource("Listener has been closed");
    },
  ];
  const listener = {
    accept: () => Promise.resolve().then(outcomes.shift()!),
  } as unknown as Deno.Listener<Deno.TcpConn>;
  const accepted = [];
  for await (const each of acceptConnections(listener)) accepted.push(each);
  assert.deepEqual(accepted, [conn]);
});
