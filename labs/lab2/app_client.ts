#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.3 — application-protocol client: sends one request framed as a 2-byte header
 * length, a JSON header and the content (`lib/app_message.ts`), and prints the response.
 *
 * `ACTION VALUE` becomes a `text/json` request `{"action": …, "value": …}`; with
 * `--binary` the words are sent as raw bytes (`binary/custom-client-binary-type`). The
 * response is read in the same three stages as the request. This is the design of Real
 * Python's `libclient`, so it works with that tutorial's server too.
 *
 * Run: ./labs/lab2/app_client.ts search tcp          (with the server running)
 *      ./labs/lab2/app_client.ts reverse "stressed"
 *      ./labs/lab2/app_client.ts --binary "raw bytes, not JSON"
 */
import { parseCommandLine, parsePort, peerOptions, runMain, UsageError } from "../../lib/cli.ts";
import { previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { connectTcp, formatAddress, NetworkError } from "../../lib/net.ts";
import * as app from "../../lib/app_message.ts";

const { values, positionals } = parseCommandLine({
  summary: "Application-protocol client (Task 2.3): one request, one response.",
  usage: "app_client.ts [--host HOST] [--port PORT] ACTION VALUE | --binary WORDS...",
  options: {
    ...peerOptions("application-protocol server", "TCP", "65432"),
    binary: { type: "boolean", description: "send the words as binary content, not JSON" },
  },
  positionals: true,
});

await runMain(async () => {
  const port = parsePort(values.port);
  // #region request
  let request: Uint8Array;
  if (values.binary) {
    request = app.encodeMessage(
      utf8Encode(positionals.join(" ")),
      "binary/custom-client-binary-type",
      "binary",
    );
  } else if (positionals.length === 2) {
    const [action, value] = positionals;
    request = app.encodeJsonMessage({ action, value });
  } else {
    throw new UsageError("give an ACTION and a VALUE (e.g. search tcp), or --binary WORDS");
  }
  // #endregion request
  const conn = await connectTcp(values.host, port);
  try {
    const server = formatAddress(conn.remoteAddr);
    console.log(`Sending ${request.length} bytes to ${server}`);
    await writeAll(conn, request);
    // #region response
    const response = await app.readMessage(new BufferedReader(conn));
    if (response === null) {
      throw new NetworkError(`${server} closed the connection without a response`);
    }
    if (response.header["content-type"] !== app.JSON_CONTENT_TYPE) {
      console.log(`Got response: ${app.describeMessage(response)}`);
      return;
    }
    const { result, error } = Object(app.decodeJsonContent(response));
    console.log(`Got result: ${previewText(String(result))}`); // the server's text, escaped
    if (error !== undefined) throw new Error(`the server answered with an error (${error})`);
    // #endregion response
  } finally {
    conn.close();
  }
});
