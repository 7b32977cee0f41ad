/**
 * Goodput and bytes on the wire of the reliable-UDP task, measured on a real run: the
 * same seeded file goes from `reliable_udp_sender.ts` to `reliable_udp_receiver.ts`
 * through `udp_impairment_proxy.ts` at 0%, 5% and 30% loss (each way), and with 5 ms of
 * delay each way, with a window of 64 and as stop-and-wait, and over one TCP connection
 * on loopback (TCP cannot be impaired by a UDP proxy, so it runs clean).
 *
 * Bytes on the wire are what the two ends emit, IP headers included: counted in a
 * tcpdump capture (as root) read with `tools/traffic/pcap.ts` and `tools/traffic/packet.ts`, or, without one, from
 * the proxy's counters plus 28 bytes of IPv4 and UDP header per datagram (TCP's are
 * then unknown). Goodput is the file's size over the sender's transfer time.
 *
 * Writes the table (Markdown) in English and Spanish to `site/public/reliable-udp.md`
 * and `site/public/es/reliable-udp.md`, which the Lab 1 pages include, and prints it.
 * Regenerate with `deno task reliable-udp-report` (as root, to capture).
 *
 * @module
 */
import { parseCommandLine, parseCount, runMain } from "../../lib/cli.ts";
import { decodePacket } from "../traffic/packet.ts";
import { readPcap } from "../traffic/pcap.ts";
import { hasProgram, isRoot } from "../script/host.ts";
import { SeededRandom } from "../../lib/random.ts";
import { runScript, startServer } from "../script/process.ts";

const { values } = parseCommandLine({
  summary: "Reliable UDP vs TCP: goodput and bytes on the wire, written to site/public.",
  options: {
    size: { default: "1048576", valueName: "BYTES", description: "size of the file sent" },
    runs: { default: "3", valueName: "N", description: "runs of each case (the median is kept)" },
    "no-capture": { type: "boolean", description: "count bytes at the proxy, not in a capture" },
  },
});

const labs = new URL("../../labs/lab1/", import.meta.url).pathname;
const OUTPUT = new URL("../../site/public/", import.meta.url).pathname;
const IP_UDP_HEADERS = 28;

/** One measured transfer. */
interface Measurement {
  seconds: number;
  packets: number | null;
  wireBytes: number | null;
}

/** One row of the table. */
interface Case {
  en: string;
  es: string;
  /** The loss rate of the path, and any delay added to it. */
  path: string;
  run: (file: string, data: Uint8Array) => Promise<Measurement>;
}

const capturing = !values["no-capture"] && hasProgram("tcpdump") && isRoot();

/** A tcpdump capture in progress: its file and the process. */
interface Capture {
  file: string;
  tcpdump: Deno.ChildProcess;
  stderr: Promise<string>;
}

/**
 * Starts tcpdump on `ports` of lo, or nothing when not capturing. Not `capture.ts`: a
 * window of 64 datagrams arrives in bursts that overflow tcpdump's default kernel buffer,
 * so this one asks for 32 MiB (-B) and keeps only the headers (-s 96), which is all the
 * counting needs; it says how many packets the kernel dropped, and we check that.
 */
