#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor client over TCP: sends a random reading every --interval ms on
 * one connection and prints each reading and the server's response to it.
 *
 * STARTER: the command line is in place; so are the course's protocol
 * (sensor_protocol.ts, specified in sensor_protocol.md) and the simulated sensor with
 * its send loop (sensor_simulator.ts), copied whole. Each TODO is a step of the
 * deliverable, and the handout explains it: /lab1/deliverable-1#deliverable-1.
 *
 * Run:   ./mywork/lab1/sensor_client_tcp.ts       (with your TCP sensor server running)
 *        ./mywork/lab1/sensor_client_tcp.ts --device 7 --interval 200 --count 0 --seed 3
 * Grade: deno task watch      (or: deno task grade --dir mywork --task D1)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";
import { SENSOR_FLAGS, SensorRun, sensorSettings } from "./sensor_simulator.ts";

const { values } = parseCommandLine({
  summary: "Sensor client over TCP (Deliverable 1): sends random readings periodically.",
  options: {
    ...peerOptions("sensor server", "TCP", "50000"),
    ...SENSOR_FLAGS,
  },
});

await runMain(async () => {
  const run = new SensorRun(sensorSettings(values));
  const port = parsePort(values.port);
  // TODO(D1): connect (`connectTcp`), print `connected to <address>`, and call
  // `run.run(exchange)`: it sends one reading per interval through your `exchange`
  // function, which writes the message (`writeAll`) and reads the response (the
  // header's length says how much: `readMessage` from sensor_protocol.ts over a
  // `BufferedReader`), then returns `decodeResponse(reply)`. A server that closes the
  // connection is an error. At the end (and on Ctrl-C: `exitOnSignal`),
  // `run.printSummary()`, and close the connection.
  await todo(
    "/lab1/deliverable-1#deliverable-1",
    `send ${run.settings.count} readings to port ${port}`,
  );
});
