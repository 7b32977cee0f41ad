#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor client over UDP: sends a random reading every --interval ms,
 * one datagram each, and waits up to --timeout ms for the response to it.
 *
 * STARTER: the command line is in place; so are the course's protocol
 * (sensor_protocol.ts, specified in sensor_protocol.md) and the simulated sensor with
 * its send loop (sensor_simulator.ts), copied whole. Each TODO is a step of the
 * deliverable, and the handout explains it: /lab1/deliverable-1#deliverable-1.
 *
 * Run:   ./mywork/lab1/sensor_client_udp.ts       (with your UDP sensor server running)
 *        ./mywork/lab1/sensor_client_udp.ts --device 7 --interval 200 --count 0 --timeout 500
 * Grade: deno task watch      (or: deno task grade --dir mywork --task D1)
 */
import {
  bindOption,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";
import { SENSOR_FLAGS, SensorRun, sensorSettings } from "./sensor_simulator.ts";

const { values } = parseCommandLine({
  summary: "Sensor client over UDP (Deliverable 1): sends random readings periodically.",
  options: {
    ...peerOptions("sensor server", "UDP", "50000"),
    bind: bindOption,
    ...SENSOR_FLAGS,
    timeout: { default: "1000", valueName: "MS", description: "how long to wait for a response" },
  },
});

await runMain(async () => {
  const run = new SensorRun(sensorSettings(values));
  const timeout = parseMilliseconds(values.timeout, "--timeout");
  const server = { transport: "udp" as const, hostname: values.host, port: parsePort(values.port) };
  // TODO(D1): UDP may drop a reading or its response and never says so. Open a socket
  // (`listenUdp(values.bind, 0)`) and receive in the background: decode each response
  // (`decodeResponse`) and hand it to the reading it acknowledges (its `ack` is that
  // reading's seq); ignore late or invalid ones with a line each.
  // TODO(D1): call `run.run(exchange)`: your `exchange(message, seq)` sends the message
  // (`sendDatagram`) and resolves to its response, or to null after `timeout` ms (the
  // run counts it as lost). Then `run.printSummary()` and close the socket.
  await todo(
    "/lab1/deliverable-1#deliverable-1",
    `send ${run.settings.count} readings to port ${server.port}, waiting ${timeout} ms for each response`,
  );
});
