#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — load generator: opens --connections connections to an echo server and holds
 * them all while each makes a round trip every --interval ms, --rounds times (starting at
 * random moments, so the load is even; `--interval 0`: back to back, as fast as the
 * server answers). It reports the connections held and the round-trip times at that load
 * (p50, p99), and how late its own trips set off; the server's --quiet summary shows its
 * memory meanwhile.
 *
 * Each connection is a file descriptor on both sides: `ulimit -n` must exceed the count
 * (Deno raises its soft limit to the hard one by itself). Each also takes a local port:
 * Linux lends 28,232 of them per server address (net.ipv4.ip_local_port_range).
 *
 * Run: ./labs/lab2/multiconn_server.ts --quiet       (prints connections and memory)
 *      ./labs/lab2/load_generator.ts --connections 10000     (in a second terminal)
 */
import {
  describeError,
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { equals, utf8Encode } from "../../lib/bytes.ts";
import { readExact, writeAll } from "../../lib/framing.ts";
import { closeQuietly, connectTcp, NetworkError } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Load generator (Task 2.1): holds N connections and times round trips on all.",
  options: {
    ...peerOptions("echo server", "TCP", "65432"),
    connections: { default: "10000", valueName: "N", description: "connections to hold" },
    rounds: { default: "5", valueName: "R", description: "round trips per connection" },
    interval: { default: "1000", valueName: "MS", description: "time between two trips" },
  },
});
const MESSAGE = utf8Encode("32 bytes from a load generator.\n");
// The server's accept queue (listen backlog) holds a few hundred attempts; more would
// wait a second for a retry.
const ATTEMPTS_AT_ONCE = 200;
const ECHO_DEADLINE_MS = 10_000;
/** Connections given back at the descriptor limit, for the runtime's own use. */
const RESERVE = 8;

/** Sends the message and reads its echo; resolves to the milliseconds it took. */
async function roundTrip(conn: Deno.TcpConn): Promise<number> {
  const sent = performance.now();
  await writeAll(conn, MESSAGE);
  if (!equals(await readExact(conn, MESSAGE.length), MESSAGE)) throw new Error("a bad echo");
  return performance.now() - sent;
}

await runMain(async () => {
  const count = parseCount(values.connections, "--connections");
  const rounds = parseCount(values.rounds, "--rounds");
  const interval = values.interval === "0" ? 0 : parseMilliseconds(values.interval, "--interval");
  const port = parsePort(values.port);

  // #region open
  // The kernel completes a handshake before the server calls accept(): only a first
  // echo proves that the server holds the connection.
  const conns: Deno.TcpConn[] = [];
  let [attempts, failure]: [number, string | undefined] = [0, undefined];
  await Promise.all(Array.from({ length: Math.min(ATTEMPTS_AT_ONCE, count) }, async () => {
    while (failure === undefined && attempts++ < count) {
      try {
        const conn = await connectTcp(values.host, port);
        let timer;
        const silence = new Promise<undefined>((resolve) => {
          timer = setTimeout(resolve, ECHO_DEADLINE_MS, undefined);
        });
        const answered = await Promise.race([roundTrip(conn), silence]);
        clearTimeout(timer); // a timer left running would keep the program alive
        if (answered !== undefined) conns.push(conn);
        else {
          conn.close();
          failure ??= `no echo within ${ECHO_DEADLINE_MS} ms: is the server still accepting?`;
        }
      } catch (error) {
        failure ??= describeError(error);
      }
    }
  }));
  // #endregion open
  // Out of descriptors, Deno itself cannot open what it needs and stops with a panic:
  // leave it a few.
  if (/os error 2[34]\b/.test(failure ?? "")) conns.splice(-RESERVE).forEach(closeQuietly);
  console.log(`connections held: ${conns.length} of ${count}`);
  if (conns.length === 0) throw new NetworkError(`no connection could be opened: ${failure}`);
  if (failure) console.log(`opening stopped: ${failure}`);

  // #region rounds
  // One loop sets off every trip at its moment, sleeping only until the next one is due:
  // each connection keeps its own phase (random, so the load is even). A timer per trip
  // is a call into Deno's runtime each, and 10,000 set at once held the event loop up for
  // hundreds of milliseconds on a busy machine, then fired together: a burst of trips
  // that no real load makes, timed as if the server were slow.
  const samples = new Float64Array(conns.length * rounds);
  // How late each trip set off: a generator behind its own schedule (its event loop, or
  // the cores it shares with the server, too busy) times its own delays, not the server's.
  const late = new Float64Array(conns.length * rounds);
  const phases = conns.map((_, c) => ({ c, phase: Math.random() * interval }));
  phases.sort((a, b) => a.phase - b.phase);
  const trips = conns.map(() => Promise.resolve()); // a connection's trips go one by one
  let error: unknown;
  const started = performance.now();
  for (let r = 0; r < rounds && error === undefined; r++) {
    for (const { c, phase } of phases) {
      const due = started + r * interval + phase;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      trips[c] = trips[c].then(async () => {
        late[c * rounds + r] = performance.now() - due;
        samples[c * rounds + r] = await roundTrip(conns[c]);
      }).catch((failure) => error ??= failure);
    }
  }
  await Promise.all(trips);
  if (error !== undefined) throw error;
  const seconds = (performance.now() - started) / 1000;
  // #endregion rounds

  const ms = (sorted: Float64Array, p: number) =>
    `${sorted[Math.ceil(p * sorted.length) - 1].toFixed(2)} ms`;
  samples.sort();
  console.log(
    `${samples.length} round trips of ${MESSAGE.length} bytes in ${seconds.toFixed(2)} s ` +
      `(${Math.round(samples.length / seconds)} per second), each connection every ` +
      `${interval} ms: p50 ${ms(samples, 0.5)}, p99 ${ms(samples, 0.99)}, max ${ms(samples, 1)}`,
  );
  if (interval > 0) console.log(`trips set off late by p99 ${ms(late.sort(), 0.99)}`);
  conns.forEach(closeQuietly);
});
