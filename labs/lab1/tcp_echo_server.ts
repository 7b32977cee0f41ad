#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.1 — TCP echo server: sends every byte it receives straight back.
 *
 * The Python original does `socket()`, `bind()`, `listen()`, `accept()`, then
 * `recv()`/`sendall()` until the client closes. In Deno, `Deno.listen` does the
 * first three, iterating the listener accepts, and `read`/`write` move the bytes.
 *
 * Run:   ./labs/lab1/tcp_echo_server.ts            (then the client in a 2nd terminal)
 * Watch: ss -tan 'sport = :65432'
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { previewBytes } from "../../lib/bytes.ts";
import { writeAll } from "../../lib/framing.ts";
import { formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "TCP echo server (Task 1.1): sends back every byte it receives.",
  options: listenOptions("TCP", "65432"),
});

// #region echo
/** Reads until the client closes its side, writing each chunk back unchanged. */
async function echo(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  console.log(`Connected by ${peer}`);
  const buffer = new Uint8Array(1024); // like recv(1024): at most 1 KiB per read
  let total = 0;
  for (let n; (n = await conn.read(buffer)) !== null;) {
    const data = buffer.subarray(0, n);
    console.log(`Received ${n} bytes from ${peer}: ${previewBytes(data)}`);
    await writeAll(conn, data);
    total += n;
  }
  console.log(`${peer} closed the connection after ${total} bytes`);
}
// #endregion echo

await runMain(async () => {
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  // #region accept
  for await (const conn of listener) {
    // Not awaited: each client is served on its own, so one slow client does not hold
    // up the next (Task 1.5 looks at this closely).
    serveConnection(conn, echo);
  }
  // #endregion accept
});
