/**
 * Hostile peers for every server's graded checks: a server must survive clients that
 * reset before it accepts them, reset mid-stream, send garbage, go silent or trickle,
 * announce gigantic messages, half-close, use up its descriptors, or flood it with
 * datagrams of every size, while a good client goes on being served.
 *
 * {@linkcode attackTcpServer} and {@linkcode attackUdpServer} start the server, run a good
 * client in a loop, then each attack in turn (short, bounded, loopback only). After each
 * attack the good client must be served again within {@linkcode RECOVERY_MS} of the
 * attack's end: fresh good exchanges start at that moment, a new one every
 * {@linkcode RETRY_MS} while the others wait for their answer, so that the time measured
 * is the server's and not that of a request the attack made it drop. At the end the
 * server must still run when the check stops it, have printed no stack trace, and its
 * resident memory (RSS, its peak as the kernel keeps it) must have stayed within
 * {@linkcode MAX_RSS_GROWTH_MIB} of what it used once started. Each attack's outcome
 * (an `AttackResult`, the one that failed the check included) is appended as a line of
 * JSON to the file named by the environment variable `HOSTILE_REPORT` if it is set:
 * `deno task attack-report` prints those lines as a table
 * (`tools/reports/attack_table.ts`).
 *
 * Resets need `SO_LINGER` and a datagram from port 0 a raw socket, which Deno cannot do:
 * those attacks run `python/hostile_peers.py`, and are skipped (with the reason in the
 * result) where python3 is missing or, for port 0, without root.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { AttackResult } from "../../tools/reports/attack_table.ts";
import { hasProgram, isRoot } from "../../tools/script/host.ts";
import {
  type RunningServer,
  type StartOptions,
  startProgram,
  startServer,
} from "../../tools/script/process.ts";
import type { Check } from "./checks.ts";
import { assertRanUntilStopped } from "./expect.ts";
import { seededBytes } from "./peers.ts";

/** How soon after an attack ends the good client must be served again, in ms. */
export const RECOVERY_MS = 1000;
/**
 * How long a server just started may take to serve its first good client, in ms: its
 * first exchange compiles its code, which takes long on a busy machine; no attack has
 * happened yet, so {@linkcode RECOVERY_MS} does not apply.
 */
export const FIRST_SERVED_MS = 10_000;
/** How much the server's memory may grow during the attacks, in MiB. */
export const MAX_RSS_GROWTH_MIB = 128;
/** The `--idle-timeout` TCP servers are started with, in ms: short, so the checks are. */
export const IDLE_TIMEOUT_MS = 300;
/** The descriptor limit of the low-limit run (`prlimit --nofile`). */
export const DESCRIPTOR_LIMIT = 64;
/** How long one good exchange during an attack may take, in ms. */
const ATTEMPT_MS = 400;
/** After an attack, a new good exchange starts this often while earlier ones wait, in ms. */
export const RETRY_MS = 100;

const PEERS = fileURLToPath(new URL("./python/hostile_peers.py", import.meta.url));

export type { AttackResult };

/** One exchange of a good client, which throws (or times out) unless it was served. */
export type GoodClient = (server: RunningServer, timeoutMs: number) => Promise<void>;

/** What {@linkcode attackTcpServer} and {@linkcode attackUdpServer} need to know. */
export interface HostileOptions {
  /** Arguments for the server besides `--port 0` (and `--idle-timeout` for TCP). */
  args?: string[];
  /** One exchange of a good client. */
  good: GoodClient;
  /**
   * TCP: whether the server closes a connection idle for `--idle-timeout` (default true;
   * the sensor server lets a sensor be silent between messages, as its protocol says).
   */
  closesIdle?: boolean;
}

/** An attack on the server at `port`; `python` is there when python3 is installed. */
type Attack = (port: number, python: PythonPeer) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const address = (port: number) => ({ hostname: "127.0.0.1", port });

/**
 * The resident memory (RSS) of a process, and the largest it reached. On Linux the kernel
 * keeps that peak (`VmHWM` in /proc/PID/status) and starts it afresh when asked
 * (`clear_refs`), so one read per attack is exact and costs the machine nothing between
 * reads; elsewhere `ps` samples the RSS every 50 ms. Deno opens /proc only with
 * --allow-all, so `cat` and `sh` read and write it for us.
 */
