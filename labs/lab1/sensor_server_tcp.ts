#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor server over TCP: decodes the readings of many sensors at once,
 * prints them (or JSON with --json), keeps per-device statistics and answers each one.
 *
 * A TCP stream has no message boundaries: the header's length field says where each
 * message ends (see sensor_protocol.md). Every connection is served on its own, so a
 * sensor that stalls halfway through a message holds up nobody else; --one-at-a-time
 * shows what happens without that (a second sensor waits until the first one leaves).
 * A sensor may be silent between messages for as long as the longest interval (one day),
 * but a message it has started must arrive whole within --idle-timeout.
 *
 * Run: ./labs/lab1/sensor_server_tcp.ts      (then ./labs/lab1/sensor_client_tcp.ts)
 *      ./labs/lab1/sensor_server_tcp.ts --json --set-interval 500
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { COLLECTOR_FLAGS, SensorCollector } from "./sensor_server_core.ts";
import { MAX_INTERVAL_MS, ProtocolError, readMessage } from "./sensor_protocol.ts";

const { values } = parseCommandLine({
  summary: "Sensor server over TCP (Deliverable 1): decodes and answers sensor readings.",
  options: {
    ...listenOptions("TCP", "50000"),
    ...COLLECTOR_FLAGS,
    "idle-timeout": {
      default: "5000",
      valueName: "MS",
      description:
        "how long the rest of a message may take once its first byte is in (0 = forever)",
    },
    "one-at-a-time": { type: "boolean", description: "serve one sensor at a time (to compare)" },
  },
});

await runMain(async () => {
  const collector = new SensorCollector(values);
  const idleTimeout = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => {
    collector.printSummary();
    listener.close();
  });
  console.log(`listening on ${formatAddress(listener.addr)}`);

  // #region serve
  async function serveSensor(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    collector.log(`${peer} connected`);
    const reader = new BufferedReader(conn);
    try {
      for (let message; (message = await readMessage(reader, idleTimeout)) !== null;) {
        await writeAll(conn, collector.handle(message, peer));
      }
      collector.log(`${peer} disconnected`);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error; // a reset: serveConnection logs it
      // A bad header or an unfinished message: nothing says where the next message
      // starts, so answer with the error and hang up.
      await writeAll(conn, collector.reject(error, peer)).catch(() => {});
    }
  }
  // #endregion serve

  // #region accept
  // Silent longer than the longest interval a sensor may be given: it is gone.
  const idleTimeoutMs = idleTimeout && MAX_INTERVAL_MS + idleTimeout;
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    const served = serveConnection(conn, serveSensor); // runs alongside the others
    if (values["one-at-a-time"]) await served; // the next accept waits for this sensor to leave
  }
  // #endregion accept
});
