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
 * A server that accepts the connection but never answers would keep it waiting forever:
 * after --timeout milliseconds it gives up, with one line.
 *
 * Run: ./labs/lab2/app_client.ts search tcp          (with the server running)
 *      ./labs/lab2/app_client.ts reverse "stressed"
 *      ./labs/lab2/app_client.ts --binary "raw bytes, not JSON"
 */
import {
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
  UsageError,
} from "../../lib/cli.ts";
import { previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import {
  closeQuietly,
  connectTcp,
  formatAddress,
  NetworkError,
  readWithin,
  TIMED_OUT,
} from "../../lib/net.ts";
import * as app from "../../lib/app_message.ts";

const { values, positionals } = parseCommandLine({
  summary: "Application-protocol client (Task 2.3): one request, one response.",
  options: {
    ...peerOptions("application-protocol server", "TCP", "65432"),
    binary: { type: "boolean", description: "send the words as binary content, not JSON" },
    timeout: { default: "5000", valueName: "MS", description: "how long to wait for the response" },
  },
  arguments: "ACTION VALUE (or WORDS... with --binary)",
});

await runMain(async () => {
  const port = parsePort(values.port);
  const timeoutMs = parseMilliseconds(values.timeout, "--timeout");
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
    // #region response
    const exchange = writeAll(conn, request).then(() => app.readMessage(new BufferedReader(conn)));
    const response = await readWithin(conn, exchange, timeoutMs);
    if (response === TIMED_OUT) {
      throw new NetworkError(`no response from ${server} within ${timeoutMs} ms (see --timeout)`);
    }
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
    closeQuietly(conn); // already closed if the response never came
  }
});
