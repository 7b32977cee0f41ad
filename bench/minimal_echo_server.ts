#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * The least a Deno echo server can be, as the benchmark's baseline: one buffer per
 * connection (64 KiB, or the size given as the only argument), read then write it all
 * back, nothing logged, nothing imported. `minimal_echo_server.ts 16` is the baseline
 * for memory: 10,000 idle connections, each with a read waiting on 16 bytes.
 *
 * Run: ./bench/minimal_echo_server.ts [BUFFER_BYTES]     (listens on any free port)
 */
const size = Number(Deno.args[0] ?? 65536);
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log(`listening on 127.0.0.1:${listener.addr.port}`);
for await (const conn of listener) echo(conn);

async function echo(conn: Deno.TcpConn): Promise<void> {
  // A message longer than the buffer is echoed in pieces, and Nagle's algorithm would hold
  // each piece after the first until the client acknowledges the first, which it may
  // delay by 40 ms: a round trip timed by that, not by this server.
  conn.setNoDelay(true);
  const buffer = new Uint8Array(size);
  try {
    for (let n; (n = await conn.read(buffer)) !== null;) {
      for (let sent = 0; sent < n;) sent += await conn.write(buffer.subarray(sent, n));
    }
  } catch {
    // a reset ends this connection only
  }
  conn.close();
}
