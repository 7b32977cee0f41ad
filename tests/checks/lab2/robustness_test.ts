/**
 * Graded checks of Lab 2's servers against hostile peers (`tests/harness/hostile.ts`):
 * each server must stay up and keep serving a good client while others reset, stall,
 * send garbage or use up its descriptors. The good client of each is one ordinary
 * exchange of its task.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as app from "../../../lib/app_message.ts";
import { defineChecks } from "../../harness/checks.ts";
import { printed, robustnessCheck, tcpExchange, uniqueToken } from "../../harness/hostile.ts";
import type { RunningServer } from "../../../tools/script/process.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** An echo of a unique line over TCP. */
async function tcpEcho({ port }: RunningServer, timeoutMs: number): Promise<void> {
  const token = encode(`${uniqueToken()}\n`);
  const echo = await tcpExchange(port, token, (got) => got.length >= token.length, timeoutMs);
  assert.equal(decode(echo), decode(token));
}

/** Whether `bytes` hold a whole message of the application protocol (Task 2.3). */
function wholeMessage(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const headerEnd = 2 + (bytes[0] << 8 | bytes[1]);
  if (bytes.length < headerEnd) return false;
  const header = JSON.parse(decode(bytes.subarray(2, headerEnd)));
  return bytes.length >= headerEnd + header["content-length"];
}

export const checks = defineChecks(2, [
  robustnessCheck({ name: "multiconn_server.ts", task: "2.1", transport: "tcp", good: tcpEcho }),
  robustnessCheck({
    name: "boundaries_server.ts",
    task: "2.2",
    transport: "tcp",
    async good(server, timeoutMs) {
      const token = uniqueToken(); // one line: the default --framing
      await tcpExchange(server.port, encode(`${token}\n`), () => true, timeoutMs);
      await printed(server, `b'${token}'`, timeoutMs);
    },
  }),
  robustnessCheck({
    name: "app_server.ts",
    task: "2.3",
    transport: "tcp",
    async good({ port }, timeoutMs) {
      const request = app.encodeJsonMessage({ action: "reverse", value: "stressed" });
      const answer = await tcpExchange(port, request, wholeMessage, timeoutMs);
      const headerEnd = 2 + (answer[0] << 8 | answer[1]);
      assert.deepEqual(JSON.parse(decode(answer.subarray(headerEnd))), { result: "desserts" });
    },
  }),
  robustnessCheck({
    name: "reuseport_server.ts",
    task: "2.5",
    transport: "tcp",
    args: ["--workers", "2", "--quiet"],
    good: tcpEcho,
  }),
]);
