#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.1 — TCP echo server: sends every byte it receives straight back.
 *
 * The Python original does `socket()`, `bind()`, `listen()`, `accept()`, then
 * `recv()`/`sendall()` until the client closes. In Deno, `Deno.listen` does the
 * first three, `acceptConnections` accepts, and `read`/`write` move the bytes.
 *
 * A server cannot trust its clients to behave: one may reset its connection before it
 * is accepted, go silent, or never read its echo. The accept loop skips the first, and
 * --idle-timeout closes a connection on which nothing has moved for that long.
 *
 * Run:   ./labs/lab1/tcp_echo_server.ts            (then the client in a 2nd terminal)
 * Watch: ss -tan 'sport = :65432'
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
import { ReadBuffer } from "../../lib/buffers.ts";
import { writeAll } from "../../lib/framing.ts";
import { TrafficLog } from "../../lib/logging.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "TCP echo server (Task 1.1): sends back every byte it receives.",
  options: { ...listenOptions("TCP", "65432"), ...idleTimeoutOption() },
});

// #region echo
/** Reads until the client closes its side, writing each chunk back unchanged. */
async function echo(conn: Deno.TcpConn): Promise<void> {
  const peer = formatAddress(conn.remoteAddr);
  console.log(`Connected by ${peer}`);
  // A line per read would cost more than the echo: a burst of reads gets one line.
  const received = new TrafficLog(({ reads, bytes, preview }) => {
    const which = reads === 1 ? "" : ` in ${reads} reads, the first`;
    console.log(`Received ${bytes} bytes from ${peer}${which}: ${preview}`);
  });
  // Python's recv(1024) takes a kilobyte at a time: a read and a write per kilobyte. This
  // buffer waits small on an idle client and grows to 64 KiB on a busy one (lib/buffers.ts).
  const buffer = new ReadBuffer();
  let total = 0;
  try {
    for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
      const data = buffer.bytes.subarray(0, n);
      received.add(data);
      await writeAll(conn, data);
      total += n;
    }
  } finally {
    received.flush();
    buffer.release();
  }
  console.log(`${peer} closed the connection after ${total} bytes`);
}
// #endregion echo

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  // #region accept
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    // Not awaited: each client is served on its own, so one slow client does not hold
    // up the next (Task 1.5 looks at this closely).
    serveConnection(conn, echo);
  }
  // #endregion accept
});
