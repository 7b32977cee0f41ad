#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor server over TCP: decodes the readings of many sensors at once,
 * prints them (or JSON with --json), keeps per-device statistics and answers each one.
 *
 * STARTER: the command line, the listening socket, the `listening on` line and the
 * accept loop are in place; so are the course's protocol (sensor_protocol.ts, specified
 * in sensor_protocol.md) and the collector that decodes, prints and answers a message
 * (sensor_server_core.ts), copied whole. Each TODO is a step of the deliverable, and the
 * handout explains it: /lab1/deliverable-1#deliverable-1. If you design your own protocol instead,
 * grade with --own-design.
 *
 * Run:   ./mywork/lab1/sensor_server_tcp.ts      (then ./mywork/lab1/sensor_client_tcp.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task D1)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";
import { COLLECTOR_FLAGS, SensorCollector } from "./sensor_server_core.ts";
import { MAX_INTERVAL_MS } from "./sensor_protocol.ts";

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

  /** Reads one sensor's messages and answers each, until it leaves. */
  async function serveSensor(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    collector.log(`${peer} connected`);
    // TODO(D1): a TCP stream has no message boundaries: the header's length field says
    // where each message ends. Read messages with `readMessage(reader, idleTimeout)`
    // from sensor_protocol.ts over a `BufferedReader` (../../lib/framing.ts); null means
    // the sensor left. Answer each with `collector.handle(message, peer)` (`writeAll`).
    // TODO(D1): a `ProtocolError` (a bad header, or a message never finished) leaves
    // nothing to say where the next message starts: answer `collector.reject(error,
    // peer)` and hang up. Other errors (a reset) are for serveConnection to report.
    await todo(
      "/lab1/deliverable-1#deliverable-1",
      `read ${peer}'s readings and answer each (a message may take ${idleTimeout} ms at most)`,
    );
  }

  // A sensor may stay silent for an interval (one day at most) between two readings.
  const idleTimeoutMs = idleTimeout && MAX_INTERVAL_MS + idleTimeout;
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    const served = serveConnection(conn, serveSensor); // runs alongside the others
    if (values["one-at-a-time"]) await served; // the next accept waits for this sensor to leave
  }
});
