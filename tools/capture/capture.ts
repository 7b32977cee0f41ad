#!/usr/bin/env -S deno run --quiet --allow-run=tcpdump,deno --allow-sys=uid --allow-read
/**
 * Deliverable 1 — capture helper: records the traffic of some ports on `lo` into a pcap
 * file with `tcpdump` while a client runs, then stops tcpdump cleanly, so the file holds
 * every packet, the last FIN included. `traffic_report.ts` and Wireshark read the file.
 *
 * The command after `--` is a lab script (run with the flags of its first line, as
 * `deno run` would) or a `deno …` command. With no command it captures until Ctrl-C,
 * while you run clients in another terminal. The servers are yours to start first.
 *
 * Capturing needs root (or a tcpdump given the capture capability): run it with sudo.
 * Without tcpdump, or without the right to capture, it says so in one line.
 *
 * Run: sudo deno task capture --port 50000 --out tcp.pcap -- labs/lab1/sensor_client_tcp.ts --count 5
 *      sudo ./tools/capture/capture.ts --port 65432 --out echo.pcap   (then run a client; Ctrl-C)
 */
import { parseCommandLine, parseMilliseconds, parsePort, runMain } from "../../lib/cli.ts";
import { isRoot } from "../script/host.ts";
import { shellLine } from "../script/run_flags.ts";
import { commandLine, runCommand, Tcpdump } from "./capture_processes.ts";

const { values, positionals } = parseCommandLine({
  summary: "Capture helper (Deliverable 1): records lo traffic of some ports with tcpdump " +
    "while a command runs.",
  options: {
    port: {
      default: "50000",
      valueName: "PORTS",
      description: "TCP and UDP ports to record, comma-separated",
    },
    out: { default: "capture.pcap", valueName: "FILE", description: "pcap file to write" },
    interface: { default: "lo", valueName: "IF", description: "interface to capture on" },
    linger: {
      default: "300",
      valueName: "MS",
      description: "how long to keep capturing after the command ends (its last packets)",
    },
  },
  arguments: "[-- SCRIPT.ts|deno ARGS...]",
});

await runMain(async () => {
  const ports = values.port.split(",").map((word) => parsePort(word.trim()));
  const linger = parseMilliseconds(values.linger, "--linger");
  const command = positionals.length > 0 ? await commandLine(positionals) : null;
  const filter = ports.map((port) => `port ${port}`).join(" or ");
  const where = `${values.interface} (${ports.length > 1 ? "ports" : "port"} ${ports.join(", ")})`;

  // -U and --immediate-mode: every packet reaches the file at once, none waits in a buffer
  // when we stop. As root, tcpdump would switch to the "tcpdump" user before opening the
  // file; -Z root keeps it able to write wherever we may.
  const tcpdump = new Tcpdump([
    "-i",
    values.interface,
    "-n",
    "-U",
    "--immediate-mode",
    "-w",
    values.out,
    ...(isRoot() ? ["-Z", "root"] : []),
    filter,
  ]);
  await tcpdump.listening();

  // Ctrl-C or a SIGTERM stops the capture cleanly, with the command if one is running.
  const interrupted = new Promise<"interrupted">((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => resolve("interrupted"));
    }
  });
  let failure: string | null = null;
  if (command === null) {
    console.log(`capturing on ${where} into ${values.out}: press Ctrl-C to stop`);
    await interrupted;
  } else {
    console.log(
      `capturing on ${where} into ${values.out} while running: ${shellLine(command)}`,
    );
    const outcome = await runCommand(command, interrupted);
    if (outcome !== "interrupted" && outcome.code !== 0) {
      failure = `the command exited with code ${outcome.code}`;
    }
    await new Promise((resolve) => setTimeout(resolve, linger)); // its last FIN and ACK
  }
  await tcpdump.stop();
  const count = tcpdump.stderr.match(/(\d+) packets? captured/)?.[1] ?? "?";
  console.log(`captured ${count} packets into ${values.out}`);
  if (failure) throw new Error(`${failure} (the capture is saved in ${values.out})`);
  Deno.exit(0); // the signal listeners would keep us running
});
