#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.3 — UDP echo server: sends every datagram back to whoever sent it.
 *
 * Compare with the TCP echo server: no accept loop and no per-client socket. One
 * socket serves everybody, and the sender's address that comes with each datagram
 * is where the reply goes.
 *
 * Run: ./labs/lab1/udp_echo_server.ts     (then ./labs/lab1/udp_echo_client.ts)
 */
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { TrafficLog } from "../../lib/logging.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "UDP echo server (Task 1.3): sends every datagram back to its sender.",
  options: listenOptions("UDP", "65432"),
});

await runMain(async () => {
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);
  // #region echo
  // A line per datagram would cost more than the echo: the datagrams that arrive within
  // 100 ms of a line are summed up in the next one (lib/logging.ts).
  const received = new TrafficLog<Deno.Addr>(({ reads, bytes, preview, first }) => {
    const what = reads === 1 ? `${bytes} bytes` : `${reads} datagrams (${bytes} bytes), the first`;
    console.log(`Received ${what} from ${formatAddress(first)}: ${preview}`);
  });
  // One buffer serves every datagram: 64 KiB holds the largest a datagram can be.
  const buffer = new Uint8Array(65536);
  while (true) {
    const [data, sender] = await socket.receive(buffer);
    received.add(data, sender);
    try {
      await socket.send(data, sender);
    } catch (error) { // a failed reply concerns one sender only: report it, keep serving
      console.error(`${formatAddress(sender)}: ${describeError(error)}`);
    }
  }
  // #endregion echo
});
