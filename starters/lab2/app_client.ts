#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.3 — application-protocol client: sends one request framed as a 2-byte header
 * length, a JSON header and the content (`lib/app_message.ts`), and prints the response.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab2/task-2-3#task-2-3.
 *
 * Run:   ./mywork/lab2/app_client.ts search tcp          (with the server running)
 *        ./mywork/lab2/app_client.ts reverse "stressed"
 *        ./mywork/lab2/app_client.ts --binary "raw bytes, not JSON"
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.3)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

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
  // TODO(2.3): build the request with ../../lib/app_message.ts: with --binary, the words
  // as UTF-8 bytes (`encodeMessage(bytes, "binary/custom-client-binary-type",
  // "binary")`); otherwise exactly ACTION and VALUE (a UsageError if not) as
  // `encodeJsonMessage({ action, value })`.
  // TODO(2.3): connect, send it, read the response (`readMessage`; null: the server
  // closed without one), waiting at most --timeout ms (`readWithin` from ../../lib/net.ts:
  // a server that never answers must not keep you waiting forever), and print
  // `Got result: <result>` for JSON, `Got response: …` (`describeMessage`) for anything
  // else; an `error` field in the JSON means the server refused: fail with one line.
  await todo("/lab2/task-2-3#task-2-3", `send ${JSON.stringify(positionals)} to port ${port}`);
});
