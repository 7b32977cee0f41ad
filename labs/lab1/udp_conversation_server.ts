#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 1.5 over UDP — conversational server: answers every datagram with `accepted`,
 * or `closed` when it says `close` (or `bye`, or `end`).
 *
 * Without connections there is no accept() and no "client left": one socket receives
 * datagrams from everybody, each with its sender's address. To know who it is talking
 * to, the server keeps a table of its own, keyed by address, and must guess when a
 * silent client has gone (here: after --idle milliseconds without a datagram). Anybody can
 * send from any number of addresses, so the table is capped too: when it is full, the
 * client heard from longest ago is forgotten to make room.
 *
 * Run: ./labs/lab1/udp_conversation_server.ts   (then udp_conversation_client.ts)
 */
import {
  describeError,
  exitOnSignal,
  listenOptions,
  parseCommandLine,
  parseMilliseconds,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { previewText, utf8Decode, utf8Encode } from "../../lib/bytes.ts";
import { formatAddress, listenUdp } from "../../lib/net.ts";

const { values } = parseCommandLine({
  summary: "Conversational UDP server (Task 1.5): answers each datagram until close.",
  options: {
    ...listenOptions("UDP", "8000"),
    idle: { default: "60000", valueName: "MS", description: "forget a client silent this long" },
  },
});

/** Words that end a conversation, in any case. */
const FAREWELLS = new Set(["close", "bye", "end"]);
/** Conversations remembered at most. */
const MAX_CLIENTS = 10_000;

await runMain(async () => {
  const idleMs = parseMilliseconds(values.idle, "--idle");
  const socket = listenUdp(values.host, parsePort(values.port));
  exitOnSignal(() => socket.close());
  console.log(`listening on ${formatAddress(socket.addr)}`);

  // #region table
  /** When each client was last heard from; a Map keeps insertion order, oldest first. */
  const lastHeard = new Map<string, number>();
  function forgetSilentClients(now: number): void {
    for (const [peer, heard] of lastHeard) {
      // The rest were heard from more recently; a full table forgets the oldest anyway.
      if (now - heard < idleMs && lastHeard.size < MAX_CLIENTS) break;
      lastHeard.delete(peer);
      console.log(
        `Forgot ${peer}: silent for ${now - heard} ms (conversations: ${lastHeard.size})`,
      );
    }
  }
  // #endregion table

  // #region datagrams
  for await (const [data, sender] of socket) {
    const peer = formatAddress(sender);
    const now = Date.now();
    forgetSilentClients(now);
    const known = lastHeard.delete(peer); // re-inserted below, as the newest
    lastHeard.set(peer, now);
    if (!known) console.log(`New client ${peer} (conversations: ${lastHeard.size})`);

    const message = utf8Decode(data).replace(/\r?\n$/, "");
    const word = message.trim().toLowerCase();
    let answer = "accepted";
    if (FAREWELLS.has(word)) {
      answer = "closed";
      lastHeard.delete(peer);
      console.log(`Conversation with ${peer} ended: it said ${word}`);
    } else console.log(`Received from ${peer}: ${previewText(message)}`);
    // A failed answer concerns one client only: report it and keep serving.
    await socket.send(utf8Encode(answer), sender).catch((error) =>
      console.error(`${peer}: ${describeError(error)}`)
    );
  }
  // #endregion datagrams
});
