#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1 --allow-read
/**
 * Optional task — reliable UDP sender: delivers a file (or its standard input) to the
 * reliable UDP receiver exactly once and in order, over a network that may lose,
 * duplicate, reorder or corrupt datagrams (`lib/reliable_udp.ts`).
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it:
 * /lab1/optional-reliable-udp#optional-reliable-in-order-delivery-over-udp.
 *
 * Run:   ./mywork/lab1/reliable_udp_sender.ts --port 9000 some_file   (receiver, proxy running)
 *        ./mywork/lab1/reliable_udp_sender.ts --window 1 some_file    (stop-and-wait)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task O2)
 */
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

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
  const receiver = { transport: "udp", hostname: values.host, port: parsePort(values.port) };
  const giveUp = parseMilliseconds(values["give-up"], "--give-up");
  const window = parseCount(values.window, "--window");
  const segmentSize = parseCount(values["segment-size"], "--segment-size");
  const minRto = parseMilliseconds(values["min-rto"], "--min-rto");
  const data = positionals.length > 0
    ? await Deno.readFile(positionals[0])
    : await new Response(Deno.stdin.readable).bytes();
  // TODO(O2): cut `data` into numbered, checksummed segments with a
  // `SelectiveRepeatSender` (../../lib/reliable_udp.ts: a random 16-bit stream id,
  // `window`, `segmentSize`, and an `RttEstimator({ minRto })` from ../../lib/rto.ts for
  // the timeouts), and deliver them with `sendOverUdp(sender, listenUdp("127.0.0.1", 0),
  // receiver, giveUp)`, which fails when nothing is acknowledged for `giveUp` ms. Then
  // print what was sent (`sender.stats`) and `sha256 <hex>` of `data`.
  await todo(
    "/lab1/optional-reliable-udp#optional-reliable-in-order-delivery-over-udp",
    `deliver ${data.length} bytes to port ${receiver.port} (window ${window}, segments of ` +
      `${segmentSize} B, min RTO ${minRto} ms, give up after ${giveUp} ms)`,
  );
});
