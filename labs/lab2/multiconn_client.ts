#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — multi-connection client: opens --connections connections at once, sends
 * each one its own queue of messages, counts the bytes sent and received, and closes a
 * connection as soon as all of its bytes have come back.
 *
 * The Python original registers every socket with a selector and loops over "ready"
 * events, keeping a record per connection (`connid`, `msg_total`, `recv_total`,
 * `messages`). Here each connection is one async function whose locals are that record;
 * the runtime switches between them whenever one waits.
 *
 * Run: ./labs/lab2/multiconn_client.ts --connections 3      (with multiconn_server.ts)
 *      ./labs/lab2/multiconn_client.ts --connections 2 -- "one" "two" "three"
 */
import { parseCommandLine, parseCount, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { previewBytes, utf8Encode } from "../../lib/bytes.ts";
import { writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress, NetworkError } from "../../lib/net.ts";

const { values, positionals } = parseCommandLine({
  summary: "Multi-connection client (Task 2.1): N connections, each with a queue of messages.",
  options: {
    ...peerOptions("echo server", "TCP", "65432"),
    connections: { default: "2", valueName: "N", description: "connections to open at once" },
  },
  arguments: "[-- MESSAGE...]",
});
const words = positionals.length > 0
  ? positionals
  : ["Message 1 from client.", "Message 2 from client."];
const messages = words.map(utf8Encode);

// #region connection
/** One connection's whole life: send its queue, read until every byte is back, close. */
async function runConnection(id: number, host: string, port: number): Promise<number> {
  console.log(`starting connection ${id} to ${host}:${port}`);
  const conn = await connectTcp(host, port);
  const queue = [...messages];
  const total = queue.reduce((sum, message) => sum + message.length, 0);
  try {
    const receiving = (async () => { // reads while the queue is still being sent
      const buffer = new Uint8Array(1024);
      let received = 0;
      while (received < total) {
        const n = await conn.read(buffer);
        if (n === null) {
          throw new NetworkError(`connection ${id}: closed after ${received} of ${total} bytes`);
        }
        received += n;
        console.log(`received ${previewBytes(buffer.subarray(0, n))} from connection ${id}`);
      }
      return received;
    })();
    let sent = 0;
    for (let message; (message = queue.shift()) !== undefined; sent += message.length) {
      console.log(`sending ${previewBytes(message)} to connection ${id}`);
      await writeAll(conn, message);
    }
    const received = await receiving;
    console.log(`closing connection ${id} (${sent} bytes sent, ${received} received)`);
    return received;
  } finally {
    conn.close();
  }
}
// #endregion connection

await runMain(async () => {
  const count = parseCount(values.connections, "--connections");
  const port = parsePort(values.port);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const received = await Promise.all(ids.map((id) => runConnection(id, values.host, port)));
  const server = formatAddress({ transport: "tcp", hostname: values.host, port });
  const bytes = received.reduce((sum, n) => sum + n, 0);
  console.log(`${count} connections to ${server} done: ${bytes} bytes echoed back in all`);
});
