/**
 * Read buffers that follow the traffic: small while a connection is idle, large while
 * data pours in, and shared between connections.
 *
 * A server reads into a buffer it hands to `read()` before any data has arrived, and the
 * buffer stays taken for as long as the read waits. Its size is a trade-off:
 *
 * - one large buffer per connection (64 KiB, what a bulk transfer wants) costs 640 MiB
 *   for 10,000 idle connections;
 * - one small buffer (Python's `recv(1024)`) keeps memory low but needs a read, and a
 *   write, per kilobyte: a bulk transfer then spends its time on calls, not on bytes.
 *
 * {@linkcode ReadBuffers} does both. A connection waits with a small buffer of its own.
 * When a read fills it, more data is probably queued, so the next reads borrow a large
 * buffer from a pool; when a read comes back short, the kernel had nothing more, so the
 * large buffer goes back to the pool before the next (probably waiting) read. An idle
 * connection therefore never holds a large buffer, and the pool needs only as many as
 * there are connections busy at the same moment.
 *
 * The class uses nothing but its own members and the language's built-ins, so its source
 * text runs unchanged in a Worker that cannot import modules (see
 * `labs/lab2/reuseport_server.ts`).
 *
 * @example Echo everything a client sends
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadBuffers } from "./buffers.ts";
 *
 * const buffers = new ReadBuffers();
 * async function echo(conn: Deno.Conn): Promise<void> {
 *   for await (const data of buffers.chunks(conn)) await conn.write(data);
 * }
 * assert.equal(typeof echo, "function");
 * ```
 *
 * @module
 */

/** Sizes of a {@linkcode ReadBuffers} pool. */
export interface ReadBuffersOptions {
  /** Bytes of the buffer an idle connection waits with (default 256). */
  idleSize?: number;
  /** Bytes of each large buffer a busy connection borrows (default 64 KiB). */
  busySize?: number;
  /** Large buffers the pool keeps for reuse once returned (default 32); more are freed. */
  keep?: number;
}

/**
 * A pool of read buffers shared by the connections of one thread; see the module's
 * description.
 *
 * @example Sizes and the buffers lent at a given moment
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadBuffers } from "./buffers.ts";
 *
 * const buffers = new ReadBuffers({ idleSize: 16, busySize: 1024 });
 * assert.equal(buffers.idleSize, 16);
 * assert.equal(buffers.lent, 0); // no connection is busy
 * ```
 */
export class ReadBuffers {
  /** Bytes of the buffer an idle connection waits with. */
  readonly idleSize: number;
  /** Bytes of each large buffer a busy connection borrows. */
  readonly busySize: number;
  /** Large buffers kept for reuse once returned. */
  readonly keep: number;
  #free: Uint8Array[] = [];
  #lent = 0;

  /**
   * Creates an empty pool: large buffers are allocated when first needed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffers } from "./buffers.ts";
   *
   * assert.equal(new ReadBuffers().busySize, 65536);
   * ```
   */
  constructor(options: ReadBuffersOptions = {}) {
    this.idleSize = options.idleSize ?? 256;
    this.busySize = options.busySize ?? 64 * 1024;
    this.keep = options.keep ?? 32;
  }

  /**
   * How many large buffers busy connections hold right now.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffers } from "./buffers.ts";
   *
   * assert.equal(new ReadBuffers().lent, 0);
   * ```
   */
  get lent(): number {
    return this.#lent;
  }

  /**
   * Reads `reader` until it ends, yielding what each read returned. A chunk is a view of
   * a buffer that the next read reuses: use it (write it, copy it) before asking for the
   * next one. Ending the loop early (`break`, an exception) returns the borrowed buffer.
   *
   * @example Chunks follow the reads
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffers } from "./buffers.ts";
   *
   * let queued = new Uint8Array(100); // what the kernel holds for us
   * const reader = {
   *   read(p: Uint8Array): Promise<number | null> {
   *     if (queued.length === 0) return Promise.resolve(null);
   *     const count = Math.min(p.length, queued.length);
   *     p.set(queued.subarray(0, count));
   *     queued = queued.subarray(count);
   *     return Promise.resolve(count);
   *   },
   * };
   * const buffers = new ReadBuffers({ idleSize: 8, busySize: 64 });
   * const sizes: number[] = [];
   * for await (const chunk of buffers.chunks(reader)) sizes.push(chunk.length);
   * // The idle buffer came back full, so a large one took the next reads until one was short.
   * assert.deepEqual(sizes, [8, 64, 28]);
   * assert.equal(buffers.lent, 0);
   * ```
   */
  async *chunks(
    reader: { read(p: Uint8Array): Promise<number | null> },
  ): AsyncGenerator<Uint8Array, void, undefined> {
    const idle = new Uint8Array(this.idleSize);
    let busy: Uint8Array | undefined;
    try {
      for (;;) {
        const buffer = busy ?? idle;
        const count = await reader.read(buffer);
        if (count === null) return;
        yield buffer.subarray(0, count);
        if (busy === undefined) {
          if (count === buffer.length) busy = this.#borrow(); // more is probably queued
        } else if (count < buffer.length) {
          this.#giveBack(busy); // drained: the next read will probably wait
          busy = undefined;
        }
      }
    } finally {
      if (busy !== undefined) this.#giveBack(busy);
    }
  }

  #borrow(): Uint8Array {
    this.#lent++;
    return this.#free.pop() ?? new Uint8Array(this.busySize);
  }

  #giveBack(buffer: Uint8Array): void {
    this.#lent--;
    if (this.#free.length < this.keep) this.#free.push(buffer);
  }
}