class MemoryWatch {
  #max = 0;
  #peak = 0; // since resetPeak()
  readonly #kernelPeak = Deno.build.os === "linux";
  #watching = !this.#kernelPeak;
  readonly #loop: Promise<void>;

  constructor(readonly pid: number) {
    this.#loop = (async () => {
      while (this.#watching) {
        await this.sample();
        await sleep(50);
      }
    })();
  }

  /** The resident memory now and its peak (since the last reset on Linux), in MiB. */
  async #read(): Promise<{ rss: number; peak: number }> {
    const [command, args] = this.#kernelPeak
      ? ["cat", [`/proc/${this.pid}/status`]]
      : ["ps", ["-o", "rss=", "-p", String(this.pid)]];
    const { stdout } = await new Deno.Command(command, { args, stderr: "null" }).output();
    const text = new TextDecoder().decode(stdout);
    const kib = (field: string) =>
      Number(text.match(new RegExp(`^${field}:\\s*(\\d+)`, "m"))?.[1] ?? 0);
    if (!this.#kernelPeak) {
      const rss = Number(text.trim() || 0) / 1024; // KiB; 0 once the process is gone
      return { rss, peak: rss };
    }
    return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 }; // 0 once the process is gone
  }

  /** The resident memory now, in MiB, and the peak so far taken into account. */
  async sample(): Promise<number> {
    const { rss, peak } = await this.#read();
    this.#max = Math.max(this.#max, peak);
    this.#peak = Math.max(this.#peak, peak);
    return rss;
  }

  /** Starts a new peak (one attack's). */
  async resetPeak(): Promise<void> {
    this.#peak = 0;
    if (!this.#kernelPeak) return;
    const reset = new Deno.Command("sh", {
      args: ["-c", `echo 5 > /proc/${this.pid}/clear_refs`],
      stderr: "null",
    });
    await reset.output(); // where it fails, the peak stays that of the process's lifetime
  }

  /** The largest resident memory since {@linkcode MemoryWatch.resetPeak}, now included. */
  async peakMiB(): Promise<number> {
    await this.sample();
    return this.#peak;
  }

  /** The largest resident memory seen, in MiB. */
  get maxMiB(): number {
    return this.#max;
  }

  async stop(): Promise<void> {
    this.#watching = false;
    await this.#loop;
  }
}

/** The Python peer, started once per server: Python may take seconds to start. */
class PythonPeer {
  readonly #script = startProgram("python3", [PEERS], { stdin: true });
  readonly #ready = this.#script.waitFor(/^ready$/m, 30_000);
  #commands = 0;

  constructor() {
    // Awaited by run(). A peer stopped before any run (the attack failed first: a server
    // that died) must not leave its rejection to fail whatever check runs next.
    this.#ready.catch(() => {});
  }

  /** Resolves once the peer has started. */
  async started(): Promise<void> {
    await this.#ready;
  }

  /** Runs one command (`resets PORT N` …) and resolves when the peer is done with it. */
  async run(...args: (string | number)[]): Promise<void> {
    await this.#ready;
    const id = ++this.#commands;
    await this.#script.write(`${id} ${args.join(" ")}\n`);
    await this.#script.waitFor(new RegExp(`^done ${id}$`, "m"), 30_000);
  }

  async stop(): Promise<void> {
    await this.#script.closeStdin();
    const { code, stderr } = await this.#script.finished(5000);
    assert.equal(code, 0, `hostile_peers.py failed:\n${stderr}`);
  }
}

/** Opens `count` connections (20 at a time); resolves to those that opened. */
async function openMany(port: number, count: number): Promise<Deno.TcpConn[]> {
  const conns: Deno.TcpConn[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from(
      { length: Math.min(20, count - i) },
      () => Deno.connect(address(port)),
    );
    for (const opened of await Promise.allSettled(batch)) {
      if (opened.status === "fulfilled") conns.push(opened.value);
    }
  }
  return conns;
}

function closeAll(resources: { close(): void }[]): void {
  for (const resource of resources) {
    try {
      resource.close();
    } catch { /* closed already */ }
  }
}

