#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Optional task — reliable UDP receiver: puts a sender's stream back together exactly
 * once and in order, whatever the network did to its datagrams (`lib/reliable_udp.ts`).
 *
 * Each DATA segment is checked (CRC-32), acknowledged, and kept until every segment
 * before it has arrived; then the bytes are delivered in order. A corrupted datagram is
 * dropped unanswered, so the sender sends it again. When the segment marked FIN and
 * everything before it have arrived, the receiver prints the stream's length and
 * SHA-256, to compare with the sender's, and keeps acknowledging late duplicates until the
 * stream has been silent for --idle ms; then it forgets it. Anybody can send datagrams
 * here: each stream buffers at most 4 MiB, at most 64 streams are open at once, and an
 * acknowledgement that cannot be sent concerns that sender only.
 *
 * Run: ./labs/lab1/reliable_udp_receiver.ts --print
 *      (then echo "hello" | ./labs/lab1/reliable_udp_sender.ts)
 */
import { createHash, type Hash } from "node:crypto";
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { decodeSegment, SelectiveRepeatReceiver } from "../../lib/reliable_udp.ts";

const { values } = parseCommandLine({
  summary: "Reliable UDP receiver (optional task): delivers each stream once and in order.",
  options: {
    ...listenOptions("UDP", "9001"),
    window: { default: "1024", valueName: "N", description: "segments buffered ahead at most" },
    idle: { default: "30000", valueName: "MS", description: "forget a stream silent this long" },
    print: { type: "boolean", description: "write each stream's bytes to stdout as they arrive" },
  },
});

/** One transfer: its receiver, a running hash of what was delivered, its start and last news. */
interface Transfer {
  receiver: SelectiveRepeatReceiver;
  hash: Hash;
  started: number;
  heard: number;
}

/** Streams received at once at most: each may buffer 4 MiB. */
const MAX_TRANSFERS = 64;

await runMain(async () => {
  const window = parseCount(values.window, "--window", 1, 65_536);
  const idleMs = parseMilliseconds(values.idle, "--idle");
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  const transfers = new Map<string, Transfer>(); // least recently heard from first
  let corrupt = 0;
  let refused = 0;

  function forgetSilentTransfers(now: number): void {
    for (const [name, transfer] of transfers) {
      if (now - transfer.heard < idleMs) return;
      transfers.delete(name);
      if (!transfer.receiver.complete) console.log(`${name}: silent for ${idleMs} ms, dropped`);
    }
  }
  setInterval(() => forgetSilentTransfers(performance.now()), Math.min(idleMs, 1000));

  // #region receive
  for await (const [datagram, from] of socket) {
    const segment = decodeSegment(datagram);
    if (segment === null) { // a flipped bit or a stray datagram: say nothing, it will come again
      corrupt++;
      continue;
    }
    if (segment.kind !== "data" || (from as Deno.NetAddr).port === 0) continue; // 0: no reply
    const name = `${formatAddress(from)} stream ${segment.stream}`;
    const now = performance.now();
    let transfer = transfers.get(name);
    if (transfer === undefined) {
      if (transfers.size >= MAX_TRANSFERS) { // no answer: the sender retries, or gives up
        if (refused++ === 0) console.error(`${name}: refused, ${MAX_TRANSFERS} streams open`);
        continue;
      }
      refused = 0;
      const receiver = new SelectiveRepeatReceiver(segment.stream, window);
      transfer = { receiver, hash: createHash("sha256"), started: now, heard: now };
      console.log(`${name}: started`);
    }
    transfers.delete(name); // and in again as the newest
    transfers.set(name, transfer);
    transfer.heard = now;
    const { receiver, hash } = transfer;
    const wasComplete = receiver.complete;
    const { ack, data } = receiver.receive(segment);
    if (ack !== null) {
      await socket.send(ack, from).catch((e) => console.error(`${name}: ${describeError(e)}`));
    }
    for (const bytes of data) {
      hash.update(bytes);
      if (values.print) await Deno.stdout.write(bytes);
    }
    if (receiver.complete && !wasComplete) {
      const { bytes, segments, duplicates } = receiver.stats;
      const seconds = ((performance.now() - transfer.started) / 1000).toFixed(3);
      console.log(
        `${name}: complete, ${bytes} bytes in ${segments} segments in ${seconds} s ` +
          `(${duplicates} duplicates ignored, ${corrupt} corrupt datagrams dropped so far), ` +
          `sha256 ${hash.digest("hex")}`,
      );
    }
  }
  // #endregion receive
});
