/**
 * Two hosts on one machine: two Linux network namespaces joined by a veth pair (a
 * virtual cable), for checks that need a real "other machine". Creating them needs root
 * and the `ip` program (iproute2); checks that use them say so with `requiresRoot` and
 * `requires: "ip"`.
 *
 * Each pair gets random names, so parallel runs never collide, and its addresses
 * (10.0.0.1 and 10.0.0.2) exist only inside its own namespaces. Deleting a namespace
 * deletes its end of the cable too: {@linkcode withTwoHosts} always does, even when the
 * check fails.
 *
 * @module
 */

/** One of the two hosts: its namespace and its address on the shared link. */
export interface Host {
  /** The network namespace's name. */
  namespace: string;
  /** Its IPv4 address on the link (the other host's is in the same /24). */
  address: string;
  /** The command prefix that runs a program on this host (for `StartOptions.runner`). */
  runner: string[];
}

async function ip(...args: string[]): Promise<void> {
  const { success, stderr } = await new Deno.Command("ip", {
    args,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!success) {
    throw new Error(`ip ${args.join(" ")} failed: ${new TextDecoder().decode(stderr).trim()}`);
  }
}

function host(namespace: string, address: string): Host {
  return { namespace, address, runner: ["ip", "netns", "exec", namespace] };
}

/**
 * Creates two hosts, a server side and a client side, runs `use` with them, and deletes
 * them afterwards whatever happens.
 */
export async function withTwoHosts<T>(
  use: (server: Host, client: Host) => Promise<T>,
): Promise<T> {
  const id = crypto.randomUUID().slice(0, 8);
  const server = host(`lab-${id}-server`, "10.0.0.1");
  const client = host(`lab-${id}-client`, "10.0.0.2");
  const created: string[] = [];
  try {
    for (const { namespace } of [server, client]) {
      await ip("netns", "add", namespace);
      created.push(namespace);
    }
    // Interface names have at most 15 characters; both ends are born inside their namespace.
    const [serverEnd, clientEnd] = [`v${id}s`, `v${id}c`];
    await ip(
      "link",
      "add",
      serverEnd,
      "netns",
      server.namespace,
      "type",
      "veth",
      "peer",
      "name",
      clientEnd,
      "netns",
      client.namespace,
    );
    for (
      const [{ namespace, address }, end] of [[server, serverEnd], [client, clientEnd]] as const
    ) {
      await ip("-n", namespace, "addr", "add", `${address}/24`, "dev", end);
      await ip("-n", namespace, "link", "set", "lo", "up");
      await ip("-n", namespace, "link", "set", end, "up");
    }
    return await use(server, client);
  } finally {
    for (const namespace of created) await ip("netns", "del", namespace).catch(() => {});
  }
}
