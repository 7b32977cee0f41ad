import assert from "node:assert/strict";
import { ReadBuffer } from "../../../lib/buffers.ts";
import { listenTcp } from "../../../lib/net.ts";
import { seededBytes } from "../../harness/peers.ts";

Deno.test("ReadBuffer grows eightfold on full reads, up to the busy size, and shrinks on a short one", () => {
  const buffer = new ReadBuffer({ idleSize: 8, busySize: 4096 });
  const sizes = [buffer.bytes.length];
  for (const count of [8, 64, 512, 4096, 4096, 100, 3]) {
    buffer.fit(count);
    sizes.push(buffer.bytes.length);
  }
  assert.deepEqual(sizes, [8, 64, 512, 4096, 4096, 4096, 8, 8]);
  buffer.release();
});

Deno.test("ReadBuffer lends a large buffer given back by one connection to the next", () => {
  const first = new ReadBuffer({ idleSize: 16, busySize: 128 });
  first.fit(16);
  const large = first.bytes;
  assert.equal(large.length, 128);
  first.release();
  const second = new ReadBuffer({ idleSize: 16, busySize: 128 });
  second.fit(16);
  assert.equal(second.bytes, large);
  second.release();
});

Deno.test("ReadBuffer's idle buffers are views of shared slabs, reused after release", () => {
  const [a, b] = [new ReadBuffer({ idleSize: 32 }), new ReadBuffer({ idleSize: 32 })];
  assert.equal(a.bytes.buffer, b.bytes.buffer, "one slab for both");
  assert.notEqual(a.bytes.byteOffset, b.bytes.byteOffset);
  const idle = b.bytes;
  b.release();
  assert.equal(b.bytes.length, 0, "a released buffer has nothing to read into");
  const c = new ReadBuffer({ idleSize: 32 });
  assert.equal(c.bytes, idle);
  a.release();
  c.release();
});

Deno.test("ReadBuffer refuses sizes it cannot work with", () => {
  assert.throws(() => new ReadBuffer({ idleSize: 0 }), RangeError);
  assert.throws(() => new ReadBuffer({ idleSize: 1.5 }), RangeError);
  assert.throws(() => new ReadBuffer({ idleSize: 64, busySize: 32 }), RangeError);
});

Deno.test("ReadBuffer's source text runs on its own, as a worker runs it", () => {
  const Copy = new Function(`${ReadBuffer}\nreturn ReadBuffer;`)() as typeof ReadBuffer;
  const buffer = new Copy({ idleSize: 4, busySize: 32 });
  buffer.fit(4);
  assert.equal(buffer.bytes.length, 32);
  buffer.release();
});

Deno.test("an echo through ReadBuffer returns 1 MiB intact, reading at most 64 KiB at a time", async () => {
  using listener = listenTcp("127.0.0.1", 0);
  const data = seededBytes(1 << 20, 5);
  const sizes = new Set<number>();
  const serving = (async () => {
    using conn = await listener.accept();
    const buffer = new ReadBuffer();
    try {
      for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
        sizes.add(buffer.bytes.length);
        for (let sent = 0; sent < n;) sent += await conn.write(buffer.bytes.subarray(sent, n));
      }
    } finally {
      buffer.release();
    }
  })();
  using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const sending = (async () => {
    for (let at = 0; at < data.length; at += 100_000) {
      const piece = data.subarray(at, at + 100_000);
      for (let sent = 0; sent < piece.length;) sent += await client.write(piece.subarray(sent));
    }
    await client.closeWrite();
  })();
  const echoed = new Uint8Array(data.length);
  for (let got = 0; got < data.length;) {
    const n = await client.read(echoed.subarray(got));
    assert.notEqual(n, null, `the echo ended after ${got} bytes`);
    got += n!;
  }
  await Promise.all([sending, serving]);
  assert.deepEqual(echoed, data);
  assert.equal(Math.max(...sizes), 65536, `buffer sizes used: ${[...sizes]}`);
  assert.equal(Math.min(...sizes), 128);
});
