/**
 * Deliverable 1 — the server side shared by `sensor_server_tcp.ts` and
 * `sensor_server_udp.ts`: decode each message, keep statistics per device, print each
 * reading (or one JSON object per reading with `--json`), and build the response. A bad
 * message gets one line on stderr and an error response; it never stops the server.
 *
 * @module
 */
import { parseCount } from "../../lib/cli.ts";
import {
  Command,
  decodeReading,
  describeReading,
  encodeResponse,
  errorResponse,
  flagNames,
  MAX_INTERVAL_MS,
  nameOf,
  PowerSource,
  ProtocolError,
  type Reading,
  Status,
} from "./sensor_protocol.ts";

/** The flags both sensor servers take, besides `--host` and `--port`. */
export const COLLECTOR_FLAGS = {
  json: { type: "boolean", description: "print one JSON object per reading instead of text" },
  "set-interval": {
    valueName: "MS",
    description: "ask every sensor to send one reading per MS ms (default: no command)",
  },
} as const;

/** Statistics of one device since the server started. */
interface DeviceStatistics {
  readings: number;
  missing: number;
  lastSeq: number;
  minimum: number;
  maximum: number;
  sum: number;
}

/** Turns messages into responses, keeping per-device statistics and printing as it goes. */
export class SensorCollector {
  readonly #json: boolean;
  readonly #intervalMs: number | undefined;
  readonly #devices = new Map<number, DeviceStatistics>();

  constructor(values: { json: boolean; "set-interval"?: string }) {
    this.#json = values.json;
    const interval = values["set-interval"];
    this.#intervalMs = interval === undefined
      ? undefined
      : parseCount(interval, "--set-interval", 1, MAX_INTERVAL_MS); // at most one day
  }

  /** Prints `text` unless the output is JSON (which holds readings only). */
  log(text: string): void {
    if (!this.#json) console.log(text);
  }

  /** Decodes one whole message from `peer` and returns the bytes to answer with. */
  handle(message: Uint8Array, peer: string): Uint8Array {
    let reading: Reading;
    try {
      reading = decodeReading(message);
    } catch (error) {
      if (error instanceof ProtocolError) return this.reject(error, peer);
      throw error;
    }
    const device = this.#record(reading);
    if (this.#json) console.log(JSON.stringify(toJson(reading, peer, message.length)));
    else {
      const mean = (device.sum / device.readings).toFixed(2);
      console.log(
        `${peer} ${describeReading(reading)} (${message.length} bytes) | device ` +
          `${reading.device}: ${device.readings} readings, ${device.missing} missing, mean ${mean} °C`,
      );
    }
    const interval = this.#intervalMs;
    return encodeResponse({
      status: Status.OK,
      ack: reading.seq,
      serverTime: Date.now(),
      command: interval === undefined ? Command.NONE : Command.SET_INTERVAL,
      argument: interval ?? 0,
    });
  }

  /** Reports a bad message in one line on stderr and returns the error response. */
  reject(error: ProtocolError, peer: string): Uint8Array {
    console.error(`${peer}: ${error.message} (answered ${nameOf(Status, error.status)})`);
    return errorResponse(error);
  }

  #record(reading: Reading): DeviceStatistics {
    const { device, seq, temperature } = reading;
    let stats = this.#devices.get(device);
    if (stats === undefined) {
      stats = {
        readings: 0,
        missing: 0,
        lastSeq: 0,
        minimum: Infinity,
        maximum: -Infinity,
        sum: 0,
      };
      this.#devices.set(device, stats);
    }
    // A gap in the seqs is readings that never arrived (UDP) or a restarted sensor (seq 1).
    if (seq > stats.lastSeq + 1 && stats.readings > 0) stats.missing += seq - stats.lastSeq - 1;
    stats.lastSeq = seq;
    stats.readings++;
    stats.minimum = Math.min(stats.minimum, temperature);
    stats.maximum = Math.max(stats.maximum, temperature);
    stats.sum += temperature;
    return stats;
  }

  /** Prints one line per device: readings, missing ones, temperature range and mean. */
  printSummary(): void {
    for (const [device, stats] of [...this.#devices].sort(([a], [b]) => a - b)) {
      const { readings, missing, minimum, maximum, sum } = stats;
      console.log(
        `device ${device}: ${readings} readings, ${missing} missing, temperature ` +
          `${minimum.toFixed(2)} to ${maximum.toFixed(2)} °C, mean ${
            (sum / readings).toFixed(2)
          } °C`,
      );
    }
  }
}

/** The JSON object printed for one reading with `--json`. */
function toJson(reading: Reading, peer: string, size: number) {
  return {
    ...reading,
    power: nameOf(PowerSource, reading.power),
    flags: flagNames(reading.flags),
    peer,
    bytes: size,
    received: Date.now(),
  };
}
