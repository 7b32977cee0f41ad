/**
 * Opening TCP and UDP sockets with errors a student can act on.
 *
 * Deno's own errors say what failed ("Address already in use (os error 98)"); these
 * wrappers add where and what to try, as one line that {@linkcode runMain} prints.
 * They also format addresses the way the lab scripts print them.
 *
 * @example A server that says where it listens
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAddress, listenTcp } from "./net.ts";
 *
 * using listener = listenTcp("127.0.0.1", 0); // port 0: any free port
 * const line = `listening on ${formatAddress(listener.addr)}`; // what a server prints
 * assert.match(line, /^listening on 127\.0\.0\.1:\d+$/);
 * ```
 *
 * @module
 */
import { ReadBuffer } from "./buffers.ts";
import { describeError, UsageError } from "./errors.ts";

/** A network operation that failed, with advice in its message. */
export class NetworkError extends Error {
  /**
   * Creates the error.
   *
   * @param message What failed and what to try.
   * @param options The original error as `cause`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NetworkError } from "./net.ts";
   * const error = new NetworkError("nobody is listening", { cause: new Error("os error 111") });
   * assert.equal(error.message, "nobody is listening");
   * assert.equal(error.name, "NetworkError");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetworkError";
  }
}

/**
 * Formats an address as `host:port`, with brackets around IPv6 hosts (`[::1]:80`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAddress } from "./net.ts";
 * const address = formatAddress({ transport: "tcp", hostname: "127.0.0.1", port: 54803 });
 * assert.equal(address, "127.0.0.1:54803");
 * assert.equal(formatAddress({ transport: "udp", hostname: "::1", port: 80 }), "[::1]:80");
 * ```
 */
export function formatAddress(addr: Deno.Addr): string {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return addr.transport;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return `${host}:${addr.port}`;
}

/** Options of {@linkcode listenTcp}. */
export interface ListenTcpOptions {
  /**
   * Lets other sockets listen on the same port too (SO_REUSEPORT; Linux spreads new
   * connections among them). Needs `--unstable-net`.
   */
  reusePort?: boolean;
}

/**
 * Starts a TCP server socket (Python's `socket()` + `bind()` + `listen()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenTcp } from "./net.ts";
 * const listener = listenTcp("127.0.0.1", 0);
 * assert.equal((listener.addr as Deno.NetAddr).port > 0, true);
 * listener.close();
 * ```
 */
export function listenTcp(
  hostname: string,
  port: number,
  options: ListenTcpOptions = {},
): Deno.TcpListener {
  try {
    return Deno.listen({ transport: "tcp", hostname, port, ...options });
  } catch (error) {
    throw bindError(error, hostname, port);
  }
}

/**
 * Opens a UDP socket bound to `hostname:port` (Python's `socket(AF_INET, SOCK_DGRAM)` +
 * `bind()`); port 0 lets the system choose. Needs `--unstable-net`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenUdp } from "./net.ts";
 * const socket = listenUdp("127.0.0.1", 0);
 * assert.ok((socket.addr as Deno.NetAddr).port > 0);
 * socket.close();
 * ```
 */
export function listenUdp(hostname: string, port: number): Deno.DatagramConn {
  if (typeof Deno.listenDatagram !== "function") {
    throw new UsageError(
      "UDP sockets need Deno's --unstable-net flag (see the script's first line)",
    );
  }
  try {
    return Deno.listenDatagram({ transport: "udp", hostname, port });
  } catch (error) {
    throw bindError(error, hostname, port);
  }
}

/**
 * Waits for one datagram on `socket` for at most `timeoutMs` milliseconds and resolves
 * to `[data, sender]`, or to `null` when none came. UDP never tells a client that nobody
 * is listening, so a client needs a deadline; Deno's datagram sockets have no receive
 * timeout, so at the deadline this closes the socket (closing is what ends a waiting
 * `receive()`): after a `null`, the socket is closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenUdp, receiveWithin } from "./net.ts";
 * const socket = listenUdp("127.0.0.1", 0);
 * assert.equal(await receiveWithin(socket, 50), null); // nobody sent anything
 * ```
 */
export async function receiveWithin(
  socket: Deno.DatagramConn,
  timeoutMs: number,
): Promise<[Uint8Array, Deno.Addr] | null> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    closeQuietly(socket);
  }, timeoutMs);
  try {
    return await socket.receive();
  } catch (error) {
    if (timedOut) return null;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** What {@linkcode readWithin} resolves to when the deadline came first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Waits at most `timeoutMs` milliseconds for `read`, something that waits on `conn`
 * (an answer from a server, say): resolves to its result, or to {@linkcode TIMED_OUT}.
 * A TCP peer that accepted the connection but never answers leaves a client waiting
 * forever, and Deno's reads have no timeout of their own; so at the deadline this
 * closes `conn`, which ends the waiting read: after `TIMED_OUT`, `conn` is closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectTcp, listenTcp, readWithin, TIMED_OUT } from "./net.ts";
 * const listener = listenTcp("127.0.0.1", 0); // accepts, never answers
 * const conn = await connectTcp("127.0.0.1", (listener.addr as Deno.NetAddr).port);
 * assert.equal(await readWithin(conn, conn.read(new Uint8Array(10)), 50), TIMED_OUT);
 * listener.close();
 * ```
 */
export async function readWithin<T>(
  conn: { close(): void },
  read: Promise<T>,
  timeoutMs: number,
): Promise<T | typeof TIMED_OUT> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    closeQuietly(conn);
  }, timeoutMs);
  try {
    return await read;
  } catch (error) {
    if (timedOut) return TIMED_OUT;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to a TCP server (Python's `connect()`), explaining a refused connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectTcp, listenTcp } from "./net.ts";
 * const listener = listenTcp("127.0.0.1", 0);
 * const port = listener.addr.port;
 * const conn = await connectTcp("127.0.0.1", port);
 * conn.close();
 * listener.close();
 * // Nobody listens there now: one line that says what to check.
 * await assert.rejects(connectTcp("127.0.0.1", port), /connection refused by 127.0.0.1/);
 * ```
 */