/** Reads until the server closes (or resets) the connection; false after `timeoutMs`. */
async function closedByServer(conn: Deno.Conn, timeoutMs: number): Promise<boolean> {
  const timer = setTimeout(() => closeAll([conn]), timeoutMs);
  const buffer = new Uint8Array(64 * 1024);
  try {
    while ((await conn.read(buffer)) !== null);
    return true;
  } catch (error) {
    return error instanceof Deno.errors.ConnectionReset; // else: closed by our timer
  } finally {
    clearTimeout(timer);
    closeAll([conn]);
  }
}

/** Writes `data` and then whatever the server answers is drained and thrown away. */
async function send(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let sent = 0; sent < data.length;) sent += await conn.write(data.subarray(sent));
}

/** Sends `data` on `count` connections, reading nothing, and closes them. */
async function writeAndVanish(port: number, count: number, data: Uint8Array): Promise<void> {
  const conns = await openMany(port, count);
  await Promise.allSettled(conns.map((conn) => send(conn, data)));
  closeAll(conns);
}

/** The TCP attacks, by name (see {@linkcode HostileOptions} for the options). */
function tcpAttacks(
  { closesIdle = true }: HostileOptions,
): [string, Attack | string][] {
  const noPython = hasProgram("python3") ? undefined : "python3 is not installed";
  return [
    ["garbage (8 × 16 KiB)", (port) => writeAndVanish(port, 8, seededBytes(16384, 21))],
    [
      "oversized prefix and line",
      async (port) => {
        const prefix = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, ...seededBytes(1024, 22));
        const line = new Uint8Array(80 * 1024).fill(0x41); // over the usual 64 KiB, no newline
        const conns = await openMany(port, 2);
        const reading = conns.map((conn) => closedByServer(conn, 1000)); // or an echo stalls us
        await Promise.allSettled([send(conns[0], prefix), send(conns[1], line)]);
        await Promise.all(reading);
      },
    ],
    ["idle clients (20)", async (port) => {
      const conns = await openMany(port, 20);
      const wait = IDLE_TIMEOUT_MS + (closesIdle ? 1000 : 100);
      const closed = await Promise.all(conns.map((conn) => closedByServer(conn, wait)));
      if (closesIdle) {
        const open = closed.filter((c) => !c).length;
        assert.equal(open, 0, `${open} idle connections still open after --idle-timeout`);
      }
      closeAll(conns);
    }],
    ["slow clients (1 byte / 50 ms)", async (port) => {
      const conns = await openMany(port, 5);
      const until = performance.now() + IDLE_TIMEOUT_MS + 300;
      await Promise.allSettled(conns.map(async (conn) => {
        while (performance.now() < until) {
          await send(conn, Uint8Array.of(0x42));
          await sleep(50);
        }
      }));
      closeAll(conns);
    }],
    ["half-close", async (port) => {
      const conns = await openMany(port, 5);
      const ended = await Promise.all(conns.map(async (conn) => {
        await send(conn, new TextEncoder().encode("hello\n"));
        await conn.closeWrite();
        return await closedByServer(conn, 2000);
      }));
      assert.ok(ended.every(Boolean), "after a half-close the server never closed its side");
      closeAll(conns);
    }],
    // Last: the Python peer may take seconds to start, meanwhile the others run.
    ["reset before accept (50)", noPython ?? ((port, py) => py.run("resets", port, 50))],
    [
      "reset mid-stream (10 × 64 KiB)",
      noPython ?? ((port, py) => py.run("midstream", port, 10, 65536)),
    ],
  ];
}

/** The UDP attacks, by name. */
function udpAttacks(): [string, Attack | string][] {
  const port0 = !hasProgram("python3")
    ? "python3 is not installed"
    : !isRoot()
    ? "a datagram from port 0 needs a raw socket (root)"
    : undefined;
  return [
    ["flood (8 × 1000 datagrams)", (port) => flood(port, 8, 1000, (i) => 1 + (i * 7919) % 1400)],
    ["empty datagrams (200)", (port) => flood(port, 1, 200, () => 0)],
    ["65,507-byte datagrams (100)", (port) => flood(port, 2, 50, () => 65_507)],
    ["2000 source ports", async (port) => {
      for (let i = 0; i < 2000; i += 100) await flood(port, 100, 1, () => 1);
    }],
    ["spoofed from port 0 (50)", port0 ?? ((port, py) => py.run("port0", port, 50))],
  ];
}

