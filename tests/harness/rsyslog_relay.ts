/**
 * A real rsyslog, run as a relay for the syslog checks: it receives syslog datagrams on a
 * loopback UDP port of its own and forwards each one to `target` once per template, as a
 * site's central log server would. It runs with a configuration of its own in a temporary
 * directory (no /dev/log, no system log files), so it touches nothing of the machine's.
 *
 * @module
 */
import { type RunningScript, startProgram } from "../../tools/script/process.ts";

/** rsyslog's built-in templates for forwarding, oldest first. */
export const FORWARD_TEMPLATES = [
  "RSYSLOG_TraditionalForwardFormat", // <PRI>Mmm dd hh:mm:ss HOST TAG MSG
  "RSYSLOG_ForwardFormat", // the same with an RFC 3339 timestamp
  "RSYSLOG_SyslogProtocol23Format", // RFC 5424
] as const;

/** A running rsyslogd and the UDP port it receives on. */
export interface RsyslogRelay {
  port: number;
  daemon: RunningScript;
  /** Stops rsyslogd and removes its directory. */
  stop(): Promise<void>;
}

/** A UDP port that was free a moment ago. */
function freeUdpPort(): number {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const { port } = socket.addr as Deno.NetAddr;
  socket.close();
  return port;
}

/** Starts rsyslogd forwarding every message it receives to 127.0.0.1:`target` over UDP. */
export async function startRsyslogRelay(target: number): Promise<RsyslogRelay> {
  const dir = await Deno.makeTempDir({ prefix: "rsyslog-relay-" });
  const port = freeUdpPort();
  const forward = FORWARD_TEMPLATES.map((template) =>
    `*.* action(type="omfwd" target="127.0.0.1" port="${target}" protocol="udp" ` +
    `template="${template}")`
  );
  const config = [
    `global(workDirectory="${dir}")`,
    'module(load="imudp")',
    `input(type="imudp" address="127.0.0.1" port="${port}")`,
    ...forward,
  ].join("\n");
  await Deno.writeTextFile(`${dir}/rsyslog.conf`, config);
  const daemon = startProgram("rsyslogd", [
    "-n", // stay in the foreground, as our child
    "-f",
    `${dir}/rsyslog.conf`,
    "-i",
    `${dir}/rsyslogd.pid`,
  ]);
  return {
    port,
    daemon,
    async stop() {
      await daemon.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
