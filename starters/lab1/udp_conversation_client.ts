#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.5 over UDP — interactive client: sends each line you type as one datagram and
 * prints the answer. `close` (or `bye`, or `end`) ends the conversation, and so does the
 * end of the input.
 *
 * STARTER: the command line and the socket are in place (the contract every lab script
 * keeps); each TODO is a step of the task, and the handout explains it: /lab1/task-1-5#task-1-5.
 *
 * Run:   ./mywork/lab1/udp_conversation_client.ts        (type lines; close to end)
 *        printf 'hello\nclose\n' | ./mywork/lab1/udp_conversation_client.ts
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 1.5)
 */
import {
  bindOption,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Interactive UDP client (Task 1.5): sends each line typed and prints the answer.",
  options: {
    ...peerOptions("conversational UDP server", "UDP", "8000"),
    bind: bindOption,
    timeout: { default: "2000", valueName: "MS", description: "how long to wait for an answer" },
  },
});

await runMain(async () => {
  const timeoutMs = parseMilliseconds(values.timeout, "--timeout");
  const server: Deno.NetAddr = {
    transport: "udp",
    hostname: values.host,
    port: parsePort(values.port),
  };
  const socket = listenUdp(values.bind, 0);
  console.log(`Talking to ${formatAddress(server)} from ${formatAddress(socket.addr)}`);
  // TODO(1.5): take turns as the TCP client does, but send each line as one datagram
  // (`sendDatagram`) and wait at most `timeoutMs` for the answer (`receiveWithin` from
  // ../../lib/net.ts gives null on silence: fail with one line then). Print
  // `Received: <answer>`; stop after `closed` or at the end of the input.
  await todo(
    "/lab1/task-1-5#task-1-5",
    `send each line to ${formatAddress(server)} as one datagram; wait ${timeoutMs} ms at most`,
  );
  socket.close();
});
