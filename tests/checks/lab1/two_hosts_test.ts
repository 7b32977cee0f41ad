/**
 * Graded checks for the extra tasks of Lab 1: the conversational server and client of
 * Task 1.5 on two hosts (X1), and the errors that explain ports and bind addresses (X2).
 *
 * X1 builds two hosts from network namespaces (tests/harness/netns.ts): the server runs
 * on 10.0.0.1, the client on 10.0.0.2. The scripts' first lines allow 127.0.0.1 only, so
 * each is run the way the handout tells students to: `deno run` with the flags of line 1
 * plus `--allow-net=<the address it needs>`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { defineChecks } from "../../harness/checks.ts";
import { assertCleanFailure, assertSuccess } from "../../harness/expect.ts";
import { type Host, withTwoHosts } from "../../harness/netns.ts";
import {
  runScript,
  runScriptAsNobody,
  type ScriptResult,
  type StartOptions,
  startServer,
} from "../../../tools/script/process.ts";

const SERVER = "conversation_server.ts";
const CLIENT = "conversation_client.ts";
const UDP_SERVER = "udp_conversation_server.ts";
const UDP_CLIENT = "udp_conversation_client.ts";

/** The documented way to reach beyond 127.0.0.1: one more `--allow-net` for that address. */
function on(host: Host, ...addresses: string[]): StartOptions {
  return { runner: host.runner, extraFlags: addresses.map((address) => `--allow-net=${address}`) };
}

/** Runs a client with a short conversation piped in. */
const converse = (path: string, args: string[], options: StartOptions) =>
  runScript(path, args, 15_000, { ...options, input: "hello from the other side\nclose\n" });

/** "reachable" when the conversation worked, "refused" when the client said so. */
function outcome(result: ScriptResult): "reachable" | "refused" {
  if (result.code === 0) {
    assertSuccess(result);
    assert.match(result.stdout, /Received: accepted/);
    return "reachable";
  }
  assertCleanFailure(result, /refused/i);
  return "refused";
}

export const checks = defineChecks(1, [
  {
    id: "X1-two-hosts",
    task: "X1",
    title: "conversational server on 0.0.0.0 talks to a client on another host",
    points: 2,
    hint: "bind the server to 0.0.0.0 (all interfaces) and give the client the server's " +
      "address with --host; run both with one more --allow-net for the address they use",
    requires: "ip",
    requiresRoot: true,
    async run({ script }) {
      await withTwoHosts(async (serverHost, clientHost) => {
        await using server = await startServer(
          script(SERVER),
          ["--host", "0.0.0.0"],
          on(serverHost, "0.0.0.0"),
        );
        const args = ["--host", serverHost.address, "--port", String(server.port)];
        assertSuccess(await converse(script(CLIENT), args, on(clientHost, serverHost.address)));
        await server.script.waitFor(
          new RegExp(`${clientHost.address.replaceAll(".", "\\.")}:\\d+`),
        );
      });
    },
  },
  {
    id: "X1-bind-addresses",
    task: "X1",
    title: "bound to 127.0.0.1, the host's address or 0.0.0.0: who can connect",
    points: 3,
    hint: "127.0.0.1 accepts only clients on the same host; the host's own address accepts " +
      "clients that use that address (not 127.0.0.1); 0.0.0.0 accepts both",
    requires: "ip",
    requiresRoot: true,
    async run({ script }) {
      await withTwoHosts(async (serverHost, clientHost) => {
        const expected = {
          "127.0.0.1": { sameHost: "reachable", otherHost: "refused" },
          [serverHost.address]: { sameHost: "refused", otherHost: "reachable" },
          "0.0.0.0": { sameHost: "reachable", otherHost: "reachable" },
        };
        // The three servers (each on a port of its own) and both clients of each at once:
        // nine Deno start-ups one after the other took seconds.
        const rows = await Promise.all(
          Object.entries(expected).map(async ([bind, want]) => {
            await using server = await startServer(
              script(SERVER),
              ["--host", bind],
              on(serverHost, bind),
            );
            const port = String(server.port);
            const [sameHost, otherHost] = (await Promise.all([
              converse(script(CLIENT), ["--port", port], on(serverHost)),
              converse(
                script(CLIENT),
                ["--host", serverHost.address, "--port", port],
                on(clientHost, serverHost.address),
              ),
            ])).map(outcome);
            return { bind, want, sameHost, otherHost };
          }),
        );
        console.log(
          rows.map(({ bind, sameHost, otherHost }) =>
            `  bound to ${bind.padEnd(9)}  127.0.0.1 on the same host: ${sameHost.padEnd(9)}  ` +
            `${serverHost.address} from the other host: ${otherHost}`
          ).join("\n"),
        );
        for (const { bind, want, sameHost, otherHost } of rows) {
          assert.deepEqual({ sameHost, otherHost }, want, `server bound to ${bind}`);
        }
      });
    },
  },
  {
    id: "X1-two-hosts-udp",
    task: "X1",
    title: "UDP conversational pair works between two hosts",
    points: 1,
    hint: "bind the UDP server to 0.0.0.0 (and allow it to send to the client's address); a " +
      "socket bound to 127.0.0.1 cannot reach another host: the client takes --bind 0.0.0.0",
    requires: "ip",
    requiresRoot: true,
    async run({ script }) {
      await withTwoHosts(async (serverHost, clientHost) => {
        // Each answer is a send() to the client's address: Deno asks permission for it.
        await using server = await startServer(
          script(UDP_SERVER),
          ["--host", "0.0.0.0"],
          on(serverHost, "0.0.0.0", clientHost.address),
        );
        const to = ["--host", serverHost.address, "--port", String(server.port)];
        const args = [...to, "--bind", "0.0.0.0"];
        const options = on(clientHost, "0.0.0.0", serverHost.address);
        const result = await converse(script(UDP_CLIENT), args, options);
        assertSuccess(result);
        assert.match(result.stdout, /Received: accepted/);
        await server.script.waitFor(
          new RegExp(`${clientHost.address.replaceAll(".", "\\.")}:\\d+`),
        );
      });
    },
  },
  {
    id: "X2-bind-errors",
    task: "X2",
    title: "binding 0.0.0.0 without permission, or an address of another host, is explained",
    points: 1,
    hint: "a missing --allow-net and an address that is not this machine's (AddrNotAvailable) " +
      "each end in one line that says what to do (lib/net.ts listenTcp does this)",
    async run({ script }) {
      const path = script(SERVER);
      const denied = await runScript(path, ["--host", "0.0.0.0", "--port", "0"]);
      assertCleanFailure(denied, /allow-net=0\.0\.0\.0/);
      // 198.51.100.0/24 is reserved for documentation: no machine has such an address.
      const elsewhere = await runScript(path, ["--host", "198.51.100.7", "--port", "0"], 10_000, {
        extraFlags: ["--allow-net=198.51.100.7"],
      });
      assertCleanFailure(elsewhere, /does not belong to this machine/);
    },
  },
  {
    id: "X2-privileged-port",
    task: "X2",
    title: "a port below 1024 is explained to a user who is not root",
    points: 1,
    hint: "catch the permission error of listen() for ports below 1024 and say that the port " +
      "is privileged and what to do (a port from 1024 up)",
    requires: "setpriv",
    async run({ script }) {
      const args = ["--port", "80"];
      // As root, run it as "nobody", who may not bind port 80.
      const result = Deno.uid() === 0
        ? await runScriptAsNobody(script(SERVER), args)
        : await runScript(script(SERVER), args);
      assertCleanFailure(result, /port 80 is privileged \(below 1024\)/);
    },
  },
]);
