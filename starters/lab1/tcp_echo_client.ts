#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 1.1 — TCP echo client: connects, sends a message, prints what comes back.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab1/task-1-1#task-1-1.
 *
 * Run:   ./mywork/lab1/tcp_echo_client.ts "Hello, world"   (with your server running)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.1)
 */
import { parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "TCP echo client (Task 1.1): sends a message and prints the echo.",
  options: peerOptions("echo server", "TCP", "65432"),
  arguments: "[MESSAGE...]",
});
const message = utf8Encode(positionals.length > 0 ? positionals.join(" ") : "Hello, world");

await runMain(async () => {
  const port = parsePort(values.port);
  // TODO(1.1): connect with `connectTcp(values.host, port)` from ../../lib/net.ts (it
  // turns a refused connection into one clear line), send `message` with `writeAll`
  // (../../lib/framing.ts), then `conn.closeWrite()`: you are done sending.
  // TODO(1.1): read until the server closes (one read may hold only part of the echo)
  // and print `Received b'…'`; `previewBytes` (../../lib/bytes.ts) shows bytes that way.
  await todo(
    "/lab1/task-1-1#task-1-1",
    `send ${message.length} bytes to port ${port} and print the echo`,
  );
});
