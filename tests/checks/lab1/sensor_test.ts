/**
 * Graded checks for Deliverable 1 (sensor telemetry over TCP and UDP) and its optional
 * concurrent server (O1) that hold a student's scripts to the course's protocol,
 * `labs/lab1/sensor_protocol.md`, byte for byte: interoperability with the reference
 * scripts both ways, responses, every malformed case, loss handling. The messages are
 * built and read here with `lib/struct.ts` formats taken from the specification, not
 * with the module under test.
 *
 * A student who designs a protocol of their own grades with `--own-design`, which
 * leaves these checks out; `sensor_design_test.ts` holds the checks that suit any design.
 *
 * @module
 */
import assert from "node:assert/strict";
import { BufferedReader, writeAll } from "../../../lib/framing.ts";
import { Struct } from "../../../lib/struct.ts";
import { CheckContext, defineChecks, REFERENCE_DIR } from "../../harness/checks.ts";
import { holdToSpecification } from "../../harness/sensor_specification.ts";
import { assertHasLine, assertNoStackTrace, assertSuccess } from "../../harness/expect.ts";
import { chunks, receiveWithin, TestTcpServer, udpSocket } from "../../harness/peers.ts";
import {
  type RunningScript,
  type RunningServer,
  runScript,
  startScript,
  startServer,
} from "../../../tools/script/process.ts";

const TCP_CLIENT = "sensor_client_tcp.ts";
const TCP_SERVER = "sensor_server_tcp.ts";
const UDP_CLIENT = "sensor_client_udp.ts";
const UDP_SERVER = "sensor_server_udp.ts";

// #region spec
/** The specification's layouts: header, the fixed part of a READING, a RESPONSE. */
const HEADER = new Struct(">2sBBH");
const READING = new Struct(">2sBBHIHQfHbBBBB");
const RESPONSE = new Struct(">2sBBHBIQBI");
const MAGIC = new Uint8Array([0x53, 0x54]); // "ST"
const Status = {
  OK: 0,
  MALFORMED: 1,
  BAD_MAGIC: 2,
  UNSUPPORTED_VERSION: 3,
  TOO_LARGE: 4,
  UNKNOWN_TYPE: 5,
  INVALID_TEXT: 6,
  INVALID_FIELD: 7,
  IDLE_TIMEOUT: 8,
};
const SET_INTERVAL = 1;
// #endregion spec

/** A reading's fields as the wire holds them (humidity in hundredths of a percent). */
interface WireReading {
  magic: Uint8Array;
  version: number;
  type: number;
  length: number;
  seq: number;
  device: number;
  timestamp: bigint;
  temperature: number;
  humidity: number;
  rssi: number;
  battery: number;
  power: number;
  flags: number;
  noteLength: number;
  note: Uint8Array;
}

const GOOD: Omit<WireReading, "length" | "noteLength"> = {
  magic: MAGIC,
  version: 1,
  type: 1,
  seq: 1,
  device: 42,
  timestamp: 1735689600000n,
  temperature: 21.5,
  humidity: 4525,
  rssi: -67,
  battery: 88,
  power: 1,
  flags: 0x04,
  note: new Uint8Array(),
};

/** Packs a reading; `length` and `noteLength` default to the right values. */
function packReading(fields: Partial<WireReading> = {}): Uint8Array {
  const r = { ...GOOD, ...fields };
  const noteLength = fields.noteLength ?? r.note.length;
  const length = fields.length ?? READING.size + r.note.length;
  const fixed = READING.pack(
    r.magic,
    r.version,
    r.type,
    length,
    r.seq,
    r.device,
    r.timestamp,
    r.temperature,
    r.humidity,
    r.rssi,
    r.battery,
    r.power,
    r.flags,
    noteLength,
  );
  const message = new Uint8Array(fixed.length + r.note.length);
  message.set(fixed);
  message.set(r.note, fixed.length);
  return message;
}

/** What READING unpacks to: the magic is bytes, the u64 timestamp a bigint, the rest numbers. */
type ReadingValues = [
  Uint8Array,
  ...[number, number, number, number, number],
  bigint,
  ...[number, number, number, number, number, number, number],
];