export async function connectTcp(hostname: string, port: number): Promise<Deno.TcpConn> {
  try {
    return await Deno.connect({ transport: "tcp", hostname, port });
  } catch (error) {
    const where = `${hostname}:${port}`;
    if (error instanceof Deno.errors.ConnectionRefused) {
      throw new NetworkError(
        `connection refused by ${where}: is the server running there? Start it first, or check --host and --port`,
        { cause: error },
      );
    }
    throw wrapCommonError(error, where);
  }
}

/** The part of a UDP socket {@linkcode sendDatagram} uses. */
export interface DatagramSender {
  /** The local address the socket is bound to. */
  readonly addr: Deno.Addr;
  /** Sends one datagram. */
  send(data: Uint8Array, to: Deno.Addr): Promise<number>;
}

/**
 * Sends one datagram (Python's `sendto()`), explaining the classic surprise: a socket
 * bound to a loopback address can only reach this machine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenUdp, sendDatagram } from "./net.ts";
 * const receiver = listenUdp("127.0.0.1", 0);
 * const socket = listenUdp("127.0.0.1", 0);
 * await sendDatagram(socket, new Uint8Array([1]), receiver.addr as Deno.NetAddr);
 * const [data] = await receiver.receive();
 * assert.deepEqual(data, new Uint8Array([1]));
 * socket.close();
 * receiver.close();
 * ```
 */
