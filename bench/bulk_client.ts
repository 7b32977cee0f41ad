#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * The benchmark's bulk client: over each of --connections connections, sends --mib MiB
 * in 1 MiB writes while reading the echo back, and prints one JSON line: the seconds it
 * took, the megabytes per second echoed (1 MB = 10^6 bytes, sent and echoed counted
 * once) and the CPU seconds this client used (to tell whether it, not the server, was
 * the bottleneck).
 *
 * Run: ./bench/bulk_client.ts --port PORT [--mib 64] [--connections 1]
 */
import { parseCommandLine, parseCount, parsePort, runMain } from "../lib/cli.ts";
import { writeAll } from "../lib/framing.ts";
import { connectTcp } from "../lib/net.ts";
import { cpuSeconds } from "./measure.ts";

const { values } = parseCommandLine({
  summary: "Bulk echo client of the benchmark: prints seconds, MB/s and its CPU time.",
  options: {
    port: { default: "65432", description: "the echo server's TCP port" },
    mib: { default: "64", valueName: "N", description: "MiB to send on each connection" },
    connections: { default: "1", valueName: "N", description: "connections at once" },
  },
});

/** Sends `bytes` and reads as many back; fails if the server closes early. */
async function pushThrough(conn: Deno.TcpConn, bytes: number): Promise<void> {
  const chunk = new Uint8Array(1 << 20).fill(0x61);
  const sending = (async () => {
    for (let left = bytes; left > 0; left -= chunk.length) {
      await writeAll(conn, chunk.subarray(0, Math.min(left, chunk.length)));
    }
  })();
  const buffer = new Uint8Array(1 << 20);
  for (let received = 0; received < bytes;) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`the server closed after echoing ${received} bytes`);
    received += n;
  }
  await sending;
  conn.close();
}

await runMain(async () => {
  const bytes = parseCount(values.mib, "--mib") * 2 ** 20;
  const port = parsePort(values.port);
  const conns = await Promise.all(
    Array.from(
      { length: parseCount(values.connections, "--connections") },
      () => connectTcp("127.0.0.1", port),
    ),
  );
  const started = performance.now();
  await Promise.all(conns.map((conn) => pushThrough(conn, bytes)));
  const seconds = (performance.now() - started) / 1000;
  const megabytes = (bytes * conns.length) / 1e6;
  console.log(JSON.stringify({ seconds, mbPerSecond: megabytes / seconds, cpu: cpuSeconds() }));
});
