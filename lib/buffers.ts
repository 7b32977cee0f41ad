/**
 * A read buffer that follows the traffic: small while its connection is idle, large while
 * data pours in, and lent from a pool that the connections of a thread share.
 *
 * A server hands `read()` a buffer before any data has arrived, and the buffer stays taken
 * for as long as the read waits. Its size is a trade-off:
 *
 * - a large buffer per connection (64 KiB, what a bulk transfer wants) costs 640 MiB for
 *   10,000 idle connections;
 * - a small one (Python's `recv(1024)`) keeps memory low but costs a read and a write per
 *   kilobyte: a bulk transfer then spends its time on calls, not on bytes.
 *
 * A {@linkcode ReadBuffer} does both. Its connection waits with a small buffer of its own.
 * When a read fills it, more data is probably queued, so the next reads get a large buffer
 * from the pool; when a read comes back short, the kernel had nothing more, so the large
 * buffer goes back to the pool before the next read, which will probably wait. An idle
 * connection never holds a large buffer, and the pool needs only as many as there are
 * connections busy at the same moment.
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
  /** Bytes of the buffer an idle connection waits with (default 256). */
  idleSize?: number;
  /** Bytes of the large buffer a busy connection reads into (default 64 KiB). */
  busySize?: number;
}

/**
 * One connection's read buffer; see the module's description.
 *
 * @example A read that fills the buffer makes the next one large
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadBuffer } from "./buffers.ts";
 *
 * const buffer = new ReadBuffer({ idleSize: 16, busySize: 1024 });
 * assert.equal(buffer.bytes.length, 16);
 * buffer.fit(16); // full: more is probably waiting
 * assert.equal(buffer.bytes.length, 1024);
 * buffer.fit(1024); // full again: stays large
 * buffer.fit(300); // short: the connection has drained
 * assert.equal(buffer.bytes.length, 16);
 * ```
 */
export class ReadBuffer {
  /** Large buffers returned by connections that went idle, for the next busy one. */
  static #pool: Uint8Array[] = [];
  /** How many returned large buffers the pool keeps (32 of 64 KiB: 2 MiB). */
  static readonly poolLimit = 32;

  /** Where the next read goes: the idle buffer, or a large one while the connection is busy. */
  bytes: Uint8Array;
  readonly #idle: Uint8Array;
  readonly #busySize: number;

  /**
   * Creates a connection's buffer, idle at first.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffer } from "./buffers.ts";
   *
   * assert.equal(new ReadBuffer().bytes.length, 256);
   * ```
   */
  constructor(options: ReadBufferOptions = {}) {
    this.#idle = this.bytes = new Uint8Array(options.idleSize ?? 256);
    this.#busySize = options.busySize ?? 64 * 1024;
  }

  /**
   * Sizes {@linkcode ReadBuffer.bytes} for the next read after a read of `count` bytes
   * into it, once those bytes have been used (the large buffer may go to another
   * connection): a full idle buffer gives way to a large one, a short read on the large
   * one gives it back.
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
  fit(count: number): void {
    if (this.bytes === this.#idle) {
      if (count === this.bytes.length) {
        const pooled = ReadBuffer.#pool.pop();
        this.bytes = pooled?.length === this.#busySize ? pooled : new Uint8Array(this.#busySize);
      }
    } else if (count < this.bytes.length) {
      this.release();
    }
  }

  /**
   * Gives a large buffer back to the pool, if the connection holds one: call it when the
   * connection ends. (Forgetting it costs only a reuse: the garbage collector frees it.)
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBuffer } from "./buffers.ts";
   *
   * const buffer = new ReadBuffer({ idleSize: 1 });
   * buffer.fit(1);
   * buffer.release();
   * assert.equal(buffer.bytes.length, 1);
   * ```
   */
  release(): void {
    if (this.bytes === this.#idle) return;
    if (ReadBuffer.#pool.length < ReadBuffer.poolLimit) ReadBuffer.#pool.push(this.bytes);
    this.bytes = this.#idle;
  }
}
