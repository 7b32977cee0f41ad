#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.3 — application-protocol server: requests and responses are a 2-byte header
 * length, a JSON header and the content (`lib/app_message.ts`), as in Real Python's
 * `libserver`, so that tutorial's client works with it.
 *
 * `text/json` requests name an action (`search` the glossary, `reverse` the value);
 * any other content is binary and gets its first 10 bytes back. An unknown action gets
 * an error response and the conversation goes on; a malformed header gets one too, then
 * the connection closes: nothing says where the next message would start. Each part of
 * a request must arrive within --idle-timeout, and the log shows at most the first 200
 * characters of a request, with its control characters escaped.
 *
 * Run: ./labs/lab2/app_server.ts     (then ./labs/lab2/app_client.ts search tcp)
 */
import {
  exitOnSignal,
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { concat, previewText, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import { acceptConnections, formatAddress, listenTcp, serveConnection } from "../../lib/net.ts";
import * as app from "../../lib/app_message.ts";

const { values } = parseCommandLine({
  summary: "Application-protocol server (Task 2.3): JSON-header requests and responses.",
  options: { ...listenOptions("TCP", "65432"), ...idleTimeoutOption() },
});

const GLOSSARY: Record<string, string> = { // the content is UTF-8: any language, any emoji
  tcp: "a reliable, ordered stream of bytes between two sockets",
  udp: "datagrams: each one arrives whole, or not at all",
  "🧦": "a pair of socks 🧦🧦, or a pair of sockets",
};

// #region actions
/** Each text action turns the request's `value` into the response's `result`. */
const ACTIONS: Record<string, (value: string) => string> = {
  search: (value) => GLOSSARY[value] ?? `No match for '${value}'.`,
  reverse: (value) => [...value].reverse().join(""),
};

/** An error response: `result` reads well in any client, `error` is for programs. */
function errorResponse(error: string, reason: string): Uint8Array {
  return app.encodeJsonMessage({ result: `Error: ${reason}.`, error });
}

function respond(request: app.Message): Uint8Array {
  if (request.header["content-type"] !== app.JSON_CONTENT_TYPE) {
    const content = concat(utf8Encode("First 10 bytes of request: "), request.content.slice(0, 10));
    return app.encodeMessage(content, "binary/custom-server-binary-type", "binary");
  }
  let fields: Record<string, unknown>;
  try {
    fields = Object(app.decodeJsonContent(request));
  } catch {
    return errorResponse("malformed-content", "the content is not JSON in its content-encoding");
  }
  const { action, value } = fields;
  if (typeof action !== "string" || !Object.hasOwn(ACTIONS, action)) {
    return errorResponse("unknown-action", `invalid action '${action}'`);
  }
  if (typeof value !== "string") return errorResponse("bad-value", "'value' must be a string");
  return app.encodeJsonMessage({ result: ACTIONS[action](value) });
}
// #endregion actions

await runMain(async () => {
  const idleTimeoutMs = parseIdleTimeout(values["idle-timeout"]);
  // #region serve
  async function serve(conn: Deno.TcpConn): Promise<void> {
    const peer = formatAddress(conn.remoteAddr);
    console.log(`accepted connection from ${peer}`);
    const reader = new BufferedReader(conn, { timeoutMs: idleTimeoutMs });
    try {
      for (let request; (request = await app.readMessage(reader)) !== null;) {
        console.log(`request from ${peer}: ${app.describeMessage(request)}`);
        await writeAll(conn, respond(request));
      }
    } catch (error) {
      if (!(error instanceof app.MessageHeaderError)) throw error;
      console.log(`malformed header from ${peer}: ${previewText(error.message)}`);
      await writeAll(conn, errorResponse("malformed-header", error.message));
    }
    console.log(`closing connection to ${peer}`);
  }
  // #endregion serve

  const listener = listenTcp(values.host, parsePort(values.port));
  exitOnSignal(() => listener.close());
  console.log(`listening on ${formatAddress(listener.addr)}`);
  for await (const conn of acceptConnections(listener, { idleTimeoutMs })) {
    serveConnection(conn, serve);
  }
});
