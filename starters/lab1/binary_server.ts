#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.4 — binary server: receives fixed-size `struct` records and unpacks them.
 *
 * STARTER: the command line, the record's format, the listening socket and the
 * `listening on` line are in place (the contract every lab script keeps); each TODO is
 * a step of the task, and the handout explains it: /lab1/task-1-4#task-1-4.
 *
 * Run:   ./mywork/lab1/binary_server.ts                 (then ./mywork/lab1/binary_client.ts)
 *        ./mywork/lab1/binary_server.ts --format '>hq?' (to match a client using that format)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.4)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { Struct, StructError } from "../../lib/struct.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Binary server (Task 1.4): unpacks every struct record a client sends.",
  options: {
    ...listenOptions("TCP", "10001"),
    format: { default: "=iif", description: "struct format of each record" },
    ...idleTimeoutOption(),
  },
});

await runMain(async () => {
  const record = new Struct(values.format);
  if (record.size === 0) throw new UsageError(`format '${record.format}' describes 0 bytes`);
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(
    `listening on ${
      formatAddress(listener.addr)
    } for '${record.format}' records (${record.size} bytes)`,
  );

  /** Prints every record one client sends, until it closes. */
  async function unpackRecords(conn: Deno.TcpConn): Promise<void> {
    console.log(`Connected by ${formatAddress(conn.remoteAddr)}`);
    // TODO(1.4): TCP carries a stream, not messages: a record may arrive in pieces, or
    // two in one read. Read exactly `record.size` bytes at a time (a `BufferedReader`
    // from ../../lib/framing.ts: `readExactOrEof` gives null at a clean end, and throws
    // on a record cut short), then print `Received "<hex>"` (`hexlify`) and
    // `Unpacked: <values>` (`record.unpack`, shown with `formatTuple(record.codes, …)`).
    await todo("/lab1/task-1-4#task-1-4", `read ${record.size}-byte records and unpack each one`);
  }

  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, unpackRecords);
  }
}, { usageErrors: [StructError] });