export async function sendDatagram(
  socket: DatagramSender,
  data: Uint8Array,
  to: Deno.NetAddr,
): Promise<void> {
  try {
    await socket.send(data, to);
  } catch (error) {
    const from = socket.addr as Deno.NetAddr;
    if (
      /os error 22/.test(String(error)) && isLoopback(from.hostname) && !isLoopback(to.hostname)
    ) {
      throw new NetworkError(
        `cannot send from ${formatAddress(from)} to ${formatAddress(to)}: a socket bound to a ` +
          "loopback address reaches only this machine (use --bind 0.0.0.0 and allow it with --allow-net)",
        { cause: error },
      );
    }
    throw wrapCommonError(error, formatAddress(to));
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}

function bindError(error: unknown, hostname: string, port: number): unknown {
  const where = `${hostname}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return new NetworkError(
      `address ${where} is already in use: stop the program using it or choose another --port (0 picks a free one)`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied && port > 0 && port < 1024) {
    return new NetworkError(
      `port ${port} is privileged (below 1024): choose a port from 1024 up, or run as root`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new NetworkError(
      `cannot listen on ${hostname}: that address does not belong to this machine (try 127.0.0.1 or 0.0.0.0)`,
      { cause: error },
    );
  }
  return wrapCommonError(error, where);
}

function wrapCommonError(error: unknown, where: string): unknown {
  if (/failed to lookup address|Name or service not known/i.test(String(error))) {
    const host = where.slice(0, where.lastIndexOf(":"));
    return new NetworkError(`cannot resolve host name "${host}": check --host`, { cause: error });
  }
  if (error instanceof Deno.errors.NotCapable) return error;
  return new NetworkError(`${where}: ${describeError(error)}`, { cause: error });
}

/** Options of {@linkcode acceptConnections}. */
export interface AcceptOptions {
  /**
   * Closes a connection on which nothing has been received or sent for this many
   * milliseconds, with one line on stderr; 0 (the default) never does. A client that
   * went silent, or that stopped reading what the server sends, then costs a descriptor
   * for a while, not forever.
   */
  idleTimeoutMs?: number;
}

/**
 * The accept loop of every TCP server: yields each new connection, as iterating the
 * listener does, but no client can end it.
 *
 * - A connection that failed before the server took it (reset right after the
 *   handshake, aborted: "Transport endpoint is not connected") is skipped at once: it
 *   concerns that client only, and waiting would only delay the next one.
 * - When the process has run out of file descriptors ("Too many open files"), or the
 *   system of memory for sockets, it says so in one line on stderr and tries again
 *   after a short pause (10 ms, doubling up to 100 ms), serving the open connections
 *   meanwhile; it says when accepting works again.
 * - With `idleTimeoutMs`, each connection it yields is closed once nothing has moved
 *   on it for that long (see {@linkcode AcceptOptions}).
 *
 * It ends when the listener is closed. It uses nothing but Deno's built-ins and the
 * functions {@linkcode startTcpWorker} hands a worker, so that a worker runs this very
 * loop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptConnections, listenTcp } from "./net.ts";
 *
 * const listener = listenTcp("127.0.0.1", 0);
 * const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * for await (const conn of acceptConnections(listener, { idleTimeoutMs: 60_000 })) {
 *   assert.equal(conn.remoteAddr.port, client.localAddr.port);
 *   conn.close();
 *   listener.close(); // ends the loop
 * }
 * client.close();
 * ```
 */
export async function* acceptConnections<Conn extends Deno.Conn>(
  listener: Deno.Listener<Conn>,
  options: AcceptOptions = {},
): AsyncGenerator<Conn> {
  const idleMs = options.idleTimeoutMs ?? 0;
  // A watched connection's read, write and close are these three functions, shared by
  // all (10,000 idle connections must not cost 30,000 closures): a read or a write counts
  // as life when it starts, so one pending for idleMs means that nothing moved meanwhile.
  const lastMoved = Symbol("last moved");
  type Watched = Conn & { [lastMoved]: number };
  /** The yielded connections that are still open. */
  const watched = new Set<Watched>();
  let original: Pick<Deno.Conn, "read" | "write" | "close"> | undefined;
  const tracked = {
    read(this: Watched, p: Uint8Array) {
      this[lastMoved] = Date.now();
      return original!.read.call(this, p);
    },
    write(this: Watched, p: Uint8Array) {
      this[lastMoved] = Date.now();
      return original!.write.call(this, p);
    },
    close(this: Watched) {
      watched.delete(this);
      original!.close.call(this);
    },
  };
  const every = Math.min(1000, Math.max(10, idleMs / 4));
  let lastSweep = Date.now();
  const sweep = () => {
    const now = Date.now();
    // A sweep that comes late had the event loop held up (a busy machine): reads that
    // completed meanwhile may not have been handed over yet. Close nothing this time.
    const late = now - lastSweep > 2 * every;
    lastSweep = now;
    if (late) return;
    for (const conn of watched) {
      if (now - conn[lastMoved] < idleMs) continue;
      console.error(
        `${formatAddress(conn.remoteAddr)}: nothing received or sent for ${idleMs} ms: ` +
          "closing the connection",
      );
      closeQuietly(conn); // its pending read or write fails; serveConnection stays quiet
    }
  };
  const sweeper = idleMs > 0 ? setInterval(sweep, every) : 0;
  let pause = 0; // ms to wait before the next accept; 0 while accepting works
  try {
    while (true) {
      let conn: Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource) return; // the listener was closed
        // One client's connection that died in the backlog: skip it, with no pause.
        if (
          error instanceof Deno.errors.NotConnected ||
          error instanceof Deno.errors.ConnectionAborted ||
          error instanceof Deno.errors.ConnectionReset
        ) continue;
        if (pause === 0) {
          const advice = (error as { code?: string }).code === "EMFILE"
            ? " (each connection holds one; `ulimit -n` shows the limit)"
            : "";
          console.error(
            `accept failed: ${describeError(error)}${advice}; ` +
              "serving the open connections and retrying",
          );
        }
        pause = Math.min(100, Math.max(10, 2 * pause)); // soon back once one is freed
        await new Promise((resolve) => setTimeout(resolve, pause));
        continue;
      }
      if (pause > 0) console.error("accepting connections again");
      pause = 0;
      if (idleMs > 0) {
        original ??= { read: conn.read, write: conn.write, close: conn.close };
        const watch = Object.assign(conn, { [lastMoved]: Date.now() }, tracked);
        watched.add(watch);
      }
      yield conn;
    }
  } finally {
    clearInterval(sweeper);
  }
}

