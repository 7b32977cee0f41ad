#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor client over TCP: sends a random reading every --interval ms on
 * one connection and prints each reading and the server's response to it.
 *
 * Each reading is one message of the sensor protocol (sensor_protocol.md): 31 bytes
 * plus an optional note. TCP delivers them in order and resends what gets lost, so
 * every reading gets its response; the price is the connection's handshake, ACKs and
 * teardown on the wire.
 *
 * Run: ./labs/lab1/sensor_client_tcp.ts                  (with the TCP sensor server running)
 *      ./labs/lab1/sensor_client_tcp.ts --device 7 --interval 200 --count 0 --seed 3
 */
import { exitOnSignal, parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress, NetworkError } from "../../lib/net.ts";
import { decodeResponse, ProtocolError, readMessage } from "./sensor_protocol.ts";
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
  const conn = await connectTcp(values.host, parsePort(values.port));
  exitOnSignal(() => run.printSummary());
  console.log(`connected to ${formatAddress(conn.remoteAddr)}`);
  const reader = new BufferedReader(conn);

  await run.run(async (message) => {
    await writeAll(conn, message);
    const reply = await readMessage(reader); // the header's length says how much to read
    if (reply === null) throw new NetworkError("the server closed the connection");
    try {
      return decodeResponse(reply);
    } catch (error) { // read whole but not a valid response: skip it, the stream is still in step
      if (!(error instanceof ProtocolError)) throw error;
      console.log(`invalid response ignored: ${error.message}`);
      return null; // counted as lost
    }
  });
  run.printSummary();
  conn.close();
});
