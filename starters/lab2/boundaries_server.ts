#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.2 — message boundaries: a server that prints every read() next to the messages
 * it finds in them, so that you can see that the two do not line up.
 *
 * STARTER: the command line, the listening socket, the `listening on` line and the
 * accept loop are in place; each TODO is a step of the task, and the handout explains
 * it: /lab2/task-2-2#task-2-2. The framings themselves are yours too, in boundaries.ts.
 *
 * Run:   ./mywork/lab2/boundaries_server.ts --framing prefix
 *        ./mywork/lab2/dribble_client.ts --framing prefix     (in a second terminal)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.2)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";
import { FRAMING_FLAGS, parseFraming } from "./boundaries.ts";

const { values } = parseCommandLine({
  summary: "Message boundaries (Task 2.2): shows reads and the messages found in them.",
  options: { ...listenOptions("TCP", "65432"), ...FRAMING_FLAGS, ...idleTimeoutOption() },
});

await runMain(async () => {
  const choice = parseFraming(values);
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)} for --framing ${choice.framing}`);

  /** Prints each read and each message of one connection. */
  async function showMessages(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    console.log(`${peer} connected`);
    // TODO(2.2): wrap the connection in a Reader of your own whose `read` calls
    // `conn.read` and prints `  read() got <n> bytes: <bytes>` (`previewBytes`), and read
    // through a `BufferedReader` over it with `readMessage(reader, choice)`
    // (boundaries.ts), printing `message <n> from <peer>: <bytes>` until it gives null;
    // then `<peer> closed the connection after <n> messages`.
    await todo("/lab2/task-2-2#task-2-2", `show ${peer}'s reads and ${choice.framing} messages`);
  }

  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, showMessages);
  }
});
