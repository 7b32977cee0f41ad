#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor server over UDP: each datagram is one reading of the sensor
 * protocol (sensor_protocol.md); the server prints it (or JSON with --json), keeps
 * per-device statistics and sends the response back to the datagram's sender.
 *
 * One socket serves every sensor and no datagram waits for another, so there is no
 * connection to stall. Readings that never arrive show up as gaps in a device's
 * sequence numbers ("missing" in the statistics).
 *
 * Run: ./labs/lab1/sensor_server_udp.ts      (then ./labs/lab1/sensor_client_udp.ts)
 *      ./labs/lab1/sensor_server_udp.ts --json > readings.jsonl
 */
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { COLLECTOR_FLAGS, SensorCollector } from "./sensor_server_core.ts";

const { values } = parseCommandLine({
  summary: "Sensor server over UDP (Deliverable 1): decodes and answers sensor readings.",
  options: {
    ...listenOptions("UDP", "50000"),
    ...COLLECTOR_FLAGS,
  },
});

await runMain(async () => {
  const collector = new SensorCollector(values);
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => {
    collector.printSummary();
    socket.close();
  });
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const [datagram, sender] of socket) {
    const peer = formatAddress(sender);
    // The whole datagram is the message: its size must match the header's length.
    const reply = collector.handle(datagram, peer);
    await socket.send(reply, sender).catch((error) =>
      console.error(`${peer}: ${describeError(error)}`)
    );
  }
});
