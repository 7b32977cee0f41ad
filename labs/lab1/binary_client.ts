#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.4 — binary client: packs numbers with a `struct` format and sends the bytes.
 *
 * `struct.pack("=iif", 1, 4, 2.7)` turns two 4-byte integers and a 4-byte float into
 * 12 bytes, in the byte order the prefix asks for. Try other formats and values:
 *
 * Run: ./labs/lab1/binary_client.ts                            (=iif 1 4 2.7)
 *      ./labs/lab1/binary_client.ts --format '>hq?' -- -2 9000000000 true
 * (the server must be started with the same --format)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { hexlify } from "../../lib/bytes.ts";
import { writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress } from "../../lib/net.ts";
import { Struct, StructError } from "../../lib/struct.ts";
import { formatTuple, parseValues } from "../../lib/values.ts";

const { values, positionals } = parseCommandLine({
  summary: "Binary client (Task 1.4): packs values with a struct format and sends them.",
  options: {
    ...peerOptions("binary server", "TCP", "10001"),
    format: { default: "=iif", description: "struct format of the record" },
  },
  arguments: "[-- VALUE...]",
});

await runMain(async () => {
  const record = new Struct(values.format);
  const words = positionals.length > 0 ? positionals : ["1", "4", "2.7"];
  const fields = parseValues(record.codes, words);

  // #region pack
  const packed = record.pack(...fields);
  console.log(`Packing ${formatTuple(record.codes, fields)} as '${record.format}'`);
  console.log(`Sending "${hexlify(packed)}" (${packed.length} bytes)`);
  // #endregion pack

  const conn = await connectTcp(values.host, parsePort(values.port));
  console.log(`Connected to ${formatAddress(conn.remoteAddr)}`);
  await writeAll(conn, packed);
  console.log("Closing socket");
  conn.close();
}, { usageErrors: [StructError] }); // a bad format or value is a typing mistake: exit code 2
