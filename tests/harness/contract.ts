/**
 * The contract every lab script keeps, as graded checks: its first line asks for exactly
 * the permissions its task needs (the reference script's), it answers `--help`, and it
 * turns bad flags and network failures into one clear line with a non-zero exit code. Each lab lists its scripts in its own
 * `script_contract_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Check } from "./checks.ts";
import { assertCleanFailure, assertHasLine } from "./expect.ts";
import { runScript, startServer } from "../../tools/script/process.ts";
import { flagsBeyond, flagsMissing, readRunFlags } from "../../tools/script/run_flags.ts";
import { courseRunFlags } from "../../tools/script/sandbox.ts";

/** A lab script whose contract is graded. */
export interface ContractScript {
  /** File name in the lab's folder, e.g. `tcp_echo_server.ts`. */
  name: string;
  /** The task it belongs to. */
  task: string;
  /** A server: it must also explain a port in use and a missing permission. */
  server?: boolean;
  /** Whether it takes `--port` (default true; false for a script that uses no network). */
  network?: boolean;
}

function flagChecks({ name, task, network = true }: ContractScript): Check {
  return {
    id: `${task}-contract-${name.replace(".ts", "")}`,
    task,
    kind: "contract",
    title: `${name}: least-privilege first line, --help, bad flags rejected in one line`,
    points: 1,
    hint: "line 1 must be `#!/usr/bin/env -S deno run <flags>` with the permissions the " +
      "task needs and no more (no -A; no write, run, env, sys or ffi it does not need; network " +
      "limited to a host); --help prints usage and exits 0; an " +
      "unknown flag or a bad --port prints one line and exits 2",
    async run({ script }) {
      const path = script(name);
      // Graded or not, the script runs with the course's flags; its own line 1 is judged here.
      const flags = await readRunFlags(path);
      const declared = await courseRunFlags(path);
      const beyond = flagsBeyond(flags, declared);
      const missing = flagsMissing(flags, declared);
      const course = `the task needs only ${declared.join(" ") || "no permission"}`;
      assert.ok(beyond.length === 0, `line 1 grants too much: ${beyond.join(" ")} (${course})`);
      assert.ok(
        missing.length === 0,
        `line 1 lacks ${missing.join(" ")}: run as its first line says, it fails (${course})`,
      );

      // Three runs of the script that do not depend on each other: at the same time.
      const [help, bogus, badPort] = await Promise.all([
        runScript(path, ["--help"]),
        runScript(path, ["--bogus"]),
        network ? runScript(path, ["--port", "99999"]) : undefined,
      ]);
      assert.equal(help.code, 0, `--help should exit 0:\n${help.stderr}`);
      assertHasLine(help.stdout, /usage:/i, "--help output");
      if (network) assertHasLine(help.stdout, /--port/, "--help output");

      assertCleanFailure(bogus, /--bogus/, 2);
      if (badPort) assertCleanFailure(badPort, /--port/, 2);
    },
  };
}

function serverChecks({ name, task }: ContractScript): Check {
  return {
    id: `${task}-contract-${name.replace(".ts", "")}-bind`,
    task,
    kind: "contract",
    title: `${name}: explains a port in use and a missing permission in one line`,
    points: 1,
    hint: "catch the error of listen(): say which address is in use and what to do; a missing " +
      "--allow-net permission should also end in one line, not a stack trace",
    async run({ script }) {
      const path = script(name);
      const inUse = async () => {
        await using first = await startServer(path);
        return await runScript(path, ["--port", String(first.port)]);
      };
      // Our scripts are allowed 127.0.0.1 only: "localhost" is another name to Deno.
      const [second, denied] = await Promise.all([
        inUse(),
        runScript(path, ["--host", "localhost", "--port", "0"]),
      ]);
      assertCleanFailure(second, /in use/i);
      assertCleanFailure(denied, /permission|requires net access|allow-net/i);
    },
  };
}

/** The contract checks of `scripts`: flags for each, binding errors for servers. */
export function scriptContractChecks(scripts: ContractScript[]): Check[] {
  return scripts.flatMap((entry) =>
    entry.server ? [flagChecks(entry), serverChecks(entry)] : [flagChecks(entry)]
  );
}
