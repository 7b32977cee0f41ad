#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * The least a Deno UDP echo server can be, as the benchmark's baseline: one socket, one
 * 64 KiB buffer, receive then send back, nothing logged, nothing imported. What it costs
 * per datagram is what one receive and one send cost in Deno, the floor for
 * `labs/lab1/udp_echo_server.ts`.
 *
 * Run: ./bench/minimal_udp_echo_server.ts     (listens on any free port)
 */
const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
console.log(`listening on 127.0.0.1:${(socket.addr as Deno.NetAddr).port}`);
const buffer = new Uint8Array(65536);
for (;;) {
  const [data, sender] = await socket.receive(buffer);
  try {
    await socket.send(data, sender);
  } catch {
    // a failed reply concerns one sender only
  }
}
