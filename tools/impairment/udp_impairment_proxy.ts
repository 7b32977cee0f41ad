#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Optional task (reliable UDP) — impairment proxy: a bad network between two UDP
 * programs. It forwards every datagram to `--to-port` and every reply back to its
 * sender, losing, duplicating, reordering, delaying and corrupting them at the rates
 * given, with decisions drawn from `--seed` (`tools/impairment/impairment.ts`).
 *
 * Linux's `netem` does this inside the kernel, but needs root and exists only on Linux;
 * a proxy needs neither. Point the client at the proxy's port instead of the server's.
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
    delay: parseCount(values.delay, "--delay", 0),
    jitter: parseCount(values.jitter, "--jitter", 0),
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
  function forward(network: Impairment, data: Uint8Array, via: Deno.DatagramConn, to: Deno.Addr) {
    for (const copy of network.apply(data)) {
      const send = () => via.send(copy.data, to).catch(() => {}); // a closed socket: drop it
      if (copy.delay > 0) setTimeout(send, copy.delay);
      else send();
    }
  }

  // One socket towards the server per client, so that each reply finds its client.
  const upstreams = new Map<string, Deno.DatagramConn>();
  console.log(`listening on ${formatAddress(front.addr)}, forwarding to ${formatAddress(target)}`);
  for await (const [data, client] of front) {
    let upstream = upstreams.get(formatAddress(client));
    if (upstream === undefined) {
      const socket = upstream = listenUdp("127.0.0.1", 0);
      upstreams.set(formatAddress(client), socket);
      (async () => {
        for await (const [reply] of socket) forward(toClient, reply, front, client);
      })().catch(() => {}); // ends when the proxy closes
    }
    forward(toServer, data, upstream, target);
  }
  // #endregion forward
});
