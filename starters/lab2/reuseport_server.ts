#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1
/**
 * Task 2.5 — every core: an echo server that runs one worker per core, each with its
 * own listening socket on the same port.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab2/task-2-5#task-2-5.
 *
 * Run:   ./mywork/lab2/reuseport_server.ts              (then multiconn_client.ts, or the
 *        ./mywork/lab2/reuseport_server.ts --workers 1   load generator, against both)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 2.5)
 */
import {
  idleTimeoutOption,
  listenOptions,
  parseCommandLine,
  parseCount,
  parseIdleTimeout,
  parsePort,
  runMain,
} from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Echo server on every core (Task 2.5): one worker per core share one port.",
  options: {
    ...listenOptions("TCP", "65432"),
    workers: {
      default: String(navigator.hardwareConcurrency),
      valueName: "N",
      description: "worker threads (default: one per core)",
    },
    ...idleTimeoutOption(),
    quiet: { type: "boolean", description: "do not log every connection" },
  },
});

await runMain(async () => {
  const count = parseCount(values.workers, "--workers", 1, 1024);
  const idleMs = parseIdleTimeout(values["idle-timeout"]);
  const port = parsePort(values.port);
  // TODO(2.5): listen once yourself with `listenTcp(values.host, port, { reusePort: true })`
  // to learn the port (0 = any free one; a port held without reusePort fails here, in
  // one line), and keep that socket until the workers have joined it.
  // TODO(2.5): start `count` Web Workers with `startTcpWorker` (../../lib/net.ts). Each
  // runs a program of its own: one function, handed over as text, that uses only Deno's
  // built-ins and the accept loop and `serveConnection` that startTcpWorker gives it. It
  // listens on the same port with `Deno.listen({ hostname, port, reusePort: true })`,
  // posts "ready", and echoes to the clients it accepts (closing one idle for `idleMs`),
  // logging `worker <n>: accepted connection from <peer>` unless --quiet. Once all are
  // ready, close your own socket and print `listening on <host>:<port> with <count>
  // workers`; on SIGTERM, terminate them.
  await todo(
    "/lab2/task-2-5#task-2-5",
    `share port ${port} among ${count} workers (idle: ${idleMs} ms)`,
  );
});
