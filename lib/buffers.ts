/**
 * A read buffer that follows the traffic: small while its connection is idle, growing
 * while data pours in, and lent from pools that the connections of a thread share.
 *
 * A server hands `read()` a buffer before any data has arrived, and the buffer stays taken
 * for as long as the read waits. Its size is a trade-off:
 *
 * - a large buffer per connection (64 KiB, what a bulk transfer wants) costs 640 MiB for
 *   10,000 idle connections;
 * - a small one (Python's `recv(1024)`) keeps memory low but costs a read and a write per
 *   kilobyte: a bulk transfer then spends its time on calls, not on bytes.
 *
 * A {@linkcode ReadBuffer} does both. Its connection waits with a small buffer of its own
 * (128 bytes). When a read fills the buffer, more data is probably queued, so the next read
 * gets one eight times as large, from a pool, up to 64 KiB; when a read comes back short,
 * the kernel had nothing more, so the large buffer goes back to its pool before the next
 * read, which will probably wait. An idle connection never holds a large buffer; growing
 * step by step (not at once to 64 KiB) keeps 10,000 clients that all send a kilobyte at
 * the same moment from taking 64 KiB each.
 *
 * The class uses nothing but its own members and the language's built-ins, so its source
 * text runs unchanged in a Worker that cannot import modules (see
 * `labs/lab2/reuseport_server.ts`).
 *
 * @example Echo everything a client sends
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadBuffer } from "./buffers.ts";
 *
 * async function echo(conn: Deno.Conn): Promise<void> {
 *   const buffer = new ReadBuffer();
 *   for (let n; (n = await conn.read(buffer.bytes)) !== null; buffer.fit(n)) {
 *     await conn.write(buffer.bytes.subarray(0, n));
 *   }
 *   buffer.release();
 * }
 * assert.equal(typeof echo, "function");
 * ```
 *
 * @module
 */

/** Sizes of a {@linkcode ReadBuffer}. */
export interface ReadBufferOptions {
  /** Bytes of the buffer an idle connection waits with (default 128). */
  idleSize?: number;
  /** Bytes of the large buffer a busy connection reads into (default 64 KiB). */
  busySize?: number;
}

/**
 * One connection's read buffer; see the module's description.
 *
 * @example Reads that fill the buffer make it grow; a short one makes it small again
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadBuffer } from "./buffers.ts";
 *
 * const buffer = new ReadBuffer({ idleSize: 16, busySize: 1024 });
 * assert.equal(buffer.bytes.length, 16);
 * buffer.fit(16); // full: more is probably waiting
 * assert.equal(buffer.bytes.length, 128);
 * buffer.fit(128);
 * assert.equal(buffer.bytes.length, 1024);
 * buffer.fit(1024); // full again: stays at the largest size
 * buffer.fit(300); // short: the connection has drained
 * assert.equal(buffer.bytes.length, 16);
 * ```
 */
export class ReadBuffer {
  /** Free larger buffers by size, returned by connections that went idle. */
  static #pools = new Map<number, Uint8Array[]>();
  /** How many free larger buffers each size keeps (32 of 64 KiB: 2 MiB). */
  static readonly poolLimit = 32;
  /**
   * Free idle buffers by size. They are views of 64 KiB slabs: an `ArrayBuffer` of its
   * own would cost more than its 128 bytes (a JavaScript object, and Deno's record of
   * its memory). A slab is never freed: the idle buffers of the most connections ever
   * open at once stay allocated, for the next ones.
   */
  static #idleFree = new Map<number, Uint8Array[]>();

  /** Where the next read goes: the idle buffer, or a larger one while the connection is busy. */
  bytes: Uint8Array;
  readonly #idle: Uint8Array;
  readonly #busySize: number;

  /**
   * Creates a connection's buffer, idle at first.
   *
   * @throws {RangeError} if the idle size is not a whole number from 1 up, or the busy
   * size is smaller.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffer } from "./buffers.ts";
   *
   * assert.equal(new ReadBuffer().bytes.length, 128);
   * ```
   */
  constructor(options: ReadBufferOptions = {}) {
    const { idleSize = 128, busySize = 64 * 1024 } = options;
    if (!(Number.isInteger(idleSize) && idleSize > 0 && busySize >= idleSize)) {
      throw new RangeError(`bad ReadBuffer sizes: idle ${idleSize}, busy ${busySize}`);
    }
    this.#idle = this.bytes = ReadBuffer.#idleBuffer(idleSize);
    this.#busySize = busySize;
  }

  /**
   * Sizes {@linkcode ReadBuffer.bytes} for the next read after a read of `count` bytes
   * into it, once those bytes have been used (a large buffer may go to another
   * connection): a full buffer gives way to one eight times as large (up to the busy size),
   * a short read makes it the idle one again.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffer } from "./buffers.ts";
   *
   * const buffer = new ReadBuffer({ idleSize: 8 });
   * buffer.fit(5); // short: stays idle
   * assert.equal(buffer.bytes.length, 8);
   * ```
   */
  // #region fit
  fit(count: number): void {
    const size = this.bytes.length;
    if (count < size) {
      this.#becomeIdle(); // short: the kernel had nothing more; the next read will wait
    } else if (size < this.#busySize) {
      this.#becomeIdle(); // full: more is probably queued
      const next = Math.min(size * 8, this.#busySize);
      this.bytes = ReadBuffer.#pools.get(next)?.pop() ?? new Uint8Array(next);
    }
  }
  // #endregion fit

  /**
   * Gives the connection's buffers back for other connections: call it once, when the
   * connection ends, and use the `ReadBuffer` no more. (Forgetting it loses the idle
   * buffer's 128 bytes to the pool for good.)
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffer } from "./buffers.ts";
   *
   * const first = new ReadBuffer();
   * const idle = first.bytes;
   * first.release();
   * assert.equal(new ReadBuffer().bytes, idle); // the next connection waits with it
   * ```
   */
  release(): void {
    this.#becomeIdle();
    ReadBuffer.#idleFree.get(this.#idle.length)!.push(this.#idle);
    this.bytes = new Uint8Array(0);
  }

  /** Gives a larger buffer back to its pool, if the connection holds one. */
  #becomeIdle(): void {
    if (this.bytes === this.#idle) return;
    const pool = ReadBuffer.#pools.get(this.bytes.length) ?? [];
    if (pool.length < ReadBuffer.poolLimit) pool.push(this.bytes);
    ReadBuffer.#pools.set(this.bytes.length, pool);
    this.bytes = this.#idle;
  }

  /** A free idle buffer of `size` bytes, cut from a new slab when none is left. */
  static #idleBuffer(size: number): Uint8Array {
    let free = ReadBuffer.#idleFree.get(size);
    if (free === undefined) ReadBuffer.#idleFree.set(size, free = []);
    if (free.length === 0) {
      const slab = new ArrayBuffer(Math.max(size, 64 * 1024));
      for (let at = 0; at + size <= slab.byteLength; at += size) {
        free.push(new Uint8Array(slab, at, size));
      }
    }
    return free.pop()!;
  }
}
