/**
 * What Lab 3's checks need beyond the shared harness: running a script on binary stdin
 * and stdout (compression), and collecting a known number of datagrams (syslog).
 *
 * @module
 */
import { sandboxCommand, sandboxEnv } from "../../tools/script/sandbox.ts";

/** A finished script whose stdout is kept as bytes. */
export interface BinaryResult {
  code: number;
  stdout: Uint8Array;
  stderr: string;
}

/**
 * Runs `scriptPath` in the course's sandbox, `input` on stdin, and returns its
 * stdout as bytes; kills it and fails after `timeoutMs`.
 */
export async function runWithBytes(
  scriptPath: string,
  args: string[],
  input: Uint8Array,
  timeoutMs = 20_000,
): Promise<BinaryResult> {
  const [command, ...commandArgs] = await sandboxCommand(scriptPath, args);
  const child = new Deno.Command(command, {
    args: commandArgs,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: sandboxEnv(),
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const writer = child.stdin.getWriter();
    // The script may exit before reading everything (a usage error): that is its answer.
    await writer.write(input).catch(() => {});
    await writer.close().catch(() => {});
    const { code, stdout, stderr } = await child.output();
    return { code, stdout, stderr: new TextDecoder().decode(stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Receives datagrams on `socket` until `count` arrived or `timeoutMs` passed, then closes
 * the socket and returns what arrived, in order.
 */
export async function collectDatagrams(
  socket: Deno.DatagramConn,
  count: number,
  timeoutMs = 10_000,
): Promise<Uint8Array[]> {
  const received: Uint8Array[] = [];
  const deadline = Date.now() + timeoutMs;
  let pending: Promise<[Uint8Array, Deno.Addr]> | undefined;
  try {
    while (received.length < count) {
      pending ??= socket.receive();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<"expired">((resolve) => {
        timer = setTimeout(() => resolve("expired"), Math.max(0, deadline - Date.now()));
      });
      const outcome = await Promise.race([pending, expired]);
      clearTimeout(timer);
      if (outcome === "expired") break;
      received.push(outcome[0]);
      pending = undefined;
    }
  } finally {
    socket.close();
    await pending?.catch(() => {}); // closing the socket ends the receive that was waiting
  }
  return received;
}
