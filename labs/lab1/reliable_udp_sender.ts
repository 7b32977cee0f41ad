#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1 --allow-read
/**
 * Optional task — reliable UDP sender: delivers a file (or its standard input) to the
 * reliable UDP receiver exactly once and in order, over a network that may lose,
 * duplicate, reorder or corrupt datagrams (`lib/reliable_udp.ts`).
 *
 * The stream is cut into numbered, checksummed segments. Up to `--window` travel at
 * once; each waits for its acknowledgement and is sent again when its timer expires
 * (the timeout is learnt from measured round trips, RFC 6298) or when three later
 * segments were acknowledged first. `--window 1` is stop-and-wait. With no
 * acknowledgement at all for `--give-up` ms, the sender stops with an error.
 *
 * Run: ./labs/lab1/reliable_udp_sender.ts --port 9000 some_file   (receiver, proxy running)
 *      ./labs/lab1/reliable_udp_sender.ts --window 1 some_file    (stop-and-wait)
 */
import { createHash } from "node:crypto";
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { listenUdp } from "../../lib/net.ts";
import { SelectiveRepeatSender, sendOverUdp } from "../../lib/reliable_udp.ts";
import { RttEstimator } from "../../lib/rto.ts";

const { values, positionals } = parseCommandLine({
  summary: "Reliable UDP sender (optional task): a file, exactly once and in order, over UDP.",
  options: {
    ...peerOptions("reliable UDP receiver (or the impairment proxy)", "UDP", "9001"),
    window: { default: "64", valueName: "N", description: "segments in flight (1: stop-and-wait)" },
    "segment-size": { default: "1200", valueName: "B", description: "stream bytes per segment" },
    "min-rto": { default: "200", valueName: "MS", description: "shortest retransmission timeout" },
    "give-up": { default: "10000", valueName: "MS", description: "longest wait for an ack" },
  },
  arguments: "[FILE]",
});

await runMain(async () => {
  const receiver = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  } as const;
  const giveUp = parseMilliseconds(values["give-up"], "--give-up");
  const rtt = new RttEstimator({ minRto: parseMilliseconds(values["min-rto"], "--min-rto") });
  const data = positionals.length > 0
    ? await Deno.readFile(positionals[0])
    : await new Response(Deno.stdin.readable).bytes();
  const sender = new SelectiveRepeatSender(data, {
    stream: crypto.getRandomValues(new Uint16Array(1))[0], // a new id for every transfer
    window: parseCount(values.window, "--window"),
    segmentSize: parseCount(values["segment-size"], "--segment-size"),
    rtt,
  });
  const started = performance.now();

  await sendOverUdp(sender, listenUdp("127.0.0.1", 0), receiver, giveUp);

  const seconds = (performance.now() - started) / 1000;
  const { segments, datagramsSent, bytesSent, timeouts, fastRetransmissions } = sender.stats;
  console.log(
    `sent ${data.length} bytes (${segments} segments) in ${seconds.toFixed(3)} s: ` +
      `${datagramsSent} datagrams of ${bytesSent} bytes, ${timeouts} timeouts, ` +
      `${fastRetransmissions} fast retransmissions, srtt ${rtt.srtt?.toFixed(2)} ms`,
  );
  console.log(`sha256 ${createHash("sha256").update(data).digest("hex")}`);
});
