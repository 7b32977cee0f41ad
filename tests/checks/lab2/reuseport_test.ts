/**
 * Graded checks for Task 2.5: `reuseport_server.ts` runs one worker per core, each
 * listening on the same port, and every worker serves a share of the clients. Its speed
 * against one thread is a measurement (bench/lab2_load.ts), not a check.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readExact } from "../../../lib/framing.ts";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertRanUntilStopped, assertSuccess } from "../../harness/expect.ts";
import { seededBytes, within, writePieces } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SERVER = "reuseport_server.ts";

/** Opens `count` connections at once and checks each one's echo. */
async function echoOnMany(port: number, count: number): Promise<void> {
  const conns = await Promise.all(
    Array.from({ length: count }, () => Deno.connect({ hostname: "127.0.0.1", port })),
  );
  try {
    await Promise.all(conns.map(async (conn, i) => {
      const data = seededBytes(2000, i + 1);
      const echo = readExact(conn, data.length);
      echo.catch(() => {}); // reported through `within`; closing the socket ends it
      await writePieces(conn, [data]);
      assert.deepEqual(await within(echo, 15_000, `echo on connection ${i}`), data);
    }));
  } finally {
    conns.forEach((conn) => conn.close());
  }
}

/** The worker names that logged an accepted connection (`worker 2: accepted …`). */
function workersThatAccepted(stdout: string): Set<string> {
  return new Set([...stdout.matchAll(/^(worker \d+)\b.*accept/gim)].map((match) => match[1]));
}

export const checks = defineChecks(2, [
  {
    id: "2.5-workers-share",
    task: "2.5",
    title: "every-core server: each of 3 workers accepts and echoes a share of 60 clients",
    points: 3,
    hint: "start --workers workers; each listens with reusePort: true on the same port and " +
      "logs `worker N: accepted connection from …`; the kernel spreads the connections",
    async run({ script }) {
      const server = await startServer(script(SERVER), ["--workers", "3"]);
      try {
        assert.match(server.script.stdout, /3 workers/, "say how many workers listen");
        await echoOnMany(server.port, 60);
        await server.script.waitFor(/^worker \d+\b.*accept/im);
        const deadline = Date.now() + 5000;
        while (workersThatAccepted(server.script.stdout).size < 3 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const workers = workersThatAccepted(server.script.stdout);
        assert.deepEqual([...workers].sort(), ["worker 1", "worker 2", "worker 3"]);
      } finally {
        assertRanUntilStopped(await server.script.stop());
      }
    },
  },
  {
    id: "2.5-one-per-core",
    task: "2.5",
    title: "every-core server starts one worker per core by default and exits cleanly",
    points: 1,
    hint: "default --workers to navigator.hardwareConcurrency; on SIGTERM, end the workers " +
      "and exit 0",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      try {
        const cores = navigator.hardwareConcurrency;
        assert.match(server.script.stdout, new RegExp(`\\b${cores} workers?\\b`));
        await echoOnMany(server.port, 10);
      } finally {
        assertSuccess(await server.script.stop("SIGTERM"));
      }
    },
  },
  {
    id: "2.5-port-taken",
    task: "2.5",
    title: "every-core server explains a port held by a program without reusePort",
    points: 1,
    hint: "reusePort only shares a port among sockets that all ask for it: report the " +
      "AddrInUse error of the first listen in one line",
    async run({ script }) {
      const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      try {
        const result = await runScript(script(SERVER), ["--port", String(holder.addr.port)]);
        assertCleanFailure(result, /in use/i);
      } finally {
        holder.close();
      }
    },
  },
]);