/**
 * Serves one accepted connection in the background: runs `handler`, reports an error
 * as one line naming the peer (a reset or garbage from one client never stops the
 * server), and always closes the connection. The promise it returns settles when the
 * connection is done and never rejects: a server that serves one client at a time awaits it.
 * An error on a connection already closed on this side (by the idle timeout of
 * {@linkcode acceptConnections}, which said why) is not reported again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenTcp, serveConnection } from "./net.ts";
 * using listener = listenTcp("127.0.0.1", 0);
 * using client = await Deno.connect({ port: listener.addr.port });
 * // A server loops over `listener`; here, one connection.
 * const served = serveConnection(await listener.accept(), async (conn) => {
 *   await conn.write(new TextEncoder().encode("hi"));
 * });
 * const reply = new Uint8Array(2);
 * assert.equal(await client.read(reply), 2);
 * assert.equal(new TextDecoder().decode(reply), "hi");
 * await served; // the connection is closed now
 * assert.equal(await client.read(reply), null);
 * ```
 */
export function serveConnection<Conn extends Deno.Conn>(
  conn: Conn,
  handler: (conn: Conn) => Promise<void>,
): Promise<void> {
  // One `then` with both callbacks (not an async function, nor .catch().finally()): while
  // 10,000 connections wait, each holds one promise here, not a suspended frame or three.
  return handler(conn).then(() => closeQuietly(conn), (error) => {
    const peer = formatAddress(conn.remoteAddr);
    let closedAlready = false; // on our side, by whoever said why (the idle timeout)
    try {
      conn.close();
    } catch (closing) {
      closedAlready = closing instanceof Deno.errors.BadResource;
    }
    if (!closedAlready) console.error(`${peer}: ${describeError(error)}`);
  });
}

/** The key of the message a worker of {@linkcode startTcpWorker} sends when it fails. */
const WORKER_FAILED = "workerFailed";

/**
 * Starts a Web Worker named `name` that runs `program(...args)`, with
 * {@linkcode acceptConnections}, {@linkcode serveConnection} and the functions they use,
 * and `ReadBuffer` (lib/buffers.ts), defined in its scope, and makes its death the program's: if the worker fails (an error
 * nothing caught), the process prints one line and exits with code 1, so that a server
 * never goes on with some of its workers gone, nor ends with code 0 when all are.
 *
 * A worker loading a module from disk needs `--allow-read`; a server that should need
 * only the network hands the worker its program as text instead: `program` is turned back
 * into source code (`String(program)`), so it must use nothing from its own file but
 * Deno's built-ins, its arguments (plain data) and the functions named above, which it
 * may import for their types. Listen to the worker's messages with `onmessage`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startTcpWorker } from "./net.ts";
 *
 * function program(greeting: string) {
 *   // deno-lint-ignore no-explicit-any
 *   (globalThis as any).postMessage(`${greeting} from a worker`);
 * }
 * const worker = startTcpWorker("worker 1", program, "hello");
 * const message = await new Promise((resolve) => worker.onmessage = (e) => resolve(e.data));
 * assert.equal(message, "hello from a worker");
 * worker.terminate();
 * ```
 */
export function startTcpWorker<Args extends unknown[]>(
  name: string,
  program: (...args: Args) => unknown,
  ...args: Args
): Worker {
  const library = [
    describeError,
    formatAddress,
    closeQuietly,
    acceptConnections,
    serveConnection,
    ReadBuffer,
  ];
  // In the worker, an error nothing caught is sent to us as one line, with no stack trace.
  const report = (error: unknown) => ({ [WORKER_FAILED]: describeError(error) });
  const source = [
    ...library.map(String),
    `const report = ${report}, WORKER_FAILED = "${WORKER_FAILED}";`,
    `self.addEventListener("error", (e) => { e.preventDefault(); postMessage(report(e.error)); });`,
    `self.addEventListener("unhandledrejection", (e) => { e.preventDefault(); postMessage(report(e.reason)); });`,
    `(${program})(...${JSON.stringify(args)});`,
  ];
  const url = URL.createObjectURL(new Blob([source.join("\n")], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module", name });
  const fail = (why: string) => {
    console.error(`error: ${name} stopped: ${why}`);
    Deno.exit(1);
  };
  worker.addEventListener("message", (event) => {
    if (typeof event.data?.[WORKER_FAILED] === "string") fail(event.data[WORKER_FAILED]);
  });
  worker.onerror = (event) => { // what the worker cannot catch itself: failing to load
    event.preventDefault();
    fail(event.message);
  };
  return worker;
}

/**
 * Closes a socket that may already be closed, ignoring that case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeQuietly, listenTcp } from "./net.ts";
 *
 * const listener = listenTcp("127.0.0.1", 0);
 * closeQuietly(listener);
 * assert.doesNotThrow(() => closeQuietly(listener)); // already closed: no error
 * ```
 */
export function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}
