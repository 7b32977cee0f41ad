#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.1 — TCP echo server: sends every byte it receives straight back.
 *
 * STARTER: the command line, the listening socket and the `listening on` line are in
 * place (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab1/task-1-1#task-1-1.
 *
 * Run:   ./mywork/lab1/tcp_echo_server.ts          (then your client in a 2nd terminal)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.1)
 */
import {
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "TCP echo server (Task 1.1): sends back every byte it receives.",
  options: { ...listenOptions("TCP", "65432"), ...idleTimeoutOption() },
});

/** Reads until the client closes its side, writing each chunk back unchanged. */
async function echo(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  console.log(`Connected by ${peer}`);
  // TODO(1.1): read into a buffer in a loop (`await conn.read(buffer)` gives the number
  // of bytes read, or null once the client has closed its side) and write each chunk
  // back with `writeAll` from ../../lib/framing.ts, which writes all of it.
  await todo("/lab1/task-1-1#task-1-1", `read what ${peer} sends and write it back`);
}

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  // TODO(1.1): on Ctrl-C or SIGTERM, close the listener and exit with code 0:
  // `exitOnSignal(() => listener.close())` from ../../lib/cli.ts does both.
  console.log(`listening on ${formatAddress(listener.addr)}`);
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    // Not awaited: each client is served on its own, so one slow client does not hold
    // up the next (Task 1.5 looks at this closely).
    serveConnection(conn, echo);
  }
});
