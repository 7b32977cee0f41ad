#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Optional task — reliable UDP receiver: puts a sender's stream back together exactly
 * once and in order, whatever the network did to its datagrams (`lib/reliable_udp.ts`).
 *
 * STARTER: the command line, the bound socket and the `listening on` line are in place
 * (the contract every lab script keeps); each TODO is a step of the task, and the
 * handout explains it: /lab1/optional-reliable-udp#optional-reliable-in-order-delivery-over-udp.
 *
 * Run:   ./mywork/lab1/reliable_udp_receiver.ts --print
 *        (then echo "hello" | ./mywork/lab1/reliable_udp_sender.ts)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task O2)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Reliable UDP receiver (optional task): delivers each stream once and in order.",
  options: {
    ...listenOptions("UDP", "9001"),
    window: { default: "1024", valueName: "N", description: "segments buffered ahead at most" },
    idle: { default: "30000", valueName: "MS", description: "forget a stream silent this long" },
    print: { type: "boolean", description: "write each stream's bytes to stdout as they arrive" },
  },
});

await runMain(async () => {
  const window = parseCount(values.window, "--window", 1, 65_536);
  const idleMs = parseMilliseconds(values.idle, "--idle");
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  for await (const _datagram of socket) {
    // TODO(O2): each datagram is [bytes, sender]. `decodeSegment` (../../lib/reliable_udp.ts)
    // gives null for a corrupted one: drop it unanswered, it will come again. Keep one
    // `SelectiveRepeatReceiver(segment.stream, window)` per sender and stream; its
    // `receive(segment)` gives the ack to send back and the bytes now in order. Hash
    // them (node:crypto's sha256; with --print, also write them to stdout), and when the
    // stream is complete print its length and `sha256 <hex>`, as the sender does.
    // Anybody can send datagrams: forget a stream silent for `idleMs`.
    todo(
      "/lab1/optional-reliable-udp#optional-reliable-in-order-delivery-over-udp",
      `acknowledge and reassemble each stream (window ${window}, forgotten after ${idleMs} ms)`,
    );
  }
});
