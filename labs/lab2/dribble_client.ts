#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.2 — a client that dribbles: it frames its messages (--framing fixed, line or
 * prefix; see boundaries.ts), then sends the whole stream --chunk bytes at a time with a
 * pause of --delay ms between writes, so that the server's reads cut messages in pieces.
 * With a --chunk larger than the stream, everything leaves in one write instead, and one
 * read holds several messages.
 *
 * `setNoDelay(true)` turns off Nagle's algorithm, which would otherwise hold back a small
 * write while an earlier one is unacknowledged and send the two together.
 *
 * Run: ./labs/lab2/dribble_client.ts --framing line            (with boundaries_server.ts)
 *      ./labs/lab2/dribble_client.ts --framing prefix --chunk 1000 -- "one" "two" "three"
 */
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { concat, hexlify, utf8Encode } from "../../lib/bytes.ts";
import { writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress } from "../../lib/net.ts";
import { encodeMessage, FRAMING_FLAGS, parseFraming } from "./boundaries.ts";

const { values, positionals } = parseCommandLine({
  summary: "Dribbling client (Task 2.2): sends framed messages a few bytes at a time.",
  options: {
    ...peerOptions("boundaries server", "TCP", "65432"),
    ...FRAMING_FLAGS,
    chunk: { default: "3", valueName: "BYTES", description: "bytes per write" },
    delay: { default: "50", valueName: "MS", description: "pause between two writes" },
  },
  arguments: "[-- MESSAGE...]",
});
const words = positionals.length > 0 ? positionals : ["Hello", "ñandú", "end of the stream"];

await runMain(async () => {
  const choice = parseFraming(values);
  const chunk = parseCount(values.chunk, "--chunk");
  const delay = parseMilliseconds(values.delay, "--delay");
  // #region stream
  const framed = words.map((word) => encodeMessage(utf8Encode(word), choice));
  for (const [i, bytes] of framed.entries()) {
    console.log(`message ${i + 1} framed as ${bytes.length} bytes: ${hexlify(bytes, " ")}`);
  }
  const stream = concat(...framed);
  // #endregion stream

  const conn = await connectTcp(values.host, parsePort(values.port));
  conn.setNoDelay(true);
  console.log(`Connected to ${formatAddress(conn.remoteAddr)}`);
  // #region dribble
  for (let offset = 0; offset < stream.length; offset += chunk) {
    if (offset > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const piece = stream.subarray(offset, offset + chunk);
    await writeAll(conn, piece);
    console.log(`wrote bytes ${offset}..${offset + piece.length - 1} of ${stream.length}`);
  }
  // #endregion dribble
  conn.close();
});