/** Sends `count` datagrams of `size(i)` bytes (seeded) from each of `sockets` sockets. */
async function flood(
  port: number,
  sockets: number,
  count: number,
  size: (i: number) => number,
): Promise<void> {
  const payload = seededBytes(65_507, 23);
  const to = { transport: "udp" as const, ...address(port) };
  await Promise.all(Array.from({ length: sockets }, async () => {
    const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    try {
      for (let i = 0; i < count; i++) await socket.send(payload.subarray(0, size(i)), to);
    } finally {
      socket.close();
    }
  }));
}

/**
 * Runs every attack against a server started with `args`, one after the other, each while
 * a good client keeps being served; then checks that the server is up and clean. Each
 * attack's result is added to `results` as it is known, the one that fails included.
 */
async function underAttack(
  path: string,
  args: string[],
  attacks: [string, Attack | string][],
  options: HostileOptions,
  results: AttackResult[],
  startOptions: StartOptions = {},
): Promise<void> {
  const needsPython = attacks.some(([, run]) => typeof run !== "string" && run.length > 1);
  const python = needsPython ? new PythonPeer() : undefined; // starts while the server does
  const server = await startServer(path, args, startOptions);
  const name = path.split("/").at(-1)!;
  const memory = new MemoryWatch(server.script.pid);
  await memory.resetPeak(); // what start-up took is not growth
  const baseline = await memory.sample();
  const lingering: Promise<void>[] = []; // good exchanges no longer needed
  let failure: unknown;
  try {
    await recover(server, options.good, "before any attack", lingering, undefined, FIRST_SERVED_MS);
    for (const [attack, run] of attacks) {
      const result: AttackResult = {
        server: name,
        attack,
        stayedUp: true,
        attackMs: 0,
        servedDuring: 0,
        recoveryMs: null,
        maxRssMiB: 0,
      };
      if (typeof run === "string") {
        results.push({ ...result, skipped: run });
        continue;
      }
      try {
        if (run.length > 1) await python!.started(); // its start-up is no part of the attack
        await memory.resetPeak();
        // One good exchange at a time, all along the attack; the one in flight at its end
        // may still be served, while recover() tries afresh from that moment.
        let [attacking, lastServed] = [true, 0];
        const goodLoop = (async () => {
          while (attacking) {
            await options.good(server, ATTEMPT_MS).then(() => {
              result.servedDuring++;
              lastServed = performance.now();
            }, () => {});
            if (attacking) await sleep(20);
          }
        })();
        lingering.push(goodLoop); // awaited at the end, whatever happens
        const started = performance.now();
        let ended = 0;
        try {
          await run(server.port, python!);
        } finally {
          attacking = false;
          ended = performance.now();
          result.attackMs = Math.round(ended - started);
        }
        const afresh = await recover(server, options.good, `after "${attack}"`, lingering, ended)
          .catch(async (error: unknown) => {
            await goodLoop; // served in time after all?
            if (lastServed < ended || lastServed - ended > RECOVERY_MS) throw error;
            return Infinity;
          });
        // The exchange in flight when the attack ended ends by itself (it is lingering).
        const inFlight = lastServed >= ended ? lastServed - ended : Infinity;
        result.recoveryMs = Math.round(Math.min(inFlight, afresh));
        if (!server.script.running) { // it answered, then fell: the attack's doing all the same
          throw new Error(
            `${name} exited after "${attack}"\n--- server stderr ---\n` +
              server.script.stderr.slice(-1500),
          );
        }
      } catch (error) {
        result.failed = String(error instanceof Error ? error.message : error).split("\n")[0];
        throw error;
      } finally {
        result.stayedUp = server.script.running;
        result.maxRssMiB = Math.round(await memory.peakMiB());
        results.push(result);
      }
    }
    const growth = memory.maxMiB - baseline;
    assert.ok(
      growth <= MAX_RSS_GROWTH_MIB,
      `${name}: memory grew by ${growth.toFixed(0)} MiB under attack (${
        memory.maxMiB.toFixed(0)
      } MiB)`,
    );
  } catch (error) {
    failure = error; // the first thing that went wrong: a dead server fails all after it
  }
  await Promise.all(lingering);
  await memory.stop();
  await python?.stop().catch((error) => failure ??= error);
  const ended = await server.script.stop();
  if (failure) throw failure;
  // Still running when stopped, no stack trace; how it answers SIGTERM is graded by a check
  // of its own (one cause, one failure).
  assertRanUntilStopped(ended, name);
}

