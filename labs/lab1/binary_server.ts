#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.4 — binary server: receives fixed-size `struct` records and unpacks them.
 *
 * TCP delivers a stream of bytes, not messages: a record may arrive in pieces, or two
 * records in one read. Both sides agree on the format, so its size (`calcsize`) tells
 * the server exactly how many bytes make one record.
 *
 * Run: ./labs/lab1/binary_server.ts                 (then ./labs/lab1/binary_client.ts)
 *      ./labs/lab1/binary_server.ts --format '>hq?' (to match a client using that format)
 */
import {
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parsePort,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { hexlify } from "../../lib/bytes.ts";
import { BufferedReader } from "../../lib/framing.ts";
import { formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import { Struct, StructError } from "../../lib/struct.ts";
import { formatTuple } from "../../lib/values.ts";

const { values } = parseCommandLine({
  summary: "Binary server (Task 1.4): unpacks every struct record a client sends.",
  options: {
    ...listenOptions("TCP", "10001"),
    format: { default: "=iif", description: "struct format of each record" },
  },
});

await runMain(async () => {
  const record = new Struct(values.format);
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
    const reader = new BufferedReader(conn);
    // null: the client closed cleanly between records; a partial record throws.
    for (let data; (data = await reader.readExactOrEof(record.size)) !== null;) {
      console.log(`Received "${hexlify(data)}"`);
      console.log(`Unpacked: ${formatTuple(record.codes, record.unpack(data))}`);
    }
  }
  // #endregion records

  for await (const conn of listener) serveConnection(conn, unpackRecords);
}, { usageErrors: [StructError] });
