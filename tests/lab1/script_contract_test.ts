/**
 * Graded checks of the contract every Lab 1 script keeps: it runs with the
 * least-privilege flags of its first line, answers `--help`, and turns bad flags and
 * network failures into one clear line with a non-zero exit code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Check, defineChecks } from "../harness/checks.ts";
import { assertCleanFailure, assertHasLine } from "../harness/expect.ts";
import { runScript, startServer } from "../harness/process.ts";
import { overlyBroadFlags, readRunFlags } from "../harness/shebang.ts";

/** Lab 1's scripts, the task each belongs to, and whether it is a server. */
const SCRIPTS = [
  { name: "tcp_echo_server.ts", task: "1.1", server: true },
  { name: "tcp_echo_client.ts", task: "1.1", server: false },
  { name: "udp_receiver.ts", task: "1.2", server: true },
  { name: "udp_sender.ts", task: "1.2", server: false },
  { name: "udp_echo_server.ts", task: "1.3", server: true },
  { name: "udp_echo_client.ts", task: "1.3", server: false },
  { name: "binary_server.ts", task: "1.4", server: true },
  { name: "binary_client.ts", task: "1.4", server: false },
];

function flagChecks(name: string, task: string): Check {
  return {
    id: `${task}-contract-${name.replace(".ts", "")}`,
    task,
    title: `${name}: least-privilege first line, --help, bad flags rejected in one line`,
    points: 1,
    hint: "line 1 must be `#!/usr/bin/env -S deno run <flags>` with only the permissions the " +
      "script needs (no -A, network limited to a host); --help prints usage and exits 0; an " +
      "unknown flag or a bad --port prints one line and exits 2",
    async run({ script }) {
      const path = script(name);
      const flags = await readRunFlags(path);
      assert.deepEqual(overlyBroadFlags(flags), [], `line 1 grants too much: ${flags.join(" ")}`);

      const help = await runScript(path, ["--help"]);
      assert.equal(help.code, 0, `--help should exit 0:\n${help.stderr}`);
      assertHasLine(help.stdout, /usage:/i, "--help output");
      assertHasLine(help.stdout, /--port/, "--help output");

      assertCleanFailure(await runScript(path, ["--bogus"]), /--bogus/, 2);
      assertCleanFailure(await runScript(path, ["--port", "99999"]), /--port/, 2);
    },
  };
}

function serverChecks(name: string, task: string): Check {
  return {
    id: `${task}-contract-${name.replace(".ts", "")}-bind`,
    task,
    title: `${name}: explains a port in use and a missing permission in one line`,
    points: 1,
    hint: "catch the error of listen(): say which address is in use and what to do; a missing " +
      "--allow-net permission should also end in one line, not a stack trace",
    async run({ script }) {
      const path = script(name);
      const first = await startServer(path);
      try {
        const second = await runScript(path, ["--port", String(first.port)]);
        assertCleanFailure(second, /in use/i);
      } finally {
        await first.script.stop();
      }
      // Our scripts are allowed 127.0.0.1 only: "localhost" is another name to Deno.
      const denied = await runScript(path, ["--host", "localhost", "--port", "0"]);
      assertCleanFailure(denied, /permission|requires net access|allow-net/i);
    },
  };
}

export const checks = defineChecks(
  1,
  SCRIPTS.flatMap(({ name, task, server }) =>
    server ? [flagChecks(name, task), serverChecks(name, task)] : [flagChecks(name, task)]
  ),
);
