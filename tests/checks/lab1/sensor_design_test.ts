/**
 * Graded checks for Deliverable 1 (task D1) and its optional concurrent server (O1)
 * that hold for ANY protocol a student designs: they run the student's own clients
 * against the student's own servers and look only at what the handout's contract asks
 * every design to show:
 *
 * - the four scripts `sensor_{client,server}_{tcp,udp}.ts`;
 * - clients take `--port`, `--count N` (then exit 0), `--interval MS`, `--device ID`,
 *   and the UDP client `--timeout MS`, ending with a summary that says `<n> lost`;
 * - servers take `--port` and `--json`, printing one JSON object per reading on a line of
 *   its own, with the sender's `device` among its fields.
 *
 * The checks that hold scripts to the course's own protocol, byte for byte, are in
 * `sensor_test.ts`; a student with a design of their own leaves them out with the
 * grader's `--own-design`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Check, defineChecks } from "../../harness/checks.ts";
import { assertHasLine, assertRanUntilStopped, assertSuccess } from "../../harness/expect.ts";
import { seededBytes, udpSend, udpSocket } from "../../harness/peers.ts";
import { type RunningScript, runScript, startServer } from "../../../tools/script/process.ts";

const READINGS = 4;

/** Client arguments for a short, quick run. */
function clientArgs(port: number, device: number, count = READINGS, interval = 30): string[] {
  return [
    "--port",
    String(port),
    "--count",
    String(count),
    "--interval",
    String(interval),
    "--device",
    String(device),
  ];
}

/** Waits for `count` JSON objects on the server's stdout and parses them. */
async function jsonReadings(
  server: RunningScript,
  count: number,
): Promise<Record<string, unknown>[]> {
  await server.waitFor(new RegExp(`(?:^\\{.*\\}\\s*$[^]*?){${count}}`, "m"), 15_000);
  return server.stdout.split("\n").filter((line) => line.startsWith("{")).map((line, i) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`--json line ${i + 1} is not JSON: ${line}`);
    }
  });
}

/** Runs one client against one server (both the student's) and returns the server's readings. */
async function roundTrip(
  transport: "tcp" | "udp",
  script: (name: string) => string,
  device: number,
) {
  await using server = await startServer(script(`sensor_server_${transport}.ts`), ["--json"]);
  const result = await runScript(
    script(`sensor_client_${transport}.ts`),
    clientArgs(server.port, device),
    30_000,
  );
  assertSuccess(result);
  return await jsonReadings(server.script, READINGS);
}

/** The kinds of JSON values the readings carry: integers, fractions, text, booleans, lists. */
function valueKinds(readings: Record<string, unknown>[]): Set<string> {
  const kinds = new Set<string>();
  for (const reading of readings) {
    for (const value of Object.values(reading)) {
      if (typeof value === "number") kinds.add(Number.isInteger(value) ? "integer" : "fraction");
      else if (value !== null) kinds.add(Array.isArray(value) ? "list" : typeof value);
    }
  }
  return kinds;
}

/** Sends bytes a sensor would never send, in the ways a broken network or client does. */
async function abuseTcp(port: number): Promise<void> {
  const garbage = await Deno.connect({ hostname: "127.0.0.1", port });
  await garbage.write(seededBytes(700, 31)).catch(() => {}); // the server may hang up first
  garbage.close();
  const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
  await stalled.write(seededBytes(3, 32));
  (await Deno.connect({ hostname: "127.0.0.1", port })).close(); // connects and vanishes
  return stalled.close(); // after the others: it stalled while they came and went
}

/** The check that your client and server of one transport exchange --count readings. */
function roundTripCheck(transport: "tcp" | "udp", hint: string): Check {
  return {
    id: `D1-design-${transport}`,
    task: "D1",
    title: `your ${transport.toUpperCase()} sensor client and server exchange --count readings ` +
      "(one --json line each)",
    points: 3,
    hint,
    async run({ script }) {
      const readings = await roundTrip(transport, script, 7);
      assert.equal(readings.length, READINGS, "one JSON line per reading");
    },
  };
}

