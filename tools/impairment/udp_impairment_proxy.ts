#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Optional task (reliable UDP) — impairment proxy: a bad network between two UDP
 * programs. It forwards every datagram to `--to-port` and every reply back to its
 * sender, losing, duplicating, reordering, delaying and corrupting them at the rates
 * given, with decisions drawn from `--seed` (`tools/impairment/impairment.ts`).
 *
 * Linux's `netem` does this inside the kernel, but needs root and exists only on Linux;
 * a proxy needs neither. Point the client at the proxy's port instead of the server's.
 * Like a router, it has limits: 64 MiB of delayed datagrams at most (past it, more are
 * lost), and at most 256 clients, each forgotten after 30 s without traffic.
 *
 * Run: ./tools/impairment/udp_impairment_proxy.ts --to-port 9001 --loss 30% --duplicate 10% --reorder 10%
 *      (then ./labs/lab1/reliable_udp_sender.ts --port 9000 < some_file)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseCount,
  parsePort,
  parseProbability,
  runMain,
} from "../../lib/cli.ts";
import { Impairment } from "./impairment.ts";

/** Delay and jitter at most, each: a minute is an eternity for any network. */
const MAX_DELAY_MS = 60_000;
/** Bytes waiting in delay timers at most: a router's queue is finite too. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** Clients (each with its own socket towards the server) at most, and their idle time. */
const MAX_CLIENTS = 256;
const CLIENT_IDLE_MS = 30_000;
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { SeededRandom } from "../../lib/random.ts";

const rate = (text: string) => ({ default: "0", valueName: "P", description: `${text} (or %)` });
const { values } = parseCommandLine({
  summary: "UDP impairment proxy: forwards datagrams both ways over a deliberately bad network.",
  options: {
    ...listenOptions("UDP", "9000"),
    "to-host": { default: "127.0.0.1", description: "address to forward to" },
    "to-port": { default: "9001", description: "UDP port to forward to" },
    loss: rate("probability that a datagram is lost"),
    duplicate: rate("probability that a datagram arrives twice"),
    reorder: rate("probability that a datagram is held back so later ones pass it"),
    corrupt: rate("probability that a datagram gets one bit flipped"),
    delay: { default: "0", valueName: "MS", description: "delay added to every datagram" },
    jitter: { default: "0", valueName: "MS", description: "random extra delay, up to this" },
    seed: { default: "1", description: "seed of the random decisions (same seed, same run)" },
  },
});

await runMain(async () => {
  const target: Deno.NetAddr = {
    transport: "udp",
    hostname: values["to-host"],
    port: parsePort(values["to-port"], "--to-port"),
  };
  const options = {
    loss: parseProbability(values.loss, "--loss"),
    duplicate: parseProbability(values.duplicate, "--duplicate"),
    reorder: parseProbability(values.reorder, "--reorder"),
    corrupt: parseProbability(values.corrupt, "--corrupt"),
    delay: parseCount(values.delay, "--delay", 0, MAX_DELAY_MS),
    jitter: parseCount(values.jitter, "--jitter", 0, MAX_DELAY_MS),
  };
  const seed = parseCount(values.seed, "--seed", 0);
  const front = listenUdp(values.host, parsePort(values.port));
  // Each direction has its own generator: its decisions do not depend on the other's.
  const toServer = new Impairment(options, new SeededRandom(seed));
  const toClient = new Impairment(options, new SeededRandom(seed + 1));
  exitOnSignal(() => {
    console.log(`client → server: ${toServer.describe()}`);
    console.log(`server → client: ${toClient.describe()}`);
    front.close();
  });

  // #region forward
  let queued = 0; // bytes waiting in delay timers
  function forward(network: Impairment, data: Uint8Array, via: Deno.DatagramConn, to: Deno.Addr) {
    for (const copy of network.apply(data)) {
      // A send that fails (a closed socket, an unreachable client) loses that datagram only.
      const send = () => via.send(copy.data, to).catch(() => {});
      if (copy.delay === 0) send();
      else if (queued + copy.data.length <= MAX_QUEUED_BYTES) {
        queued += copy.data.length;
        setTimeout(() => send().finally(() => queued -= copy.data.length), copy.delay);
      }
    }
  }

  // One socket towards the server per client, so that each reply finds its client; the
  // least recently active first, so that the idle ones are found (and closed) first.
  const upstreams = new Map<string, { socket: Deno.DatagramConn; active: number }>();
  const touch = (key: string, upstream: { socket: Deno.DatagramConn; active: number }) => {
    upstreams.delete(key);
    upstreams.set(key, Object.assign(upstream, { active: Date.now() }));
  };
  setInterval(() => {
    for (const [key, { socket, active }] of upstreams) {
      if (Date.now() - active < CLIENT_IDLE_MS) break;
      upstreams.delete(key);
      socket.close(); // ends its reply loop
    }
  }, 1000);
  console.log(`listening on ${formatAddress(front.addr)}, forwarding to ${formatAddress(target)}`);
  for await (const [data, client] of front) {
    const key = formatAddress(client);
    let upstream = upstreams.get(key);
    if (upstream === undefined) {
      if (upstreams.size >= MAX_CLIENTS) { // full: the least recently active client goes
        const [oldest, { socket }] = upstreams.entries().next().value!;
        upstreams.delete(oldest);
        socket.close();
      }
      const socket = listenUdp("127.0.0.1", 0);
      const created = upstream = { socket, active: Date.now() };
      (async () => {
        for await (const [reply] of socket) {
          if (upstreams.get(key) === created) touch(key, created); // not if it was let go
          forward(toClient, reply, front, client);
        }
      })().catch(() => {}); // ends when its socket is closed
    }
    touch(key, upstream);
    forward(toServer, data, upstream.socket, target);
  }
  // #endregion forward
});
