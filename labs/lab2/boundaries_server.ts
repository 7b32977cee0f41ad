#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.2 — message boundaries: a server that prints every read() next to the messages
 * it finds in them, so that you can see that the two do not line up.
 *
 * A read returns whatever bytes have arrived: part of a message, or the end of one and
 * the start of the next. The server finds the messages with the framing both sides
 * agreed on (--framing fixed, line or prefix; see boundaries.ts), reading through a
 * BufferedReader that keeps what one message left over for the next.
 *
 * Run: ./labs/lab2/boundaries_server.ts --framing prefix
 *      ./labs/lab2/dribble_client.ts --framing prefix     (in a second terminal)
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
import { previewBytes } from "../../lib/bytes.ts";
import { BufferedReader, type Reader } from "../../lib/framing.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { FRAMING_FLAGS, parseFraming, readMessage } from "./boundaries.ts";

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

  // #region messages
  async function showMessages(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    console.log(`${peer} connected`);
    // Every read from the socket is printed before the reader cuts messages out of it.
    const loggedConn: Reader = {
      async read(buffer) {
        const n = await conn.read(buffer);
        if (n !== null) {
          console.log(`  read() got ${n} bytes: ${previewBytes(buffer.subarray(0, n))}`);
        }
        return n;
      },
    };
    // Each message must arrive whole within the idle timeout, however it is cut up.
    const reader = new BufferedReader(loggedConn, { timeoutMs: idleTimeoutMs });
    let count = 0;
    for (let message; (message = await readMessage(reader, choice)) !== null;) {
      console.log(`message ${++count} from ${peer}: ${previewBytes(message)}`);
    }
    console.log(`${peer} closed the connection after ${count} messages`);
  }
  // #endregion messages

  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, showMessages);
  }
});
