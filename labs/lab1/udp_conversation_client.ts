#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.5 over UDP — interactive client: sends each line you type as one datagram and
 * prints the answer. `close` (or `bye`, or `end`) ends the conversation, and so does the
 * end of the input.
 *
 * Nothing connects: each line travels alone, and nothing tells the client whether the
 * server is there. A lost datagram or a missing server both look like silence, so the
 * client waits at most --timeout ms for each answer.
 *
 * Its socket is bound to 127.0.0.1 unless --bind says otherwise: such a socket reaches
 * only this machine, so a server on another host needs --bind 0.0.0.0.
 *
 * Run: ./labs/lab1/udp_conversation_client.ts        (type lines; close to end)
 *      printf 'hello\nclose\n' | ./labs/lab1/udp_conversation_client.ts
 */
import {
  bindOption,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { previewText, utf8Decode, utf8Encode } from "../../lib/bytes.ts";
import { BufferedReader, writeAll } from "../../lib/framing.ts";
import {
  formatAddress,
  listenUdp,
  NetworkError,
  receiveWithin,
  sendDatagram,
} from "../../lib/net.ts";

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
  const typed = new BufferedReader(Deno.stdin);
  const prompt = Deno.stdin.isTerminal() ? utf8Encode("Enter message: ") : null;

  // #region turns
  while (true) {
    if (prompt) await writeAll(Deno.stdout, prompt);
    const message = await typed.readLine();
    if (message === null) break;
    await sendDatagram(socket, utf8Encode(message), server);
    const reply = await receiveWithin(socket, timeoutMs); // null: silence (the socket closes)
    if (reply === null) {
      throw new NetworkError(`no answer from ${formatAddress(server)} within ${timeoutMs} ms`);
    }
    const answer = utf8Decode(reply[0]);
    if (answer === "closed") break;
    console.log(`Received: ${previewText(answer)}`); // escaped: the server's text, not ours
  }
  // #endregion turns
  socket.close();
  console.log("Conversation over");
});
