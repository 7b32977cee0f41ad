#!/usr/bin/env -S deno run --allow-net=127.0.0.1
/**
 * Task 2.1 — load generator: opens --connections connections to an echo server and holds
 * them all while each makes a round trip every --interval ms, --rounds times. It reports
 * the connections held and the round-trip times at that load (p50, p99).
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab2/task-2-1#task-2-1.
 *
 * Run:   ./mywork/lab2/multiconn_server.ts --quiet       (prints connections and memory)
 *        ./mywork/lab2/load_generator.ts --connections 10000     (in a second terminal)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.1)
 */
import {
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  peerOptions,
  runMain,
} from "../../lib/cli.ts";
import { utf8Encode } from "../../lib/bytes.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Load generator (Task 2.1): holds N connections and times round trips on all.",
  options: {
    ...peerOptions("echo server", "TCP", "65432"),
    connections: { default: "10000", valueName: "N", description: "connections to hold" },
    rounds: { default: "5", valueName: "R", description: "round trips per connection" },
    interval: { default: "1000", valueName: "MS", description: "time between two trips" },
  },
});
const MESSAGE = utf8Encode("32 bytes from a load generator.\n");

await runMain(async () => {
  const count = parseCount(values.connections, "--connections");
  const rounds = parseCount(values.rounds, "--rounds");
  const interval = values.interval === "0" ? 0 : parseMilliseconds(values.interval, "--interval");
  const port = parsePort(values.port);
  // TODO(2.1): open the connections, a few hundred attempts at a time (the server's
  // accept queue holds no more), each proven by a first round trip: send MESSAGE, read
  // back exactly as many bytes (`readExact`), compare. Stop opening at the first
  // failure and say why, in one line.
  // TODO(2.1): then every connection makes `rounds` round trips, one every `interval` ms
  // from a random start; time each (`performance.now()`), and print how many round trips
  // in how long, with p50, p99 and max, e.g. `... p50 0.21 ms, p99 1.30 ms, max 2.02 ms`.
  await todo(
    "/lab2/task-2-1#task-2-1",
    `hold ${count} connections to port ${port}: ${rounds} round trips of ${MESSAGE.length} ` +
      `bytes each, every ${interval} ms`,
  );
});
