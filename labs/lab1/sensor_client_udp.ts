#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Deliverable 1 — sensor client over UDP: sends a random reading every --interval ms,
 * one datagram each, and waits up to --timeout ms for the response to it.
 *
 * UDP may drop a reading or its response and never says so. The client matches each
 * response to its reading by the acknowledged sequence number, counts a reading with no
 * response in time as lost, ignores responses that come too late, and reports the losses
 * at the end.
 *
 * Run: ./labs/lab1/sensor_client_udp.ts                  (with the UDP sensor server running)
 *      ./labs/lab1/sensor_client_udp.ts --device 7 --interval 200 --count 0 --timeout 500
 */
import {
  bindOption,
  describeError,
  exitOnSignal,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { listenUdp, sendDatagram } from "../../lib/net.ts";
import { decodeResponse, type Response } from "./sensor_protocol.ts";
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
  const socket = listenUdp(values.bind, 0);
  exitOnSignal(() => run.printSummary());

  const waiting = new Map<number, (response: Response) => void>(); // by the seq they answer
  const receiving = (async () => {
    for await (const [datagram] of socket) {
      try {
        const response = decodeResponse(datagram);
        const deliver = waiting.get(response.ack);
        if (deliver) deliver(response);
        else console.log(`late response to #${response.ack} ignored`);
      } catch (error) {
        console.log(`invalid response ignored: ${describeError(error)}`);
      }
    }
  })();

  // #region exchange
  await run.run(async (message, seq) => {
    await sendDatagram(socket, message, server);
    return await new Promise<Response | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeout); // then counted as lost
      waiting.set(seq, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    }).finally(() => waiting.delete(seq));
  });
  // #endregion exchange
  run.printSummary();
  socket.close();
  await receiving.catch(() => {}); // closing the socket ends the receive loop
});
