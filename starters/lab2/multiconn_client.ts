#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — multi-connection client: opens --connections connections at once, sends
 * each one its own queue of messages, counts the bytes sent and received, and closes a
 * connection as soon as all of its bytes have come back.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab2/task-2-1#task-2-1.
 *
 * Run:   ./mywork/lab2/multiconn_client.ts --connections 3      (with multiconn_server.ts)
 *        ./mywork/lab2/multiconn_client.ts --connections 2 -- "one" "two" "three"
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.1)
 */
import { parseCommandLine, parseCount, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { formatAddress } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

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

/** One connection's whole life: send its queue, read until every byte is back, close. */
async function runConnection(id: number, host: string, port: number): Promise<number> {
  console.log(`starting connection ${id} to ${host}:${port}`);
  // TODO(2.1): connect, and send this connection's own copy of `messages` one by one
  // (`sending <bytes> to connection <id>`) while reading in the background: the server
  // echoes as you send. Count the bytes received (`received <bytes> from connection
  // <id>`) until all that you sent is back, fail with one line if the server closes
  // before, then log `closing connection <id> (<sent> bytes sent, <received> received)`,
  // close it and return the bytes received.
  return await todo(
    "/lab2/task-2-1#task-2-1",
    `connection ${id}: send its ${messages.length} messages, read them back`,
  );
}

await runMain(async () => {
  const count = parseCount(values.connections, "--connections");
  const port = parsePort(values.port);
  // All at the same time: each connection waits on its own socket, not on the others.
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const received = await Promise.all(ids.map((id) => runConnection(id, values.host, port)));
  const server = formatAddress({ transport: "tcp", hostname: values.host, port });
  const bytes = received.reduce((sum, n) => sum + n, 0);
  console.log(`${count} connections to ${server} done: ${bytes} bytes echoed back in all`);
});
