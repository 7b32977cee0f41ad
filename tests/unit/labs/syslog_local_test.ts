/**
 * `syslog_sender.ts --local` against a stand-in for systemd-journald's syslog socket
 * (`/run/systemd/journal/dev-log`, where /dev/log points on systemd machines).
 *
 * The test machine may have no syslog daemon, and the test must not write to the real
 * one, so it runs the sender in a private mount namespace with an empty /run, where
 * `local_syslog_receiver.ts` plays journald. That needs root and `unshare`; without them
 * the test is reported as ignored, with a printed SKIPPED line. (Deno refuses to send to
 * /dev/log itself without --allow-all, which lab scripts never get: see the sender.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parseSyslog } from "../../../lib/syslog.ts";
import { REFERENCE_DIR } from "../../harness/checks.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { readRunFlags } from "../../../tools/script/run_flags.ts";
import { startProgram } from "../../../tools/script/process.ts";

const SOCKET = "/run/systemd/journal/dev-log";
const RECEIVER = fileURLToPath(new URL("../../harness/local_syslog_receiver.ts", import.meta.url));

/** Why the test cannot run here, or "" when it can. */
function missing(): string {
  if (!hasProgram("unshare")) return "unshare is not installed";
  if (Deno.uid() !== 0) return "it needs root (to mount a private /run)";
  return "";
}

// The grader imports every file here for its checks, without the permission to read the
// user id (this file has none): only `deno test` decides, and says so.
const underTest = Deno.permissions.querySync({ name: "sys", kind: "uid" }).state === "granted";
const reason = underTest ? missing() : "not run by deno test";
if (underTest && reason) console.log(`SKIPPED: syslog_sender --local test: ${reason}`);

Deno.test({
  name: "[3.6] syslog_sender --local writes BSD-format records to journald's socket",
  ignore: reason !== "",
  async fn() {
    const sender = `${Deno.env.get("LABS_DIR") ?? REFERENCE_DIR}/lab3/syslog_sender.ts`;
    const flags = (await readRunFlags(sender)).join(" ");
    const deno = Deno.execPath();
    const receiverFlags = `--unstable-net --allow-net=unix:${SOCKET} --allow-read=${SOCKET} ` +
      `--allow-write=${SOCKET}`;
    const shell = [
      "set -e",
      "mount -t tmpfs lab3-run /run",
      "mkdir -p /run/systemd/journal",
      `"${deno}" run --no-config ${receiverFlags} "${RECEIVER}" ${SOCKET} 3 &`,
      `i=0; while [ ! -S ${SOCKET} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done`,
      `"${deno}" run --no-config --no-prompt ${flags} "${sender}" --local --level info "player 3 joined"`,
      "wait",
    ].join("\n");
    const run = startProgram("unshare", ["--mount", "--propagation", "private", "sh", "-c", shell]);
    const result = await run.finished(30_000);
    assert.equal(result.code, 0, `the namespace run failed:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /sent 3 messages to \/run\/systemd\/journal\/dev-log/);
    const received = result.stdout.split("\n").filter((line) => line.startsWith('"'))
      .map((line) => parseSyslog(JSON.parse(line)));
    assert.deepEqual(received.map((m) => [m.format, m.severity]), [
      ["bsd", 6],
      ["bsd", 4],
      ["bsd", 3],
    ]);
    assert.deepEqual(received.map((m) => m.appName), ["lab3_game", "lab3_game", "lab3_game"]);
    assert.equal(received[0].message, "player 3 joined");
    assert.match(received[0].procId ?? "", /^\d+$/);
  },
});
