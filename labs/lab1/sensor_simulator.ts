/**
 * Deliverable 1 — the sensor side shared by `sensor_client_tcp.ts` and
 * `sensor_client_udp.ts`: a simulated sensor whose readings drift randomly (seeded, so
 * a run can be repeated), and the loop that sends one reading per interval, waits for
 * its response and counts what got lost. Only how a message travels differs between the
 * two clients; each passes that in as an `exchange` function.
 *
 * @module
 */
import { parseCount, UsageError } from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { SeededRandom } from "../../lib/random.ts";
import {
  Command,
  describeReading,
  describeResponse,
  encodeReading,
  Flag,
  MAX_INTERVAL_MS,
  MAX_NOTE_BYTES,
  PowerSource,
  type Reading,
  type Response,
  Status,
} from "./sensor_protocol.ts";

/** The flags both sensor clients take, besides `--host` and `--port`. */
export const SENSOR_FLAGS = {
  interval: { default: "1000", valueName: "MS", description: "time between readings" },
  count: { default: "10", description: "readings to send (0 = until Ctrl-C)" },
  device: { default: "1", valueName: "ID", description: "sensor id, 0 to 65535" },
  seed: {
    default: "1",
    description: "seed of the random readings (same seed and device, same values)",
  },
  note: { valueName: "TEXT", description: 'note for every reading ("" = none; default: random)' },
} as const;

/** The sensor's settings, read from {@linkcode SENSOR_FLAGS}. */
export interface SensorSettings {
  intervalMs: number;
  count: number;
  device: number;
  seed: number;
  note?: string;
}

/** Reads the values of {@linkcode SENSOR_FLAGS}; throws a UsageError for a bad one. */
export function sensorSettings(
  values: { interval: string; count: string; device: string; seed: string; note?: string },
): SensorSettings {
  const device = parseCount(values.device, "--device", 0, 65535);
  const intervalMs = parseCount(values.interval, "--interval", 0, MAX_INTERVAL_MS); // one day
  if (values.note !== undefined && utf8Encode(values.note).length > MAX_NOTE_BYTES) {
    throw new UsageError(`--note must be at most ${MAX_NOTE_BYTES} bytes in UTF-8`);
  }
  return {
    intervalMs,
    count: parseCount(values.count, "--count", 0),
    device,
    seed: parseCount(values.seed, "--seed", 0),
    note: values.note,
  };
}

const NOTES = ["door opened", "recalibrated", "señal débil", "température élevée", "温度 OK"];

/** A sensor whose values wander a little between readings, like real weather. */
export class SimulatedSensor {
  readonly #random: SeededRandom;
  #seq = 0;
  #temperature: number;
  #humidity: number;
  #battery: number;
  readonly #power: number;

  constructor(readonly device: number, seed: number, readonly note?: string) {
    this.#random = new SeededRandom(seed ^ Math.imul(device, 0x9e3779b1)); // sensors differ
    this.#temperature = this.#random.between(15, 25);
    this.#humidity = this.#random.between(30, 70);
    this.#battery = this.#random.integer(30, 100);
    this.#power = this.#random.pick(Object.values(PowerSource));
  }

  /** Takes the next reading: seq 1, 2, …; the timestamp is the real clock. */
  next(): Reading {
    const random = this.#random;
    this.#seq = (this.#seq + 1) % 2 ** 32;
    this.#temperature = clamp(this.#temperature + random.between(-0.5, 0.5), -40, 60);
    this.#humidity = clamp(this.#humidity + random.between(-2, 2), 0, 100);
    if (this.#power === PowerSource.BATTERY && random.chance(0.3)) this.#battery--;
    this.#battery = clamp(this.#battery, 0, 100);
    let flags = 0;
    if (this.#battery < 20) flags |= Flag.LOW_BATTERY;
    if (this.#temperature > 30 || this.#temperature < 0) flags |= Flag.TEMPERATURE_ALARM;
    if (random.chance(0.1)) flags |= Flag.MOTION;
    if (random.chance(0.02)) flags |= Flag.TAMPER;
    const note = this.note ?? (random.chance(0.2) ? random.pick(NOTES) : null);
    return {
      seq: this.#seq,
      device: this.device,
      timestamp: Date.now(),
      temperature: this.#temperature,
      humidity: Math.round(this.#humidity * 100) / 100,
      rssi: random.integer(-90, -40),
      battery: this.#battery,
      power: this.#power,
      flags,
      note,
    };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Sends `message` (reading `seq`) and resolves to its response, or null if none came in time. */
export type Exchange = (message: Uint8Array, seq: number) => Promise<Response | null>;

/** One run of a sensor: the send loop and its tally. */
export class SensorRun {
  readonly #sensor: SimulatedSensor;
  #intervalMs: number;
  #sent = 0;
  #bytes = 0;
  #answered = 0;
  #lost = 0;

  constructor(readonly settings: SensorSettings) {
    this.#sensor = new SimulatedSensor(settings.device, settings.seed, settings.note);
    this.#intervalMs = settings.intervalMs;
  }

  /** Sends `count` readings (forever if 0), one per interval, each through `exchange`. */
  async run(exchange: Exchange): Promise<void> {
    for (let i = 0; this.settings.count === 0 || i < this.settings.count; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, this.#intervalMs));
      const reading = this.#sensor.next();
      const message = encodeReading(reading);
      console.log(`sent ${describeReading(reading)} (${message.length} bytes)`);
      this.#sent++;
      this.#bytes += message.length;
      const response = await exchange(message, reading.seq);
      if (response === null) {
        this.#lost++;
        console.log(`no response to #${reading.seq}: counted as lost`);
        continue;
      }
      this.#answered++;
      console.log(`response ${describeResponse(response)}`);
      if (response.status === Status.OK && response.command === Command.SET_INTERVAL) {
        if (response.argument !== this.#intervalMs) {
          console.log(`the server sets the interval to ${response.argument} ms`);
        }
        this.#intervalMs = response.argument;
      }
    }
  }

  /** Prints the tally: readings and bytes sent, responses, losses. */
  printSummary(): void {
    const percent = this.#sent === 0 ? 0 : (100 * this.#lost) / this.#sent;
    console.log(
      `sent ${this.#sent} readings (${this.#bytes} bytes), ${this.#answered} responses, ` +
        `${this.#lost} lost (${percent.toFixed(1)} %)`,
    );
  }
}
