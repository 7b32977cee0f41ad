#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.1 — TCP echo client: connects, sends a message, prints what comes back.
 *
 * Python's `connect()` + `sendall()` + `recv()` become `Deno.connect`, `write` and
 * `read`. One `read` may return only part of the echo, so we read until the server
 * closes, after telling it we are done sending (`shutdown(SHUT_WR)` → `closeWrite()`).
 *
 * Run: ./labs/lab1/tcp_echo_client.ts "Hello, world"   (with the server running)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { concat, equals, previewBytes, utf8Encode } from "../../lib/bytes.ts";
import { writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress } from "../../lib/net.ts";

const { values, positionals } = parseCommandLine({
  summary: "TCP echo client (Task 1.1): sends a message and prints the echo.",
  options: peerOptions("echo server", "TCP", "65432"),
  arguments: "[MESSAGE...]",
});
const message = utf8Encode(positionals.length > 0 ? positionals.join(" ") : "Hello, world");

await runMain(async () => {
  const conn = await connectTcp(values.host, parsePort(values.port));
  console.log(
    `Connected to ${formatAddress(conn.remoteAddr)} from ${formatAddress(conn.localAddr)}`,
  );

  // #region exchange
  await writeAll(conn, message);
  console.log(`Sent ${message.length} bytes`);
  await conn.closeWrite(); // FIN: "no more data from me", the socket still reads

  const chunks: Uint8Array[] = [];
  for await (const chunk of conn.readable) chunks.push(chunk); // until the server closes
  const echoed = concat(...chunks);
  // #endregion exchange
  console.log(`Received ${previewBytes(echoed)}`);
  if (!equals(echoed, message)) {
    throw new Error(
      `the echo (${echoed.length} bytes) differs from what we sent (${message.length})`,
    );
  }
});
