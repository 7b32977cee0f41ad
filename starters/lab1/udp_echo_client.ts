#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.3 — UDP echo client: sends one datagram and waits for the echo.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab1/task-1-3#task-1-3.
 *
 * Run:   ./mywork/lab1/udp_echo_client.ts "Hello, UDP"   (with your UDP echo server running)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.3)
 */
import {
  bindOption,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { formatAddress } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "UDP echo client (Task 1.3): sends a datagram and prints the echo.",
  options: {
    ...peerOptions("UDP echo server", "UDP", "65432"),
    bind: bindOption,
    timeout: { default: "2000", valueName: "MS", description: "how long to wait for the echo" },
  },
  arguments: "[MESSAGE...]",
});
const message = utf8Encode(positionals.length > 0 ? positionals.join(" ") : "Hello, world");

await runMain(async () => {
  const server: Deno.NetAddr = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  };
  const timeout = parseMilliseconds(values.timeout, "--timeout");
  // TODO(1.3): open a socket (`listenUdp(values.bind, 0)`), send `message` to `server`
  // (`sendDatagram`), and wait for the reply at most `timeout` ms: `receiveWithin` from
  // ../../lib/net.ts gives null after that. Print `Received b'…'` (`previewBytes`), or
  // fail with one line saying that no reply came in time: UDP never says why.
  await todo(
    "/lab1/task-1-3#task-1-3",
    `send ${message.length} bytes to ${formatAddress(server)}, wait ${timeout} ms for the echo`,
  );
});
