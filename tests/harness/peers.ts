/**
 * The other end of a conversation, played by a check: TCP and UDP peers on loopback
 * that send, collect and echo bytes in ways that stress a student's script (a 1 MiB
 * burst, a dribble of tiny writes, abrupt closes).
 *
 * @module
 */
import { SeededRandom } from "../../lib/random.ts";
import type { RunningScript } from "../../tools/script/process.ts";

/** Deterministic pseudo-random bytes, so a failing check fails the same way. */
export function seededBytes(length: number, seed = 1): Uint8Array {
  return new SeededRandom(seed).bytes(length);
}

/** Splits `data` into chunks of 1 to `maxChunk` bytes (seeded sizes). */
export function chunks(data: Uint8Array, maxChunk: number, seed = 7): Uint8Array[] {
  const sizes = seededBytes(data.length, seed);
  const pieces: Uint8Array[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = 1 + (sizes[i] % maxChunk);
    pieces.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** Reads everything until the other side closes. */
export async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  for (let n; (n = await conn.read(buffer)) !== null;) parts.push(buffer.slice(0, n));
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Writes every piece in order, looping over partial writes, yielding between pieces. */
export async function writePieces(conn: Deno.Conn, pieces: Uint8Array[]): Promise<void> {
  for (const piece of pieces) {
    for (let sent = 0; sent < piece.length;) sent += await conn.write(piece.subarray(sent));
  }
}

/**
 * Sends `pieces` to a TCP server while reading its answer, then half-closes and reads
 * to the end: the whole answer, however the server split it.
 */
export async function tcpExchange(port: number, pieces: Uint8Array[]): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const answer = readAll(conn); // read concurrently: a large echo would fill both buffers
    await writePieces(conn, pieces);
    await conn.closeWrite();
    return await answer;
  } finally {
    conn.close();
  }
}

/** A port that was free a moment ago (nothing listens there now). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** A TCP server of the check's own, on a free loopback port, serving each connection with `serve`. */
export class TestTcpServer {
  readonly #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  readonly #served: Promise<void>[] = [];
  readonly #loop: Promise<void>;

  constructor(serve: (conn: Deno.TcpConn) => Promise<void>) {
    this.#loop = (async () => {
      for await (const conn of this.#listener) {
        const served = serve(conn).finally(() => conn.close());
        // A client under test may vanish mid-exchange: that must not crash the run.
        served.catch(() => {});
        this.#served.push(served);
      }
    })();
  }

  get port(): number {
    return this.#listener.addr.port;
  }

  /**
   * Waits until `count` connections were accepted and served to their end, or `timeoutMs`
   * passed: a client that connected and exited may still wait in the listen queue, which
   * {@linkcode TestTcpServer.close} would drop unread.
   */
  async served(count: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.#served.length < count && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.allSettled(this.#served);
  }

  /** Stops listening and waits for the connections in progress to end. */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#loop.catch(() => {});
    await Promise.allSettled(this.#served);
  }
}

/** A UDP socket of the check's own on a free loopback port. */
export function udpSocket(): Deno.DatagramConn {
  return Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
}

/**
 * Resolves as `promise` does, or fails after `timeoutMs` with "no <what> within … ms".
 * The operation itself goes on: close its socket to end it.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a datagram a script sent just before it ended may take to be read, in ms. */
const SENT_BEFORE_END_MS = 1000;

/**
 * Waits for one datagram, or fails after `timeoutMs`. With `sender`, the script that is to
 * send it, it fails as soon as that script has ended without sending it: what a script
 * sent before it ended is already queued on loopback, and it sends nothing after.
 */
export async function receiveWithin(
  socket: Deno.DatagramConn,
  timeoutMs: number,
  sender?: RunningScript,
): Promise<[Uint8Array, Deno.NetAddr]> {
  const receiving = socket.receive();
  const ended = sender?.ended.then(() => "ended" as const);
  const first = await within(
    ended ? Promise.race([receiving, ended]) : receiving,
    timeoutMs,
    "datagram",
  );
  const [data, addr] = first !== "ended" ? first : await within(
    receiving,
    SENT_BEFORE_END_MS,
    "datagram",
  ).catch((error: Error) => {
    const tail = sender!.stderr.trimEnd().slice(-1500);
    throw new Error(`${error.message}: ${sender!.label} ended without sending it\n${tail}`);
  });
  return [data, addr as Deno.NetAddr];
}

/** Sends datagrams from a fresh socket and returns it, for replies. */
export async function udpSend(port: number, ...messages: Uint8Array[]): Promise<Deno.DatagramConn> {
  const socket = udpSocket();
  for (const message of messages) {
    await socket.send(message, { transport: "udp", hostname: "127.0.0.1", port });
  }
  return socket;
}
