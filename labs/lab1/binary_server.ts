#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.4 — binary server: receives fixed-size `struct` records and unpacks them.
 *
 * TCP delivers a stream of bytes, not messages: a record may arrive in pieces, or two
 * records in one read. Both sides agree on the format, so its size (`calcsize`) tells
 * the server exactly how many bytes make one record. A record must arrive whole within
 * --idle-timeout: a client that goes silent, or sends a byte now and then, is let go.
 *
 * Run: ./labs/lab1/binary_server.ts                 (then ./labs/lab1/binary_client.ts)
 *      ./labs/lab1/binary_server.ts --format '>hq?' (to match a client using that format)
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
import { hexlify } from "../../lib/bytes.ts";
import { BufferedReader } from "../../lib/framing.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { Struct, StructError } from "../../lib/struct.ts";
import { formatTuple } from "../../lib/values.ts";

/** Records of one connection printed in full; after them, one in 1000. */
const SHOWN = 100;

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
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  if (record.size === 0) throw new UsageError(`format '${record.format}' describes 0 bytes`);
  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(
    `listening on ${
      formatAddress(listener.addr)
    } for '${record.format}' records (${record.size} bytes)`,
  );

  // #region records
  async function unpackRecords(conn: Deno.TcpConn): Promise<void> {
    console.log(`Connected by ${formatAddress(conn.remoteAddr)}`);
    const reader = new BufferedReader(conn, { timeoutMs: idleTimeoutMs });
    // null: the client closed cleanly between records; a partial record throws.
    for (let data, count = 1; (data = await reader.readExactOrEof(record.size)) !== null; count++) {
      const fields = record.unpack(data);
      // A line costs more than a record: past the first 100, every 1000th (no one client
      // can keep the server busy printing, nor flood the terminal).
      if (count > SHOWN && count % 1000 !== 0) continue;
      console.log(`Received "${hexlify(data)}"${count > SHOWN ? ` (record ${count})` : ""}`);
      console.log(`Unpacked: ${formatTuple(record.codes, fields)}`);
    }
  }
  // #endregion records

  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, unpackRecords);
  }
}, { usageErrors: [StructError] });