export const checks = defineChecks(1, [
  roundTripCheck(
    "tcp",
    "the client sends --count readings and exits 0; the server, with --json, prints one " +
      "JSON object per reading on its own line (logs go to stderr or are not JSON lines)",
  ),
  roundTripCheck(
    "udp",
    "over UDP each reading is a datagram; the server answers each one to the address it " +
      "came from and prints one JSON object per reading with --json",
  ),
  {
    id: "D1-design-data",
    task: "D1",
    title: "readings carry the device id, several data types and values that change",
    points: 2,
    hint: "put the --device id in every reading and use several types (whole numbers, " +
      "decimals, an enum or flags, text); the values are generated at random for each reading",
    async run({ script }) {
      const readings = await roundTrip("tcp", script, 42);
      for (const reading of readings) assert.equal(reading.device, 42, "each reading's device");
      const kinds = valueKinds(readings);
      assert.ok(kinds.has("integer") && kinds.has("fraction"), `value kinds: ${[...kinds]}`);
      assert.ok(kinds.size >= 3, `only ${[...kinds].join(", ")}: use more data types`);
      const fields = Object.keys(readings[0]);
      const changing = fields.filter((field) =>
        new Set(readings.map((reading) => JSON.stringify(reading[field]))).size > 1
      );
      assert.ok(changing.length >= 2, `only ${changing.join(", ") || "nothing"} changes`);
    },
  },
  {
    id: "D1-design-periodic",
    task: "D1",
    title: "the client sends one reading every --interval milliseconds",
    points: 1,
    hint: "wait --interval ms between readings (a timer, not a busy loop) instead of sending " +
      "them all at once",
    async run({ script }) {
      await using server = await startServer(script("sensor_server_udp.ts"), ["--json"]);
      const started = performance.now();
      const args = clientArgs(server.port, 3, 4, 250);
      assertSuccess(await runScript(script("sensor_client_udp.ts"), args, 30_000));
      const took = performance.now() - started;
      // Only a lower bound: 4 readings are 3 intervals apart, whatever the machine's load.
      assert.ok(took >= 3 * 250 * 0.9, `4 readings at --interval 250 took only ${took} ms`);
    },
  },
  {
    id: "D1-design-udp-loss",
    task: "D1",
    title: "the UDP client stops waiting after --timeout and reports how many were lost",
    points: 2,
    hint: "wait at most --timeout ms for each response, count the ones that never came, and " +
      "end with a summary line that says `<n> lost`",
    async run({ script }) {
      const silent = udpSocket(); // receives readings, never answers
      try {
        const port = (silent.addr as Deno.NetAddr).port;
        const args = [...clientArgs(port, 5, 3, 20), "--timeout", "200"];
        const result = await runScript(script("sensor_client_udp.ts"), args, 30_000);
        assertHasLine(result.stdout + result.stderr, /\b3 lost\b/, "client output");
      } finally {
        silent.close();
      }
    },
  },
  {
    id: "D1-design-garbage",
    task: "D1",
    title: "your servers survive garbage, stalls and vanishing clients, then serve a sensor",
    points: 3,
    hint: "check every message before trusting it (length, magic, type, text), never let one " +
      "client's error escape its own handler, and keep the server running",
    async run({ script }) {
      const tcp = await startServer(script("sensor_server_tcp.ts"), ["--json"]);
      const udp = await startServer(script("sensor_server_udp.ts"), ["--json"]);
      try {
        await abuseTcp(tcp.port);
        (await udpSend(udp.port, new Uint8Array(0), seededBytes(1, 2), seededBytes(900, 3)))
          .close();
        for (const [server, transport] of [[tcp, "tcp"], [udp, "udp"]] as const) {
          const client = script(`sensor_client_${transport}.ts`);
          assertSuccess(await runScript(client, clientArgs(server.port, 9, 2), 30_000));
          const readings = await jsonReadings(server.script, 2);
          assert.equal(readings.filter((reading) => reading.device === 9).length, 2);
        }
      } finally {
        for (const server of [tcp, udp]) {
          assertRanUntilStopped(await server.script.stop(), `the ${server.script.label} server`);
        }
      }
    },
  },
  {
    id: "D1-design-many",
    task: "D1",
    title: "your servers take readings from several sensors at once",
    points: 2,
    hint: "one server, many clients: each reading is answered to its own sender",
    async run({ script }) {
      for (const transport of ["tcp", "udp"] as const) {
        await using server = await startServer(script(`sensor_server_${transport}.ts`), ["--json"]);
        const client = script(`sensor_client_${transport}.ts`);
        const runs = [11, 12, 13].map((device) =>
          runScript(client, clientArgs(server.port, device, 3), 30_000)
        );
        for (const result of await Promise.all(runs)) assertSuccess(result);
        const readings = await jsonReadings(server.script, 9);
        const devices = readings.map((reading) => reading.device).sort();
        assert.deepEqual(devices, [11, 11, 11, 12, 12, 12, 13, 13, 13], `${transport} devices`);
      }
    },
  },
  {
    id: "O1-design-stalled",
    task: "O1",
    title: "a sensor that stalls mid-message or sits idle does not hold up another sensor",
    points: 4,
    hint: "serve each TCP connection on its own (the threads of the original): start each " +
      "connection's work without awaiting it, so a slow or idle sensor blocks only itself",
    async run({ script }) {
      await using server = await startServer(script("sensor_server_tcp.ts"), ["--json"]);
      const idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      const stalled = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      try {
        await stalled.write(seededBytes(2, 41)); // the start of a message, never finished
        const client = script("sensor_client_tcp.ts");
        const result = await runScript(client, clientArgs(server.port, 21, 2), 10_000).catch(
          (error) => {
            throw new Error(`the second sensor was not served: ${error.message}`);
          },
        );
        assertSuccess(result);
        const readings = await jsonReadings(server.script, 2);
        assert.equal(readings.filter((reading) => reading.device === 21).length, 2);
      } finally {
        idle.close();
        stalled.close();
      }
    },
  },
]);
