#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.3 — application-protocol server: requests and responses are a 2-byte header
 * length, a JSON header and the content (`lib/app_message.ts`), as in Real Python's
 * `libserver`, so that tutorial's client works with it.
 *
 * STARTER: the command line, the listening socket, the `listening on` line and the
 * accept loop are in place; each TODO is a step of the task, and the handout explains
 * it: /lab2/task-2-3#task-2-3.
 *
 * Run:   ./mywork/lab2/app_server.ts     (then ./mywork/lab2/app_client.ts search tcp)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.3)
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

const { values } = parseCommandLine({
  summary: "Application-protocol server (Task 2.3): JSON-header requests and responses.",
  options: { ...listenOptions("TCP", "65432"), ...idleTimeoutOption() },
});

const GLOSSARY: Record<string, string> = { // the content is UTF-8: any language, any emoji
  tcp: "a reliable, ordered stream of bytes between two sockets",
  udp: "datagrams: each one arrives whole, or not at all",
  "🧦": "a pair of socks 🧦🧦, or a pair of sockets",
};

/** Answers one client's requests, in order, until it closes or sends a bad header. */
async function serve(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  console.log(`accepted connection from ${peer}`);
  // TODO(2.3): read requests with `readMessage` from ../../lib/app_message.ts over a
  // `BufferedReader` (null: the client closed), and write a response to each:
  // - `text/json` content holds `{"action", "value"}`: `search` looks the value up in
  //   GLOSSARY (`No match for '<value>'.` otherwise), `reverse` reverses it; the
  //   response is `encodeJsonMessage({ result })`;
  // - any other content type gets `First 10 bytes of request: ` and those bytes back,
  //   as `binary/custom-server-binary-type`;
  // - an unknown action, a value that is not a string or content that is not JSON get
  //   `{ result: "Error: <reason>.", error: "<code>" }`, and the conversation goes on;
  // - a `MessageHeaderError` gets such an error response too, then the connection
  //   closes: nothing says where the next message would start.
  await todo(
    "/lab2/task-2-3#task-2-3",
    `answer ${peer}'s requests (${Object.keys(GLOSSARY).length} terms)`,
  );
}

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, serve);
  }
});
