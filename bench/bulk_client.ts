#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * The benchmark's bulk client: over each of --connections connections, sends data in
 * 1 MiB writes for --seconds while reading the echo back, then half-closes and reads the
 * rest, and prints one JSON line: the seconds it took, the megabytes per second echoed
 * (1 MB = 10^6 bytes; sent and echoed counted once) and the CPU seconds this client used
 * (to tell whether it, not the server, set the pace). A fixed time, not a fixed amount,
 * gives a slow server and a fast one the same exposure to whatever else the machine does.
 *
 * Run: ./bench/bulk_client.ts --port PORT [--seconds 2] [--connections 1]
 */
import { parseCommandLine, parseCount, parsePort, runMain } from "../lib/cli.ts";
import { writeAll } from "../lib/framing.ts";
import { connectTcp } from "../lib/net.ts";
import { cpuSeconds } from "./measure.ts";

const { values } = parseCommandLine({
  summary: "Bulk echo client of the benchmark: prints seconds, MB/s and its CPU time.",
  options: {
    port: { default: "65432", description: "the echo server's TCP port" },
    seconds: { default: "2", valueName: "S", description: "how long to send" },
    connections: { default: "1", valueName: "N", description: "connections at once" },
  },
});

/** Sends until `deadline` while reading the echo; resolves to the bytes echoed. */
async function pushThrough(conn: Deno.TcpConn, deadline: number): Promise<number> {
  const chunk = new Uint8Array(1 << 20).fill(0x61);
  let sent = 0;
  const sending = (async () => {
    while (performance.now() < deadline) {
      await writeAll(conn, chunk);
      sent += chunk.length;
    }
    await conn.closeWrite();
  })();
  const buffer = new Uint8Array(1 << 20);
  let received = 0;
  for (let n; (n = await conn.read(buffer)) !== null;) received += n;
  await sending;
  conn.close();
  if (received !== sent) throw new Error(`sent ${sent} bytes, ${received} came back`);
  return received;
}

await runMain(async () => {
  const port = parsePort(values.port);
  const count = parseCount(values.connections, "--connections");
  const conns = await Promise.all(
    Array.from({ length: count }, () => connectTcp("127.0.0.1", port)),
  );
  const started = performance.now();
  const deadline = started + parseCount(values.seconds, "--seconds") * 1000;
  const echoed = await Promise.all(conns.map((conn) => pushThrough(conn, deadline)));
  const seconds = (performance.now() - started) / 1000;
  const megabytes = echoed.reduce((sum, bytes) => sum + bytes, 0) / 1e6;
  console.log(JSON.stringify({ seconds, mbPerSecond: megabytes / seconds, cpu: cpuSeconds() }));
});
