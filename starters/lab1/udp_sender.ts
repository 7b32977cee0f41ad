#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.2 — UDP sender: sends the message given on the command line as one datagram.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab1/task-1-2#task-1-2.
 *
 * Run:   ./mywork/lab1/udp_sender.ts "This is a test"   (with your receiver running)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.2)
 */
import { bindOption, parseCommandLine, parsePort, peerOptions, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values, positionals } = parseCommandLine({
  summary: "UDP sender (Task 1.2): sends the message given on the command line.",
  options: {
    ...peerOptions("receiver", "UDP", "5005"),
    bind: bindOption,
  },
  arguments: "[MESSAGE...]",
});
const message = positionals.length > 0 ? positionals.join(" ") : "Hello, world!";

await runMain(async () => {
  const receiver: Deno.NetAddr = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  };
  // TODO(1.2): open a socket with `listenUdp(values.bind, 0)` from ../../lib/net.ts (port
  // 0: the system picks the source port), send the UTF-8 bytes of `message` to
  // `receiver` as one datagram (`sendDatagram`), print what was sent, close the socket.
  await todo(
    "/lab1/task-1-2#task-1-2",
    `send "${message}" to port ${receiver.port} as one datagram`,
  );
});
