/**
 * Stands in for systemd-journald in `syslog_local_test.ts`: binds journald's syslog socket
 * (inside a private mount namespace, over an empty /run), prints each datagram it gets as
 * a JSON string on its own line, and exits after `count` datagrams or 10 seconds.
 *
 * Run by the test as: deno run --unstable-net --allow-net=unix:PATH --allow-read=PATH
 * --allow-write=PATH local_syslog_receiver.ts PATH COUNT
 *
 * @module
 */
const [path, count] = Deno.args;
const socket = Deno.listenDatagram({ transport: "unixpacket", path });
const timer = setTimeout(() => socket.close(), 10_000);
try {
  for (let i = 0; i < Number(count); i++) {
    const [data] = await socket.receive();
    console.log(JSON.stringify(new TextDecoder().decode(data)));
  }
} catch (error) {
  if (!(error instanceof Deno.errors.BadResource)) throw error; // BadResource: timed out
} finally {
  clearTimeout(timer);
  try {
    socket.close();
  } catch { /* already closed by the timer */ }
}
