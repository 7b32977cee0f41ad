/**
 * Graded checks for the optional reliable-UDP task (O2): `reliable_udp_sender.ts` and
 * `reliable_udp_receiver.ts` deliver a file exactly once and in order through the
 * course's impairment proxy (always the reference `udp_impairment_proxy.ts`), and the
 * sender gives up cleanly when nobody acknowledges.
 *
 * The wire format is the student's own: the checks look only at the bytes delivered
 * (the receiver prints the stream's SHA-256) and at how the programs end.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { defineChecks, TOOLS_DIR } from "../../harness/checks.ts";
import { assertCleanFailure, assertHasLine, assertSuccess } from "../../harness/expect.ts";
import { seededBytes, udpSocket } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const SENDER = "reliable_udp_sender.ts";
const RECEIVER = "reliable_udp_receiver.ts";
const PROXY = `${TOOLS_DIR}/impairment/udp_impairment_proxy.ts`;

/** Writes `data` to a temporary file, runs `body` with its path, removes it. */
async function withFile(data: Uint8Array, body: (path: string) => Promise<void>) {
  const path = await Deno.makeTempFile({ prefix: "reliable-udp-", suffix: ".bin" });
  try {
    await Deno.writeFile(path, data);
    await body(path);
  } finally {
    await Deno.remove(path);
  }
}

/**
 * Sends `data` from the sender to the receiver through the proxy impairing both
 * directions with `impairments`, and checks that the receiver reports every byte.
 */
async function deliverThroughProxy(
  script: (name: string) => string,
  data: Uint8Array,
  impairments: string[],
  senderArgs: string[] = [],
): Promise<void> {
  const digest = createHash("sha256").update(data).digest("hex");
  await using receiver = await startServer(script(RECEIVER));
  await using proxy = await startServer(PROXY, ["--to-port", `${receiver.port}`, ...impairments]);
  await withFile(data, async (file) => {
    const args = ["--port", `${proxy.port}`, ...senderArgs, file];
    assertSuccess(await runScript(script(SENDER), args, 90_000));
  });
  await receiver.script.waitFor(new RegExp(`sha256 ${digest}`), 10_000);
  assertHasLine(receiver.script.stdout, new RegExp(`\\b${data.length} bytes\\b`));
}

export const checks = defineChecks(1, [
  {
    id: "O2-reliable-clean",
    task: "O2",
    title: "reliable UDP delivers a 100 KB file intact over a clean path",
    points: 1,
    hint: "sender: `reliable_udp_sender.ts --port P FILE`, exit 0 once everything is " +
      "acknowledged; receiver: print `<N> bytes` and `sha256 <hex>` of the stream when complete",
    async run({ script }) {
      await deliverThroughProxy(script, seededBytes(100_000, 21), []);
    },
  },
  {
    id: "O2-reliable-lossy",
    task: "O2",
    title: "reliable UDP delivers every byte in order at 30% loss with duplicates, " +
      "reordering and corruption",
    points: 3,
    hint: "number the segments, checksum them, acknowledge each one, resend on a timeout, drop " +
      "duplicates and corrupted datagrams, and hold early segments until the gap before them " +
      "fills; acknowledgements are lost too",
    async run({ script }) {
      await deliverThroughProxy(script, seededBytes(300_000, 30), [
        ...["--loss", "30%", "--duplicate", "10%", "--reorder", "10%"],
        ...["--corrupt", "2%", "--jitter", "2", "--seed", "42"],
      ]);
    },
  },
  {
    id: "O2-stop-and-wait",
    task: "O2",
    title: "reliable UDP works as stop-and-wait (--window 1) over a lossy path",
    points: 1,
    hint: "with a window of 1 the sender waits for each acknowledgement before the next segment",
    async run({ script }) {
      const impairments = ["--loss", "10%", "--duplicate", "10%", "--seed", "5"];
      await deliverThroughProxy(script, seededBytes(12_000, 7), impairments, ["--window", "1"]);
    },
  },
  {
    id: "O2-give-up",
    task: "O2",
    title: "reliable UDP sender gives up with one clear line when nobody acknowledges",
    points: 1,
    hint: "count the time without any acknowledgement; after --give-up ms print one line " +
      "saying the receiver does not answer and exit non-zero",
    async run({ script }) {
      const silent = udpSocket(); // takes the datagrams, never answers: a receiver that is gone
      try {
        await withFile(seededBytes(5000, 3), async (file) => {
          const port = `${(silent.addr as Deno.NetAddr).port}`;
          const args = ["--port", port, "--give-up", "1500", file];
          const result = await runScript(script(SENDER), args, 20_000);
          assertCleanFailure(result, /acknowledg|receiver|no answer|gave up|give up/i);
        });
      } finally {
        silent.close();
      }
    },
  },
  {
    id: "O2-receiver-dies",
    task: "O2",
    title: "reliable UDP sender gives up cleanly when the receiver dies halfway through",
    points: 1,
    hint: "keep counting the time since the last new acknowledgement during the whole transfer, " +
      "not only at its start; end with one line and a non-zero exit",
    async run({ script }) {
      await using receiver = await startServer(script(RECEIVER));
      // 10 ms each way and a window of 4: the 2 MB take about 8 s, time enough to kill it.
      await using proxy = await startServer(PROXY, [
        "--to-port",
        `${receiver.port}`,
        "--delay",
        "10",
      ]);
      await withFile(seededBytes(2_000_000, 4), async (file) => {
        const args = ["--port", `${proxy.port}`, "--window", "4", "--give-up", "1500", file];
        const sending = runScript(script(SENDER), args, 30_000);
        // Under way once the receiver says so (ours prints "started"), or after 4 s; a
        // sender that has ended already has no transfer left to interrupt.
        await Promise.race([
          receiver.script.waitFor(/start/i, 4000).catch(() => {}),
          sending.catch(() => {}),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await receiver.script.stop("SIGKILL");
        const result = await sending;
        assertCleanFailure(result, /acknowledg|receiver|no answer|gave up|give up/i);
      });
    },
  },
]);
