/**
 * Tests of the course's UDP impairment proxy (`tools/impairment/udp_impairment_proxy.ts`).
 * It is a tool the reliable-UDP checks and the students use, not a graded task, so
 * these are plain tests and always run the reference script.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CheckContext, TOOLS_DIR } from "../../harness/checks.ts";
import { scriptContractChecks } from "../../harness/contract.ts";
import { assertHasLine } from "../../harness/expect.ts";
import { receiveWithin, udpSocket } from "../../harness/peers.ts";
import { startServer } from "../../../tools/script/process.ts";

const PROXY = `${TOOLS_DIR}/impairment/udp_impairment_proxy.ts`;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const address = (port: number): Deno.NetAddr => ({ transport: "udp", hostname: "127.0.0.1", port });
const portOf = (socket: Deno.DatagramConn) => (socket.addr as Deno.NetAddr).port;

/** Datagrams that reach `socket` until `quietMs` pass without one. */
async function drain(socket: Deno.DatagramConn, quietMs: number): Promise<string[]> {
  const texts: string[] = [];
  while (true) {
    try {
      texts.push(decode((await receiveWithin(socket, quietMs))[0]));
    } catch {
      return texts;
    }
  }
}

Deno.test("proxy: forwards both ways unchanged, each reply to its own client", async () => {
  const server = udpSocket();
  const echoing = (async () => {
    for await (const [data, from] of server) {
      await server.send(encode(`echo ${decode(data)}`), from);
    }
  })();
  await using proxy = await startServer(PROXY, ["--to-port", `${portOf(server)}`]);
  const clients = [udpSocket(), udpSocket()];
  try {
    for (const [i, client] of clients.entries()) {
      await client.send(encode(`from ${i}`), address(proxy.port));
      const [reply, from] = await receiveWithin(client, 5000);
      assert.equal(decode(reply), `echo from ${i}`);
      assert.equal(from.port, proxy.port, "the reply comes from the proxy");
    }
  } finally {
    clients.forEach((client) => client.close());
    server.close();
    await echoing.catch(() => {});
  }
});

Deno.test("proxy: --loss 100% lets nothing through and reports it on exit", async () => {
  const server = udpSocket();
  const proxy = await startServer(PROXY, ["--to-port", `${portOf(server)}`, "--loss", "100%"]);
  const client = udpSocket();
  try {
    for (let i = 0; i < 5; i++) await client.send(encode(`${i}`), address(proxy.port));
    assert.deepEqual(await drain(server, 300), []);
  } finally {
    client.close();
    server.close();
    const { stdout } = await proxy.script.stop();
    assertHasLine(stdout, /client → server: 5 datagrams \(5 bytes\) in, 5 lost/);
  }
});

Deno.test("proxy: the same seed loses the same datagrams, another seed others", async () => {
  async function survivors(seed: string): Promise<string[]> {
    const server = udpSocket();
    await using proxy = await startServer(PROXY, [
      ...["--to-port", `${portOf(server)}`, "--loss", "40%", "--seed", seed],
    ]);
    const client = udpSocket();
    try {
      for (let i = 0; i < 40; i++) await client.send(encode(`${i}`), address(proxy.port));
      const arrived = await drain(server, 1000);
      // Once the proxy has ended, whatever it forwarded is already queued on our socket.
      const { stdout } = await proxy.script.stop();
      arrived.push(...await drain(server, 100));
      const [, lost] = assertHasLine(stdout, /client → server: 40 datagrams .* in, (\d+) lost/);
      assert.equal(arrived.length, 40 - Number(lost), "every datagram not lost arrives");
      return arrived.sort((a, b) => Number(a) - Number(b));
    } finally {
      client.close();
      server.close();
    }
  }
  const first = await survivors("11");
  assert.ok(first.length > 10 && first.length < 35, `${first.length} of 40 got through`);
  assert.deepEqual(await survivors("11"), first);
  assert.notDeepEqual(await survivors("12"), first);
});

for (
  const check of scriptContractChecks([{
    name: "impairment/udp_impairment_proxy.ts",
    task: "O2",
    server: true,
  }])
) {
  Deno.test(`proxy: ${check.title}`, () => check.run(CheckContext.tools()));
}

Deno.test("proxy: holds a socket for at most 256 clients, however many source ports send", async () => {
  const server = udpSocket();
  await using proxy = await startServer(PROXY, ["--to-port", `${portOf(server)}`]);
  const descriptors = async () => {
    const ls = new Deno.Command("ls", { args: [`/proc/${proxy.script.pid}/fd`] });
    return new TextDecoder().decode((await ls.output()).stdout).trim().split("\n").length;
  };
  try {
    const before = await descriptors();
    for (let batch = 0; batch < 6; batch++) { // 600 source ports, 100 at a time
      const clients = Array.from({ length: 100 }, () => udpSocket());
      await Promise.all(clients.map((client) => client.send(encode("x"), address(proxy.port))));
      for (let i = 0; i < 100; i++) await receiveWithin(server, 5000); // all forwarded
      clients.forEach((client) => client.close());
    }
    const held = (await descriptors()) - before;
    assert.ok(held <= 256, `the proxy holds ${held} more descriptors after 600 clients`);
  } finally {
    server.close();
  }
});