/**
 * Runs `runs` (each adding to the results it is given), then appends their results, in
 * that order, to the file named by `HOSTILE_REPORT` if set; rethrows the first failure.
 */
async function reported(
  runs: ((results: AttackResult[]) => Promise<void>)[],
): Promise<AttackResult[]> {
  const results = runs.map(() => [] as AttackResult[]);
  const outcomes = await Promise.allSettled(runs.map((run, i) => run(results[i])));
  const all = results.flat();
  const report = Deno.env.get("HOSTILE_REPORT");
  const lines = all.map((result) => JSON.stringify(result) + "\n").join("");
  if (report) await Deno.writeTextFile(report, lines, { append: true });
  for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
  return all;
}

/**
 * Tries the good client until it is served, starting a new exchange every
 * {@linkcode RETRY_MS} (or as soon as one fails) while earlier ones wait for their
 * answer, each for as long as is left (up to {@linkcode RECOVERY_MS}): the first one,
 * started when the attack ended, may take all of that time, as a client would, and the
 * next ones stand in for a request the attack made the server drop. Fails when none was
 * served within `withinMs` of `start`, or as soon as the server has exited and the
 * exchanges in flight have ended unserved. Resolves
 * to the time from `start` to the first one served; those still waiting then are added
 * to `lingering`.
 */
async function recover(
  server: RunningServer,
  good: GoodClient,
  when: string,
  lingering: Promise<void>[],
  start = performance.now(),
  withinMs = RECOVERY_MS,
): Promise<number> {
  const deadline = start + withinMs;
  let failure: unknown = "no time left to try";
  let served: number | undefined;
  const attempts: Promise<void>[] = [];
  // A server that has exited serves no one: trying until the deadline would only spin
  // (a refused connection fails at once); the exchanges in flight still count.
  for (let left = withinMs; served === undefined && left > 0 && server.script.running;) {
    const attempt = good(server, Math.min(left, RECOVERY_MS)).then(
      () => void (served ??= performance.now() - start),
      (error) => void (failure = error),
    );
    attempts.push(attempt);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([attempt, new Promise((resolve) => timer = setTimeout(resolve, RETRY_MS))]);
    clearTimeout(timer);
    left = deadline - performance.now();
  }
  // Once one is served, the others end by their own timeouts, awaited by the caller.
  if (served === undefined) await Promise.all(attempts);
  else lingering.push(...attempts);
  if (served !== undefined) return Math.round(served);
  const why = server.script.running
    ? `was not served within ${withinMs} ms`
    : `was not served: the server exited`;
  throw new Error(
    `the good client ${why} ${when}: ${failure}\n` +
      `--- server stderr ---\n${server.script.stderr.slice(-1500)}`,
  );
}

/**
 * Attacks a TCP server: started with `--idle-timeout 300`, the attacks of
 * {@linkcode tcpAttacks}; then again under `prlimit --nofile=64`, where 100 idle clients
 * use up its descriptors while a client connected before them is served.
 */
export async function attackTcpServer(
  path: string,
  options: HostileOptions,
): Promise<AttackResult[]> {
  const args = [...options.args ?? [], "--idle-timeout", String(IDLE_TIMEOUT_MS)];
  // Out of descriptors: the open connections are served; new ones once descriptors free
  // up. A second server runs this beside the first, to keep the check short.
  const limit = hasProgram("prlimit")
    ? ["prlimit", `--nofile=${DESCRIPTOR_LIMIT}`]
    : ["sh", "-c", `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" "$@"`];
  const exhaust: Attack = async (port) => {
    const conns = await openMany(port, 100);
    await sleep(500);
    closeAll(conns);
  };
  const name = `${DESCRIPTOR_LIMIT} descriptors, 100 idle clients`;
  return await reported([
    (results) => underAttack(path, args, tcpAttacks(options), options, results),
    (results) =>
      underAttack(path, options.args ?? [], [[name, exhaust]], options, results, {
        runner: limit,
      }),
  ]);
}