async function startCapture(ports: number[]): Promise<Capture | null> {
  if (!capturing) return null;
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  const filter = ports.map((port) => `port ${port}`).join(" or ");
  const tcpdump = new Deno.Command("tcpdump", {
    args: [
      "-i",
      "lo",
      "-n",
      "-s",
      "96",
      "-B",
      "32768",
      "-U",
      "--immediate-mode",
      "-w",
      file,
      "-Z",
      "root",
      filter,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = tcpdump.stderr.pipeThrough(new TextDecoderStream()).values();
  let stderr = "";
  while (!stderr.includes("listening on")) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`tcpdump did not start: ${stderr}`);
    stderr += value;
  }
  const rest = (async () => {
    for await (const text of lines) stderr += text;
    return stderr;
  })();
  return { file, tcpdump, stderr: rest };
}

/** Stops the capture and sums the IP packets `counted` selects. */
async function finishCapture(
  capture: Capture,
  counted: (source: number, destination: number) => boolean,
): Promise<{ packets: number; wireBytes: number }> {
  await new Promise((resolve) => setTimeout(resolve, 300)); // the last packets reach the file
  capture.tcpdump.kill("SIGINT");
  await capture.tcpdump.status;
  const dropped = Number((await capture.stderr).match(/(\d+) packets? dropped by kernel/)?.[1]);
  if (dropped !== 0) throw new Error(`tcpdump lost ${dropped} packets: the counts would be wrong`);
  const { header, records } = readPcap(await Deno.readFile(capture.file));
  await Deno.remove(capture.file);
  let packets = 0;
  let wireBytes = 0;
  for (const record of records) {
    const packet = decodePacket(header.linkType, record.data, record.originalLength);
    const ports = packet.udp ?? packet.tcp;
    if (!packet.ip || !ports || !counted(ports.sourcePort, ports.destinationPort)) continue;
    packets++;
    wireBytes += packet.ip.totalLength;
  }
  return { packets, wireBytes };
}

/** The reliable-UDP sender through the proxy with `proxyArgs`. */
function reliableUdp(window: number, proxyArgs: string[]): Case["run"] {
  return async (file, data) => {
    const receiver = await startServer(`${labs}reliable_udp_receiver.ts`);
    const proxy = await startServer(`${labs}udp_impairment_proxy.ts`, [
      ...["--to-port", `${receiver.port}`, "--seed", "7", ...proxyArgs],
    ]);
    // Counted: what the sender sends to the proxy, and what the receiver sends back.
    const capture = await startCapture([proxy.port, receiver.port]);
    try {
      const sent = await runScript(`${labs}reliable_udp_sender.ts`, [
        ...["--port", `${proxy.port}`, "--window", `${window}`, file],
      ], 600_000);
      if (sent.code !== 0) throw new Error(`the sender failed:\n${sent.stderr}`);
      await receiver.script.waitFor(/complete, (\d+) bytes/);
      if (!receiver.script.stdout.includes(`complete, ${data.length} bytes`)) {
        throw new Error(`the receiver got something else:\n${receiver.script.stdout}`);
      }
      const seconds = Number(sent.stdout.match(/in ([\d.]+) s/)![1]);
      if (capture) {
        const counts = await finishCapture(
          capture,
          (source, destination) => destination === proxy.port || source === receiver.port,
        );
        return { seconds, ...counts };
      }
      const report = (await proxy.script.stop()).stdout;
      const totals = [...report.matchAll(/(\d+) datagrams \((\d+) bytes\) in/g)];
      const packets = totals.reduce((sum, [, count]) => sum + Number(count), 0);
      const payload = totals.reduce((sum, [, , bytes]) => sum + Number(bytes), 0);
      return { seconds, packets, wireBytes: payload + IP_UDP_HEADERS * packets };
    } finally {
      stopQuietly(capture);
      await proxy.script.stop();
      await receiver.script.stop();
    }
  };
}

/** The same file over one TCP connection: connect, write it all, the peer reads to the end. */
async function tcp(_file: string, data: Uint8Array): Promise<Measurement> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const capture = await startCapture([port]);
  try {
    const started = performance.now();
    const receiving = (async () => {
      const conn = await listener.accept();
      let received = 0;
      for await (const chunk of conn.readable) received += chunk.length;
      return received;
    })();
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    for (let sent = 0; sent < data.length;) sent += await conn.write(data.subarray(sent));
    await conn.closeWrite();
    const received = await receiving;
    const seconds = (performance.now() - started) / 1000;
    conn.close();
    if (received !== data.length) throw new Error(`TCP delivered ${received} bytes`);
    if (!capture) return { seconds, packets: null, wireBytes: null };
    return { seconds, ...await finishCapture(capture, () => true) };
  } finally {
    stopQuietly(capture);
    listener.close();
  }
}

/** Ends a capture that a failure left running. */
function stopQuietly(capture: Capture | null): void {
  try {
    capture?.tcpdump.kill("SIGINT");
  } catch { /* it had ended */ }
}

