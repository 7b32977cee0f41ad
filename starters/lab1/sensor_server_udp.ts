#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor server over UDP: each datagram is one reading of the sensor
 * protocol (sensor_protocol.md); the server prints it (or JSON with --json), keeps
 * per-device statistics and sends the response back to the datagram's sender.
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place;
 * so are the course's protocol (sensor_protocol.ts) and the collector that decodes,
 * prints and answers a message (sensor_server_core.ts), copied whole. Each TODO is a
 * step of the deliverable, and the handout explains it: /lab1/deliverable-1#deliverable-1.
 *
 * Run:   ./mywork/lab1/sensor_server_udp.ts      (then ./mywork/lab1/sensor_client_udp.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task D1)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";
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
  for await (const _datagram of socket) {
    // TODO(D1): each datagram is [bytes, sender], and the whole datagram is one message:
    // answer it with `collector.handle(bytes, formatAddress(sender))`, sent back to the
    // sender. A failed send concerns one sensor only: print one line and go on.
    todo("/lab1/deliverable-1#deliverable-1", "answer each datagram's reading to its sender");
  }
});