/** Unpacks one whole reading, checking its header and length against the specification. */
function unpackReading(message: Uint8Array): WireReading {
  const [
    magic,
    version,
    type,
    length,
    seq,
    device,
    timestamp,
    temperature,
    humidity,
    rssi,
    battery,
    power,
    flags,
    noteLength,
  ] = READING.unpackFrom(message) as ReadingValues;
  assert.deepEqual(magic, MAGIC, "magic must be 'ST'");
  assert.equal(version, 1, "version");
  assert.equal(type, 1, "type of a reading");
  assert.equal(length, message.length, "length must count the whole message");
  assert.equal(READING.size + noteLength, length, "31 + note length = length");
  const note = message.slice(READING.size);
  return {
    magic,
    version,
    type,
    length,
    seq,
    device,
    timestamp,
    temperature,
    humidity,
    rssi,
    battery,
    power,
    flags,
    noteLength,
    note,
  };
}

interface WireResponse {
  status: number;
  ack: number;
  serverTime: bigint;
  command: number;
  argument: number;
}

function packResponse(response: WireResponse): Uint8Array {
  const { status, ack, serverTime, command, argument } = response;
  return RESPONSE.pack(MAGIC, 1, 2, RESPONSE.size, status, ack, serverTime, command, argument);
}

function unpackResponse(message: Uint8Array): WireResponse {
  assert.equal(message.length, RESPONSE.size, "a response is 24 bytes");
  const [magic, version, type, length, status, ack, serverTime, command, argument] = RESPONSE
    .unpack(message);
  assert.deepEqual(magic, MAGIC, "response magic");
  assert.deepEqual([version, type, length], [1, 2, 24], "response version, type and length");
  return {
    status: status as number,
    ack: ack as number,
    serverTime: serverTime as bigint,
    command: command as number,
    argument: argument as number,
  };
}

/** Reads whole messages from a TCP stream: the header, then the rest of its length. */
async function readSpecMessage(reader: BufferedReader): Promise<Uint8Array | null> {
  const header = await reader.readExactOrEof(HEADER.size);
  if (header === null) return null;
  const [, , , length] = HEADER.unpack(header) as number[];
  assert.ok(length >= HEADER.size && length <= 512, `declared length ${length}`);
  const message = new Uint8Array(length);
  message.set(header);
  message.set(await reader.readExact(length - HEADER.size), HEADER.size);
  return message;
}

/** A sensor played by the check: one TCP connection to the server under test. */
class SensorConnection {
  readonly #reader: BufferedReader;
  private constructor(readonly conn: Deno.TcpConn) {
    this.#reader = new BufferedReader(conn);
  }