/** Attacks a UDP server with the datagrams of {@linkcode udpAttacks}. */
export async function attackUdpServer(
  path: string,
  options: HostileOptions,
): Promise<AttackResult[]> {
  return await reported([
    (results) => underAttack(path, options.args ?? [], udpAttacks(), options, results),
  ]);
}

/**
 * A good TCP exchange: connects, sends `request`, and reads until `done(received)` says
 * the answer is complete; closes the connection after `timeoutMs` in any case.
 */
export async function tcpExchange(
  port: number,
  request: Uint8Array,
  done: (received: Uint8Array) => boolean,
  timeoutMs: number,
): Promise<Uint8Array> {
  const conn = await Deno.connect(address(port));
  const timer = setTimeout(() => closeAll([conn]), timeoutMs);
  try {
    await send(conn, request);
    let received = new Uint8Array(0);
    const buffer = new Uint8Array(4096);
    while (!done(received)) {
      const n = await conn.read(buffer);
      if (n === null) throw new Error(`the server closed after ${received.length} bytes`);
      const more = new Uint8Array(received.length + n);
      more.set(received);
      more.set(buffer.subarray(0, n), received.length);
      received = more;
    }
    return received;
  } finally {
    clearTimeout(timer);
    closeAll([conn]);
  }
}

/** A good UDP exchange: sends `request` from a fresh socket and waits for one answer. */
export async function udpExchange(
  port: number,
  request: Uint8Array,
  timeoutMs: number,
): Promise<Uint8Array> {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const timer = setTimeout(() => closeAll([socket]), timeoutMs);
  try {
    await socket.send(request, { transport: "udp", ...address(port) });
    const [answer] = await socket.receive();
    return answer;
  } finally {
    clearTimeout(timer);
    closeAll([socket]);
  }
}

/** A token no other exchange uses, to find this one's line in a server's output. */
export function uniqueToken(): string {
  return `good-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Waits for `text` in the server's stdout for at most `timeoutMs`. It looks only at what
 * is new since it last looked, every 10 ms: a server that prints megabytes under attack
 * must not make the check itself slow to drain its output.
 */
export async function printed(server: RunningServer, text: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  for (let from = 0;;) {
    const output = server.script.stdout;
    if (output.indexOf(text, from) >= 0) return;
    from = Math.max(0, output.length - text.length);
    if (performance.now() > deadline) {
      throw new Error(`${server.script.label} did not print ${text} within ${timeoutMs} ms`);
    }
    await sleep(10);
  }
}

/** What {@linkcode robustnessCheck} needs: the server, its task, and its good client. */
export interface RobustnessSpec extends HostileOptions {
  /** The server's file name in its lab folder. */
  name: string;
  /** The task it belongs to. */
  task: string;
  transport: "tcp" | "udp";
}

/** The graded check that attacks one server with the hostile peers of this module. */
export function robustnessCheck(spec: RobustnessSpec): Check {
  const { name, task, transport } = spec;
  const attacks = transport === "tcp"
    ? "resets before accept and mid-stream, garbage, idle and slow clients, oversized " +
      "messages, half-closes, and a descriptor limit of 64"
    : "a flood, empty and 65,507-byte datagrams, 2000 source ports and port 0";
  return {
    id: `${task}-robust-${name.replace(".ts", "")}`,
    task,
    title: `${name} stays up and serves a good client under ${attacks}`,
    points: 2,
    hint: transport === "tcp"
      ? "serve each connection on its own and let no client's error end the accept loop " +
        "(acceptConnections in lib/net.ts); take --idle-timeout and close connections that " +
        "send nothing (or no whole message) for that long; bound what one connection may make " +
        "you buffer"
      : "an error answering one sender (port 0, unreachable) must not end the server; bound " +
        "and expire what you remember per sender; never print a received datagram raw",
    async run({ script }) {
      const attack = transport === "tcp" ? attackTcpServer : attackUdpServer;
      await attack(script(name), spec);
    },
  };
}
