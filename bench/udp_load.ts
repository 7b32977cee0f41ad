#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * The benchmark's UDP client: sends 1,000-byte datagrams to an echo server and counts the
 * echoes, then prints one JSON line.
 *
 * - `--window N` (the default, 32): keeps N datagrams in flight for --seconds, sending one
 *   more for each echo: as fast as the server (or this client) goes.
 * - `--rate R`: sends R datagrams a second, those due every millisecond, for --seconds,
 *   then waits half a second for the last echoes: how many were lost at that rate.
 *
 * The line has the datagrams sent and echoed, the echoes per second, those skipped (with
 * --rate, see below) and the CPU seconds this client used.
 *
 * Run: ./bench/udp_load.ts --port PORT [--window 32 | --rate 50000] [--seconds 3]
 */
import { parseCommandLine, parseCount, parsePort, runMain } from "../lib/cli.ts";
import { listenUdp } from "../lib/net.ts";
import { cpuSeconds } from "./measure.ts";

const { values } = parseCommandLine({
  summary: "UDP load of the benchmark: echoes per second, or the loss at a given rate.",
  options: {
    port: { default: "65432", description: "the echo server's UDP port" },
    window: { default: "32", valueName: "N", description: "datagrams in flight" },
    rate: { valueName: "R", description: "send R datagrams a second instead" },
    seconds: { default: "3", valueName: "S", description: "how long to send" },
  },
});
const DATAGRAM = new Uint8Array(1000).fill(0x62);

await runMain(async () => {
  const server: Deno.NetAddr = {
    transport: "udp",
    hostname: "127.0.0.1",
    port: parsePort(values.port),
  };
  const seconds = parseCount(values.seconds, "--seconds");
  const socket = listenUdp("127.0.0.1", 0);
  let [sent, received, skipped] = [0, 0, 0];
  const send = () => {
    sent++;
    return socket.send(DATAGRAM, server);
  };
  const started = performance.now();
  const receiving = (async () => {
    const buffer = new Uint8Array(2048);
    try {
      for (;;) {
        await socket.receive(buffer);
        received++;
        if (values.rate === undefined && performance.now() - started < seconds * 1000) await send();
      }
    } catch {
      // closed at the end
    }
  })();
  if (values.rate === undefined) {
    // Lost datagrams would shrink the window: top it up whenever echoes stop coming.
    const window = parseCount(values.window, "--window");
    for (let i = 0; i < window; i++) await send();
    let last = -1;
    while (performance.now() - started < seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (received === last) { for (let i = 0; i < window; i++) await send(); }
      last = received;
    }
  } else {
    const rate = parseCount(values.rate, "--rate");
    while (performance.now() - started < seconds * 1000) {
      let due = Math.floor(((performance.now() - started) / 1000) * rate) - sent - skipped;
      // A timer that fires late (this client held up) would make a burst of what is due,
      // and more than the server's receive queue holds (92 such datagrams on Linux) is
      // lost however fast the server is: many real senders make no such bursts. So at
      // most 2 ms worth go at once, and the rest is skipped (and counted).
      const most = Math.ceil(rate / 500);
      if (due > most) {
        skipped += due - most;
        due = most;
      }
      for (; due > 0; due--) await send();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const elapsed = (performance.now() - started) / 1000;
  socket.close();
  await receiving;
  const perSecond = received / elapsed;
  console.log(JSON.stringify({ sent, received, perSecond, skipped, cpu: cpuSeconds() }));
});