  static async open(port: number): Promise<SensorConnection> {
    return new SensorConnection(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(...pieces: Uint8Array[]): Promise<void> {
    for (const piece of pieces) await writeAll(this.conn, piece);
  }

  /** The next response, or null if the server closed the connection; fails after `ms`. */
  async response(ms = 5000): Promise<WireResponse | null> {
    const bytes = await this.#within(this.#reader.readExactOrEof(RESPONSE.size), ms, "a response");
    return bytes === null ? null : unpackResponse(bytes);
  }

  /** Asserts that the server closes the connection now (no further bytes). */
  async assertClosed(ms = 5000): Promise<void> {
    const more = await this.#within(this.#reader.readExactOrEof(1), ms, "the connection to close");
    assert.equal(more, null, "the server should close the connection after this error");
  }

  async #within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.close(); // ends the pending read
        reject(new Error(`the server did not send ${what} within ${ms} ms`));
      }, ms);
    });
    promise.catch(() => {}); // rejected by the close above
    try {
      return await Promise.race([promise, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** Waits until `text()` holds at least `count` lines that `keep` accepts; returns them. */
async function waitForLines(
  what: string,
  text: () => string,
  keep: (line: string) => boolean,
  count: number,
  ms = 5000,
): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (true) {
    const lines = text().split("\n").filter(keep);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) {
      assert.fail(`expected ${count} ${what}, got ${lines.length}:\n${text()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the script has printed at least `count` lines on stderr. */
function stderrLines(script: RunningScript, count: number): Promise<string[]> {
  return waitForLines("lines on stderr", () => script.stderr, (line) => line.trim() !== "", count);
}

/** Waits until the script has printed `count` JSON lines on stdout and parses them. */
async function jsonLines(script: RunningScript, count: number) {
  const isJson = (line: string) => line.startsWith("{");
  const lines = await waitForLines("JSON lines", () => script.stdout, isJson, count);
  return lines.map((line) => JSON.parse(line));
}

/** Asserts the server is still up: a new sensor's good reading is answered OK. */
async function assertStillServing(server: RunningServer): Promise<void> {
  const sensor = await SensorConnection.open(server.port);
  try {
    await sensor.send(packReading({ seq: 77 }));
    const response = await sensor.response();
    assert.ok(response, "the server closed a good sensor's connection");
    assert.deepEqual([response.status, response.ack], [Status.OK, 77], "a good reading after");
  } finally {
    sensor.close();
  }
}

/** Starts a TCP sensor server, runs `body`, and stops the server; the server must not crash. */
async function withServer(
  path: string,
  args: string[],
  body: (server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await startServer(path, args);
  try {
    await body(server);
  } finally {
    const result = await server.script.stop();
    assertNoStackTrace(result.stdout + result.stderr, "server output");
  }
}

/** Runs a sensor client against a TCP server of the check's own that answers per the spec. */
async function runClientAgainstTcpPeer(
  path: string,
  args: string[],
  response: Partial<WireResponse> = {},
) {
  const received: WireReading[] = [];
  const peer = new TestTcpServer(async (conn) => {
    const reader = new BufferedReader(conn);
    for (let message; (message = await readSpecMessage(reader)) !== null;) {
      const reading = unpackReading(message);
      received.push(reading);
      await writeAll(
        conn,
        packResponse({
          status: Status.OK,
          ack: reading.seq,
          serverTime: BigInt(Date.now()),
          command: 0,
          argument: 0,
          ...response,
        }),
      );
    }
  });
  try {
    const result = await runScript(path, ["--port", String(peer.port), ...args], 20_000);
    return { result, received };
  } finally {
    await peer.close();
  }
}

/** Decodes a reading's note as strict UTF-8. */
function noteText(reading: WireReading): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(reading.note);
}

/** The values a seeded run sends, without the clock. */
function valuesOf(readings: WireReading[]) {
  return readings.map(({ timestamp: _, ...rest }) => rest);
}

/** Asserts a reading holds plausible values for its fields. */
function assertPlausible(reading: WireReading): void {
  assert.ok(Number.isFinite(reading.temperature), `temperature ${reading.temperature}`);
  assert.ok(reading.humidity <= 10000, `humidity ${reading.humidity} hundredths`);
  assert.ok(reading.battery <= 100, `battery ${reading.battery}`);
  assert.ok(reading.power <= 2, `power ${reading.power}`);
  assert.equal(reading.flags & 0xf0, 0, "reserved flag bits must be 0");
  const now = BigInt(Date.now());
  assert.ok(
    reading.timestamp > now - 600_000n && reading.timestamp <= now,
    "timestamp: now, in ms",
  );
  noteText(reading); // throws if not UTF-8
}

/** Sends `datagram` to the UDP server from `socket` and returns its response. */
async function udpAsk(
  socket: Deno.DatagramConn,
  server: RunningServer,
  datagram: Uint8Array,
): Promise<WireResponse> {
  await socket.send(datagram, { transport: "udp", hostname: "127.0.0.1", port: server.port });
  const [reply] = await receiveWithin(socket, 5000, server.script);
  return unpackResponse(reply);
}

/** The bad messages every server must answer without going down, and the status each gets. */
const BAD_BODIES: { what: string; message: Uint8Array; status: number; ack: number }[] = [
  {
    what: "unknown message type",
    message: new Uint8Array([...HEADER.pack(MAGIC, 1, 9, 10), 1, 2, 3, 4]),
    status: Status.UNKNOWN_TYPE,
    ack: 0,
  },
  {
    what: "note that is not UTF-8",
    message: packReading({ seq: 5, note: new Uint8Array([0x61, 0xff, 0xfe]) }),
    status: Status.INVALID_TEXT,
    ack: 5,
  },
  {
    what: "battery of 200 %",
    message: packReading({ seq: 6, battery: 200 }),
    status: Status.INVALID_FIELD,
    ack: 6,
  },
  {
    what: "note length that disagrees with the length",
    message: packReading({ seq: 7, noteLength: 3 }),
    status: Status.MALFORMED,
    ack: 7,
  },
];

export const checks = defineChecks(
  1,
  holdToSpecification([
    {
      id: "D1-tcp-client-spec",
      task: "D1",
      title: "TCP sensor client sends readings laid out as the specification says",
      points: 3,
      hint:
        "each reading is the 31-byte big-endian layout of sensor_protocol.md ('>2sBBHIHQfHbBBBB') " +
        "plus the note, with seq 1, 2, 3…, --device as device and the length of the whole message",
      async run({ script }) {
        const args = ["--count", "3", "--interval", "20", "--device", "513", "--note", "año 1"];
        const { result, received } = await runClientAgainstTcpPeer(script(TCP_CLIENT), args);
        assertSuccess(result);
        assert.deepEqual(received.map((r) => r.seq), [1, 2, 3], "seq of each reading");
        for (const reading of received) {
          assert.equal(reading.device, 513, "device");
          assert.equal(noteText(reading), "año 1", "--note travels as UTF-8");
          assertPlausible(reading);
        }
        assert.equal(received[0].length, 31 + 6, "length of a reading with a 6-byte note");
      },
    },
    {
      id: "D1-tcp-client-output",
      task: "D1",
      title: "TCP sensor client prints each reading and response and obeys SET_INTERVAL",
      points: 2,
      hint:
        "print a line per reading sent and per response (with its status and ack); a response " +
        "with command SET_INTERVAL changes the time between readings to its argument in ms",
      async run({ script }) {
        // An interval of a minute: the run ends in time only if SET_INTERVAL 5 is obeyed.
        const args = ["--count", "3", "--interval", "60000", "--device", "3"];
        const { result, received } = await runClientAgainstTcpPeer(script(TCP_CLIENT), args, {
          command: SET_INTERVAL,
          argument: 5,
        });
        assertSuccess(result);
        assert.equal(received.length, 3);
        for (const seq of [1, 2, 3]) {
          assertHasLine(result.stdout, new RegExp(`#${seq}\\b.*device 3`), "client output");
          assertHasLine(result.stdout, new RegExp(`#${seq}\\b.*\\bOK\\b`), "client output");
        }
        assertHasLine(result.stdout, /\b0 lost\b/, "client summary");
      },
    },
    {
      id: "D1-client-seed",
      task: "D1",
      title: "sensor clients repeat their readings for the same --seed",
      points: 1,
      hint: "draw the random values from a PRNG seeded with --seed (Math.random cannot be seeded)",
      async run({ script }) {
        const run = async (seed: string) =>
          (await runClientAgainstTcpPeer(script(TCP_CLIENT), [
            "--count",
            "4",
            "--interval",
            "10",
            "--seed",
            seed,
          ])).received;
        const [first, again, other] = [await run("11"), await run("11"), await run("12")];
        assert.equal(first.length, 4);
        assert.deepEqual(valuesOf(again), valuesOf(first), "same seed, same readings");
        assert.notDeepEqual(valuesOf(other), valuesOf(first), "another seed, other readings");
      },
    },
    {
      id: "D1-tcp-server-replies",
      task: "D1",
      title: "TCP sensor server answers each reading with OK, its seq and the server time",
      points: 3,
      hint: "read the 6-byte header, then length − 6 more bytes (the stream may split or join " +
        "messages); answer each with the 24-byte response: status 0, ack = seq, time in ms",
      async run({ script }) {
        await withServer(script(TCP_SERVER), ["--set-interval", "250"], async (server) => {
          const sensor = await SensorConnection.open(server.port);
          try {
            const note = new TextEncoder().encode("señal débil 🌡");
            const readings = [1, 2, 3, 4].map((seq) =>
              packReading(seq === 2 ? { seq, note } : { seq })
            );
            const before = BigInt(Date.now());
            // Two readings in one write, then two dribbled in small pieces.
            await sensor.send(new Uint8Array([...readings[0], ...readings[1]]));
            await sensor.send(...chunks(new Uint8Array([...readings[2], ...readings[3]]), 5));
            for (const seq of [1, 2, 3, 4]) {
              const response = await sensor.response();
              assert.ok(response, `the server closed the connection before answering #${seq}`);
              assert.equal(response.status, Status.OK, `status of #${seq}`);
              assert.equal(response.ack, seq, "ack");
              assert.ok(
                response.serverTime >= before && response.serverTime <= BigInt(Date.now()),
                `server time ${response.serverTime} is not the clock in ms`,
              );
              assert.deepEqual([response.command, response.argument], [SET_INTERVAL, 250]);
            }
            await server.script.waitFor(/#4\b.*device 42|device 42.*#4\b/);
            assertHasLine(server.script.stdout, /señal débil 🌡/, "server output");
          } finally {
            sensor.close();
          }
        });
      },
    },
    {
      id: "D1-server-json",
      task: "D1",
      title: "sensor servers print one JSON object per reading with --json",
      points: 2,
      hint: "with --json print JSON.stringify of each decoded reading on its own line (keys seq, " +
        "device, temperature, humidity in %, rssi, battery, note, …)",
      async run({ script }) {
        for (const name of [TCP_SERVER, UDP_SERVER]) {
          await withServer(script(name), ["--json"], async (server) => {
            const message = packReading({
              seq: 9,
              device: 1234,
              note: new TextEncoder().encode("hé"),
            });
            if (name === TCP_SERVER) {
              const sensor = await SensorConnection.open(server.port);
              await sensor.send(message);
              await sensor.response().finally(() => sensor.close());
            } else {
              const socket = udpSocket();
              await udpAsk(socket, server, message).finally(() => socket.close());
            }
            const [line] = await server.script.waitFor(/^\{.*\}$/m);
            const json = JSON.parse(line);
            assert.equal(json.seq, 9, `${name}: seq`);
            assert.equal(json.device, 1234, `${name}: device`);
            assert.equal(json.temperature, 21.5, `${name}: temperature`);
            assert.equal(json.humidity, 45.25, `${name}: humidity in percent`);
            assert.equal(json.rssi, -67, `${name}: rssi`);
            assert.equal(json.battery, 88, `${name}: battery`);
            assert.equal(json.note, "hé", `${name}: note`);
          });
        }
      },
    },
    {
      id: "D1-tcp-server-bad-header",
      task: "D1",
      title: "TCP sensor server answers a bad header with its error code and hangs up",
      points: 3,
      hint: "check magic, version and length (≤ 512, before reading the body); send the error " +
        "response, log one line, close that connection only and keep serving the others",
      async run({ script }) {
        const cases = [
          {
            what: "wrong magic",
            bytes: packReading({ magic: new Uint8Array([0x58, 0x59]) }),
            status: Status.BAD_MAGIC,
          },
          {
            what: "version 2",
            bytes: packReading({ version: 2 }),
            status: Status.UNSUPPORTED_VERSION,
          },
          // Only the header: a server that waits for 60,000 bytes never answers.
          {
            what: "length over 512",
            bytes: HEADER.pack(MAGIC, 1, 1, 60000),
            status: Status.TOO_LARGE,
          },
          { what: "length below 6", bytes: HEADER.pack(MAGIC, 1, 1, 3), status: Status.MALFORMED },
        ];
        await withServer(script(TCP_SERVER), [], async (server) => {
          for (const [i, { what, bytes, status }] of cases.entries()) {
            const sensor = await SensorConnection.open(server.port);
            try {
              await sensor.send(bytes);
              const response = await sensor.response();
              assert.ok(response, `${what}: closed without an error response`);
              assert.equal(response.status, status, `${what}: status`);
              await sensor.assertClosed();
            } finally {
              sensor.close();
            }
            await stderrLines(server.script, i + 1);
          }
          await assertStillServing(server);
          const lines = await stderrLines(server.script, cases.length);
          assert.equal(lines.length, cases.length, `one line per bad sensor:\n${lines.join("\n")}`);
        });
      },
    },
    {
      id: "D1-tcp-server-bad-body",
      task: "D1",
      title: "TCP sensor server answers a bad reading with an error and reads on",
      points: 3,
      hint: "once a whole message is read, a bad type, field, note length or UTF-8 note gets an " +
        "error response (ack = its seq when readable) and the next message on the connection is served",
      async run({ script }) {
        await withServer(script(TCP_SERVER), [], async (server) => {
          const sensor = await SensorConnection.open(server.port);
          try {
            for (const [i, { what, message, status, ack }] of BAD_BODIES.entries()) {
              await sensor.send(message, packReading({ seq: 100 + i }));
              const error = await sensor.response();
              assert.ok(error, `${what}: the server closed the connection`);
              assert.deepEqual([error.status, error.ack], [status, ack], `${what}: status and ack`);
              const next = await sensor.response();
              assert.ok(next, `${what}: no answer to the good reading after it`);
              assert.deepEqual(
                [next.status, next.ack],
                [Status.OK, 100 + i],
                `${what}: next reading`,
              );
            }
          } finally {
            sensor.close();
          }
          const lines = await stderrLines(server.script, BAD_BODIES.length);
          assert.equal(
            lines.length,
            BAD_BODIES.length,
            `one line per bad reading:\n${lines.join("\n")}`,
          );
        });
      },
    },
    {
      id: "D1-tcp-server-truncated",
      task: "D1",
      title: "TCP sensor server survives truncated, stalled and reset connections",
      points: 3,
      hint: "a stream that ends mid-message, a sensor silent mid-message for --idle-timeout ms " +
        "(answer IDLE_TIMEOUT, then close) and a reset are each one log line, never a crash",
      async run({ script }) {
        await withServer(script(TCP_SERVER), ["--idle-timeout", "300"], async (server) => {
          const reading = packReading({ seq: 3 });
          // Truncated: half a reading, then end of stream.
          const truncated = await SensorConnection.open(server.port);
          try {
            await truncated.send(reading.subarray(0, 20));
            await truncated.conn.closeWrite();
            const response = await truncated.response();
            if (response) assert.equal(response.status, Status.MALFORMED, "truncated: status");
            await truncated.assertClosed();
          } finally {
            truncated.close();
          }
          await stderrLines(server.script, 1);
          // Stalled: half a reading, then silence.
          const stalled = await SensorConnection.open(server.port);
          try {
            await stalled.send(reading.subarray(0, 10));
            const response = await stalled.response(5000);
            assert.ok(response, "stalled: closed without an error response");
            assert.equal(response.status, Status.IDLE_TIMEOUT, "stalled: status");
            await stalled.assertClosed();
          } finally {
            stalled.close();
          }
          await stderrLines(server.script, 2);
          // Reset: closing with an unread response in our buffer makes the kernel send RST.
          const reset = await SensorConnection.open(server.port);
          await reset.send(reading, reading.subarray(0, 10));
          await new Promise((resolve) => setTimeout(resolve, 200));
          reset.close();
          await stderrLines(server.script, 3);
          await assertStillServing(server);
        });
      },
    },
    {
      id: "D1-udp-server",
      task: "D1",
      title: "UDP sensor server answers each sender, good readings and bad datagrams alike",
      points: 3,
      hint: "one datagram = one message, its size must equal the length field; reply to the " +
        "sender's address: OK with ack = seq, or the error code (one log line) and keep serving",
      async run({ script }) {
        await withServer(script(UDP_SERVER), [], async (server) => {
          const [a, b] = [udpSocket(), udpSocket()];
          try {
            for (const seq of [1, 2]) {
              const fromA = await udpAsk(a, server, packReading({ seq, device: 1 }));
              const fromB = await udpAsk(b, server, packReading({ seq: seq + 10, device: 2 }));
              assert.deepEqual([fromA.status, fromA.ack], [Status.OK, seq], "sensor A");
              assert.deepEqual([fromB.status, fromB.ack], [Status.OK, seq + 10], "sensor B");
            }
            const good = packReading({ seq: 8 });
            const bad = [
              {
                what: "3 bytes",
                message: new Uint8Array([0x53, 0x54, 1]),
                status: Status.MALFORMED,
              },
              {
                what: "wrong magic",
                message: packReading({ magic: new Uint8Array([0, 0]) }),
                status: Status.BAD_MAGIC,
              },
              {
                what: "version 9",
                message: packReading({ version: 9 }),
                status: Status.UNSUPPORTED_VERSION,
              },
              {
                what: "length over 512",
                message: packReading({ length: 600 }),
                status: Status.TOO_LARGE,
              },
              {
                what: "datagram longer than its length",
                message: new Uint8Array([...good, 0]),
                status: Status.MALFORMED,
              },
              {
                what: "datagram shorter than its length",
                message: good.subarray(0, 30),
                status: Status.MALFORMED,
              },
              ...BAD_BODIES,
            ];
            for (const { what, message, status } of bad) {
              const response = await udpAsk(a, server, message);
              assert.equal(response.status, status, `${what}: status`);
            }
            const after = await udpAsk(b, server, good);
            assert.deepEqual([after.status, after.ack], [Status.OK, 8], "a good reading after");
            const lines = await stderrLines(server.script, bad.length);
            assert.equal(
              lines.length,
              bad.length,
              `one line per bad datagram:\n${lines.join("\n")}`,
            );
          } finally {
            a.close();
            b.close();
          }
        });
      },
    },
    {
      id: "D1-udp-client-loss",
      task: "D1",
      title: "UDP sensor client times out on a missing response and counts the losses",
      points: 3,
      hint:
        "wait --timeout ms for the response whose ack is the seq just sent; without one count " +
        "the reading as lost and go on; ignore late responses; end with `… N lost …`",
      async run({ script }) {
        // Answers #1 and #3 at once, #2 only when #3 comes (too late), never #4.
        const peer = udpSocket();
        const port = String((peer.addr as Deno.NetAddr).port);
        const reply = (to: Deno.Addr, seq: number) =>
          peer.send(
            packResponse({
              status: 0,
              ack: seq,
              serverTime: BigInt(Date.now()),
              command: 0,
              argument: 0,
            }),
            to,
          );
        const serving = (async () => {
          const seqs: number[] = [];
          while (seqs.length < 4) {
            const [datagram, from] = await receiveWithin(peer, 15_000);
            const { seq } = unpackReading(datagram);
            seqs.push(seq);
            if (seq === 3) await reply(from, 2);
            if (seq === 1 || seq === 3) await reply(from, seq);
          }
          return seqs;
        })();
        serving.catch(() => {}); // reported below
        try {
          const args = ["--port", port, "--count", "4", "--interval", "20", "--timeout", "400"];
          const result = await runScript(script(UDP_CLIENT), args, 20_000);
          assertSuccess(result);
          assert.deepEqual(await serving, [1, 2, 3, 4], "one datagram per reading, seq 1 to 4");
          assertHasLine(result.stdout, /\b2 lost\b/, "client summary");
          assertHasLine(result.stdout, /#3\b.*\bOK\b/, "client output");
        } finally {
          peer.close();
        }
      },
    },
    {
      id: "D1-many-sensors",
      task: "D1",
      title: "TCP and UDP sensor servers take readings from several sensors at once",
      points: 2,
      hint: "serve each TCP connection on its own; keep statistics per device; the clients run " +
        "at the same time",
      async run({ script }) {
        for (const [server, client] of [[TCP_SERVER, TCP_CLIENT], [UDP_SERVER, UDP_CLIENT]]) {
          await withServer(script(server), ["--json"], async ({ port, script: running }) => {
            const devices = [11, 12, 13];
            const results = await Promise.all(devices.map((device) =>
              runScript(script(client), [
                "--port",
                String(port),
                "--count",
                "5",
                "--interval",
                "20",
                "--device",
                String(device),
              ], 30_000)
            ));
            results.forEach((result) => assertSuccess(result));
            const objects = await jsonLines(running, 15);
            for (const device of devices) {
              const seqs = objects.filter((json) => json.device === device).map((json) => json.seq);
              assert.deepEqual(
                seqs.sort(),
                [1, 2, 3, 4, 5],
                `${server}: readings of device ${device}`,
              );
            }
          });
        }
      },
    },
    {
      id: "D1-interop-reference",
      task: "D1",
      title: "sensor scripts interoperate with the reference scripts both ways",
      points: 2,
      hint: "your client must be understood by the course's server and your server must " +
        "understand the course's client, over TCP and over UDP",
      async run({ script }) {
        const reference = new CheckContext(REFERENCE_DIR, 1).script;
        const pairs = [
          [reference(TCP_SERVER), script(TCP_CLIENT)],
          [script(TCP_SERVER), reference(TCP_CLIENT)],
          [reference(UDP_SERVER), script(UDP_CLIENT)],
          [script(UDP_SERVER), reference(UDP_CLIENT)],
        ];
        for (const [serverPath, clientPath] of pairs) {
          await withServer(serverPath, [], async ({ port, script: running }) => {
            const args = [
              "--port",
              String(port),
              "--count",
              "2",
              "--interval",
              "20",
              "--device",
              "99",
            ];
            const result = await runScript(clientPath, args, 20_000);
            assertSuccess(result);
            assertHasLine(result.stdout, /\b0 lost\b/, `${clientPath} output`);
            await running.waitFor(/#2\b.*device 99/);
            assert.equal(running.stderr.trim(), "", `${serverPath} logged an error`);
          });
        }
      },
    },
    {
      id: "O1-stalled-sensor",
      task: "O1",
      title: "a sensor stalled mid-message does not hold up another sensor",
      points: 2,
      hint: "serve each connection concurrently (the threads of the original): while one " +
        "connection waits for the rest of a message, the others are read and answered",
      async run({ script }) {
        await withServer(script(TCP_SERVER), ["--idle-timeout", "60000"], async (server) => {
          const stalled = await SensorConnection.open(server.port);
          try {
            await stalled.send(packReading({ seq: 1 }).subarray(0, 12));
            await assertAnsweredQuickly(script(TCP_CLIENT), server.port);
          } finally {
            stalled.close();
          }
        });
      },
    },
    {
      id: "O1-idle-sensor",
      task: "O1",
      title: "a connected sensor waiting between readings does not hold up another sensor",
      points: 2,
      hint: "a one-client-at-a-time accept loop leaves the second sensor unanswered until the " +
        "first disconnects: start each connection's work without awaiting it",
      async run({ script }) {
        await withServer(script(TCP_SERVER), [], async (server) => {
          const first = await SensorConnection.open(server.port);
          try {
            await first.send(packReading({ seq: 1, device: 5 }));
            assert.equal((await first.response())?.status, Status.OK, "the first sensor's reading");
            await assertAnsweredQuickly(script(TCP_CLIENT), server.port); // first stays connected
            await first.send(packReading({ seq: 2, device: 5 }));
            assert.equal((await first.response())?.ack, 2, "the first sensor is still served");
          } finally {
            first.close();
          }
        });
      },
    },
  ]),
);

/** Runs a TCP sensor client that must get all its responses within a few seconds. */
async function assertAnsweredQuickly(clientPath: string, port: number): Promise<void> {
  const client = await startScript(clientPath, [
    "--port",
    String(port),
    "--count",
    "3",
    "--interval",
    "20",
    "--device",
    "6",
  ]);
  const result = await client.finished(8000).catch((error) => {
    throw new Error(
      `the second sensor was not served while the first one waited: ${error.message}`,
    );
  });
  assertSuccess(result);
  assertHasLine(result.stdout, /\b0 lost\b/, "second sensor's summary");
}