const windowed = { en: "reliable UDP, window 64", es: "UDP fiable, ventana 64" };
const stopAndWait = { en: "reliable UDP, stop-and-wait", es: "UDP fiable, parada y espera" };
const CASES: Case[] = [
  { en: "TCP (loopback, no proxy)", es: "TCP (loopback, sin proxy)", path: "0%", run: tcp },
  ...["0%", "5%", "30%"].map((loss) => ({
    ...windowed,
    path: loss,
    run: reliableUdp(64, ["--loss", loss]),
  })),
  ...["0%", "5%"].map((loss) => ({
    ...stopAndWait,
    path: loss,
    run: reliableUdp(1, ["--loss", loss]),
  })),
  // A longer round trip (5 ms each way) is where a window pays off even without loss.
  { ...windowed, path: "0%, +5 ms", run: reliableUdp(64, ["--delay", "5"]) },
  { ...stopAndWait, path: "0%, +5 ms", run: reliableUdp(1, ["--delay", "5"]) },
];

function median(measurements: Measurement[]): Measurement {
  const sorted = measurements.toSorted((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)];
}

function table(rows: { c: Case; m: Measurement }[], size: number, language: "en" | "es"): string {
  const number = (n: number, digits = 0) =>
    n.toLocaleString(language === "en" ? "en-US" : "es-ES", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const head = language === "en"
    ? [
      "Transfer",
      "Path",
      "Time (s)",
      "Goodput (KiB/s)",
      "Packets",
      "Bytes on the wire",
      "Wire / file",
    ]
    : [
      "Transferencia",
      "Camino",
      "Tiempo (s)",
      "Goodput (KiB/s)",
      "Paquetes",
      "Bytes en la red",
      "Red / fichero",
    ];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const { c, m } of rows) {
    const unknown = language === "en" ? "not captured" : "sin captura";
    lines.push(`| ${
      [
        c[language],
        c.path,
        number(m.seconds, 3),
        number(size / 1024 / m.seconds, 0),
        m.packets === null ? unknown : number(m.packets),
        m.wireBytes === null ? unknown : number(m.wireBytes),
        m.wireBytes === null ? "" : number(m.wireBytes / size, 3),
      ].join(" | ")
    } |`);
  }
  return lines.join("\n") + "\n";
}

await runMain(async () => {
  const size = parseCount(values.size, "--size");
  const runs = parseCount(values.runs, "--runs");
  const data = new SeededRandom(2024).bytes(size);
  const file = await Deno.makeTempFile({ suffix: ".bin" });
  await Deno.writeFile(file, data);
  console.log(
    `${size} bytes, ${runs} run(s) per case; bytes on the wire ${
      capturing ? "from tcpdump captures" : "from the proxy's counters (no capture)"
    }`,
  );
  const rows: { c: Case; m: Measurement }[] = [];
  try {
    for (const c of CASES) {
      const measurements: Measurement[] = [];
      for (let i = 0; i < runs; i++) measurements.push(await c.run(file, data));
      rows.push({ c, m: median(measurements) });
      console.log(`${c.en}, ${c.path}: ${JSON.stringify(rows.at(-1)!.m)}`);
    }
  } finally {
    await Deno.remove(file);
  }
  const how = {
    en: capturing
      ? `Measured on loopback with tcpdump, ${size} bytes, median of ${runs} runs.`
      : `Measured on loopback, ${size} bytes, median of ${runs} runs; UDP bytes from the proxy's counters.`,
    es: capturing
      ? `Medido en loopback con tcpdump, ${size} bytes, mediana de ${runs} ejecuciones.`
      : `Medido en loopback, ${size} bytes, mediana de ${runs} ejecuciones; bytes UDP según el proxy.`,
  };
  for (const language of ["en", "es"] as const) {
    const text = `${table(rows, size, language)}\n${how[language]}\n`;
    const output = `${OUTPUT}${language === "es" ? "es/" : ""}reliable-udp.md`;
    await Deno.writeTextFile(output, text);
    if (language === "en") console.log(`\n${text}`);
  }
});
