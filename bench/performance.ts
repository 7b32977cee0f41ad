/**
 * The course's performance benchmark (`deno task bench`): the reference scripts side by
 * side with the baselines they are held to, measured in one run on this machine, with
 * each ratio and its target.
 *
 * 1. Bulk TCP: MB/s through one connection (`bulk_client.ts`, for 2 s) for the echo
 *    servers of Tasks 1.1, 2.1 (`--quiet`) and 2.5, against a Python server written like
 *    the handouts' (`recv(1024)`, `sendall`) and the minimal Deno loop
 *    (`minimal_echo_server.ts`, 64 KiB).
 * 2. 10,000 connections from `load_generator.ts`, a round trip every second each:
 *    `multiconn_server.ts --quiet`'s peak memory against the minimal server holding the
 *    same connections with a 16-byte read waiting on each, and the round-trip p99 with
 *    how late the generator's own trips set off (when it is behind, so is the p99).
 * 3. Every core: `reuseport_server.ts` with two workers against one, on a bulk load
 *    (16 connections), with the cores the server and the client used.
 * 4. UDP: echoes per second of 1,000-byte datagrams, 32 in flight (`udp_load.ts`), for
 *    `udp_echo_server.ts` against a Python `recvfrom`/`sendto` loop and the minimal Deno
 *    loop (`minimal_udp_echo_server.ts`), the server CPU time per datagram of each (the
 *    minimal loop's is what Deno's receive and send cost), and the datagrams lost at half
 *    the rate it reached (the client sending at most 2 ms worth at once), with those the
 *    kernel dropped at the server's socket.
 * 5. `lib/struct.ts` against CPython's `struct` (timeit's best of five), and `packInto`
 *    against a hand-written `DataView` encoder.
 *
 * Each measurement runs `--runs` times (5), the servers taking turns, and the table shows
 * the median. Rows that need `python3` are left out, with a message, where it is missing.
 * The table is printed and, when every part ran, written as Markdown (English and
 * Spanish) to `site/public/performance.md` and `site/public/es/performance.md` (then
 * formatted with `deno fmt`), which the Lab 2 page includes, with the machine and how
 * busy it was.
 *
 * Run: deno task bench [--only tcp,connections,cores,udp,struct] [--runs N]
 *
 * @module
 */
import { parseCommandLine, parseCount, runMain, UsageError } from "../lib/cli.ts";
import { hasProgram } from "../tools/script/host.ts";
import {
  type RunningServer,
  runScript,
  startProgram,
  startScript,
  startServer,
  waitForListening,
} from "../tools/script/process.ts";
import { median, peakResidentMiB, processCpuSeconds, readProcFile } from "./measure.ts";
import { LAYOUTS } from "./struct_layouts.ts";

const PARTS = ["tcp", "connections", "cores", "udp", "struct"] as const;
type Part = typeof PARTS[number];

const { values } = parseCommandLine({
  summary: "Measures the reference servers and struct against their baselines.",
  options: {
    only: { valueName: "PARTS", description: `comma-separated parts: ${PARTS.join(",")}` },
    runs: { default: "5", valueName: "N", description: "runs of each measurement (median)" },
  },
});

const here = (path: string) => new URL(path, import.meta.url).pathname;
const lab = (path: string) => here(`../labs/${path}`);
const PYTHON = here("python/baselines.py");
const hasPython = hasProgram("python3");

/** Text in both of the site's languages. */
interface Text {
  en: string;
  es: string;
}

/** One line of the table: a measurement, its baseline and target when it has them. */
interface Row {
  part: Part;
  what: Text;
  value: number;
  unit: string;
  baseline?: { what: Text; value: number };
  /** The ratio must be at least (`min`) or at most (`max`) this. */
  target?: { min?: number; max?: number };
  /** The ratio when it is not value / baseline (e.g. a p99 against its limit). */
  ratio?: number;
  /** The ratio is a share of a whole (e.g. datagrams lost of those asked): shown as a percentage. */
  share?: true;
  note?: Text;
}

// ---------------------------------------------------------------------------
// Servers.

type Server = { label: Text; start: () => Promise<RunningServer> };

/** A Deno server: a lab script on `--port 0`, or a baseline of bench/ (which picks its own). */
const deno = (script: string, args: string[], label: Text): Server => ({
  label,
  start: async () =>
    script.includes("/labs/")
      ? await startServer(script, args)
      : waitForListening(await startScript(script, args)),
});
const python = (mode: string, label: Text): Server => ({
  label,
  start: () => waitForListening(startProgram("python3", [PYTHON, mode])),
});
const same = (text: string): Text => ({ en: text, es: text });

const PYTHON_TCP = python("tcp-echo", {
  en: "Python, `recv(1024)` (the handouts' loop)",
  es: "Python, `recv(1024)` (el bucle de los enunciados)",
});
const MINIMAL_TCP = deno(here("minimal_echo_server.ts"), ["65536"], {
  en: "minimal Deno loop (64 KiB buffer)",
  es: "bucle mínimo de Deno (búfer de 64 KiB)",
});

/** Starts every server, runs `measure` on each in turn `runs` times, stops them. */
async function takeTurns<T>(
  servers: Server[],
  runs: number,
  measure: (server: RunningServer) => Promise<T>,
): Promise<T[][]> {
  const running = [];
  try {
    for (const server of servers) running.push(await server.start());
    const results: T[][] = servers.map(() => []);
    for (let run = 0; run < runs; run++) {
      for (const [i, server] of running.entries()) results[i].push(await measure(server));
    }
    return results;
  } finally {
    await Promise.all(running.map((server) => server.script.stop()));
  }
}

/** Runs a bench client to the end and parses the JSON line it prints. */
async function client<T>(script: string, args: string[]): Promise<T> {
  const result = await runScript(here(script), args, 300_000);
  if (result.code !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}

// ---------------------------------------------------------------------------
// 1. Bulk TCP.

async function bulkTcp(runs: number): Promise<Row[]> {
  const ours = [
    deno(lab("lab1/tcp_echo_server.ts"), [], same("`tcp_echo_server.ts` (1.1)")),
    deno(lab("lab2/multiconn_server.ts"), ["--quiet"], same("`multiconn_server.ts --quiet` (2.1)")),
    deno(lab("lab2/reuseport_server.ts"), ["--quiet"], same("`reuseport_server.ts` (2.5)")),
  ];
  const servers = [MINIMAL_TCP, ...(hasPython ? [PYTHON_TCP] : []), ...ours];
  const results = await takeTurns(servers, runs, async (server) => {
    const args = ["--port", String(server.port), "--seconds", "2"];
    return (await client<{ mbPerSecond: number }>("bulk_client.ts", args)).mbPerSecond;
  });
  const speeds = results.map(median);
  const [minimal, py] = [speeds[0], hasPython ? speeds[1] : undefined];
  const rows: Row[] = [];
  for (const [i, server] of ours.entries()) {
    const value = speeds[servers.indexOf(server)];
    if (py !== undefined) {
      rows.push({
        part: "tcp",
        what: server.label,
        value,
        unit: "MB/s",
        baseline: { what: PYTHON_TCP.label, value: py },
        target: { min: 4 },
      });
    }
    rows.push({
      part: "tcp",
      what: server.label,
      value,
      unit: "MB/s",
      baseline: { what: MINIMAL_TCP.label, value: minimal },
      target: { min: 0.8 },
      note: i === 0 ? { en: "one connection, 2 s", es: "una conexión, 2 s" } : undefined,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// 2. 10,000 connections.

interface LoadResult {
  held: number;
  perSecond: number;
  p99: number;
  late: number;
  peakMiB: number;
}

async function tenThousand(runs: number): Promise<Row[]> {
  const minimal = deno(here("minimal_echo_server.ts"), ["16"], {
    en: "minimal Deno server, a 16-byte read waiting on each connection",
    es: "servidor mínimo de Deno, una lectura de 16 bytes esperando en cada conexión",
  });
  const ours = deno(
    lab("lab2/multiconn_server.ts"),
    ["--quiet"],
    same("`multiconn_server.ts --quiet`"),
  );
  const results: LoadResult[][] = [[], []];
  // A server per run: its peak memory must be this load's alone.
  for (let run = 0; run < runs; run++) {
    for (const [i, server] of [minimal, ours].entries()) {
      const running = await server.start();
      try {
        const load = await runScript(
          lab("lab2/load_generator.ts"),
          ["--port", String(running.port), "--connections", "10000", "--rounds", "5"],
          300_000,
        );
        if (load.code !== 0) throw new Error(`the load generator failed:\n${load.stderr}`);
        const held = load.stdout.match(/connections held: (\d+)/);
        const trips = load.stdout.match(/\((\d+) per second\).*p99 ([\d.]+) ms/);
        const late = load.stdout.match(/late by p99 ([\d.]+) ms/);
        if (!held || !trips || !late) {
          throw new Error(`unexpected load generator output:\n${load.stdout}`);
        }
        results[i].push({
          held: Number(held[1]),
          perSecond: Number(trips[1]),
          p99: Number(trips[2]),
          late: Number(late[1]),
          peakMiB: await peakResidentMiB(running.script.pid),
        });
      } finally {
        await running.script.stop();
      }
    }
  }
  const middle = (i: number, key: keyof LoadResult) => median(results[i].map((r) => r[key]));
  const held = Math.min(...results.flat().map((r) => r.held));
  return [
    {
      part: "connections",
      what: {
        en: "peak memory (RSS), `multiconn_server.ts --quiet`",
        es: "memoria máxima (RSS), `multiconn_server.ts --quiet`",
      },
      value: middle(1, "peakMiB"),
      unit: "MiB",
      baseline: { what: minimal.label, value: middle(0, "peakMiB") },
      target: { max: 1.1 },
      note: {
        en: `${held.toLocaleString("en-US")} connections held (the fewest of all runs)`,
        es: `${
          held.toLocaleString("es-ES")
        } conexiones mantenidas (las menos de todas las ejecuciones)`,
      },
    },
    {
      part: "connections",
      what: {
        en: "round-trip p99, `multiconn_server.ts --quiet`",
        es: "p99 de las idas y vueltas, `multiconn_server.ts --quiet`",
      },
      value: middle(1, "p99"),
      unit: "ms",
      ratio: middle(1, "p99") / 20,
      target: { max: 1 },
      note: {
        en: `at ${Math.round(middle(1, "perSecond")).toLocaleString("en-US")} round trips/s, ` +
          `each timed from its write to the last byte of its echo; the minimal server: ${
            middle(0, "p99").toFixed(1)
          } ms (the limit, 20 ms, is the baseline); the generator's trips set off late by ` +
          `p99 ${middle(1, "late").toFixed(1)} ms`,
        es: `a ${Math.round(middle(1, "perSecond")).toLocaleString("es-ES")} idas y vueltas/s, ` +
          `cada una medida desde su escritura hasta el último byte de su eco; el servidor ` +
          `mínimo: ${
            middle(0, "p99").toFixed(1).replace(".", ",")
          } ms (el límite, 20 ms, es la referencia); el generador las lanzó con un retraso ` +
          `p99 de ${middle(1, "late").toFixed(1).replace(".", ",")} ms`,
      },
    },
  ];
}

// ---------------------------------------------------------------------------
// 3. Every core.

/**
 * Connections of the every-core load. The kernel hashes each to one worker's socket: with
 * few, one worker often gets more than its share (of 4, three or all of them in 10 cases
 * of 16) while the other idles, and the ratio measures the hash, not the server.
 */
const CORE_CONNECTIONS = 16;

async function everyCore(runs: number): Promise<Row[]> {
  const cores = Math.max(2, navigator.hardwareConcurrency);
  const label = (workers: number) => same(`\`reuseport_server.ts --workers ${workers}\``);
  const servers = [1, cores].map((workers) =>
    deno(lab("lab2/reuseport_server.ts"), ["--quiet", "--workers", String(workers)], label(workers))
  );
  const results = await takeTurns(servers, runs, async (server) => {
    const cpuBefore = await processCpuSeconds(server.script.pid);
    const args = [
      "--port",
      String(server.port),
      "--seconds",
      "2",
      "--connections",
      String(CORE_CONNECTIONS),
    ];
    const result = await client<{ mbPerSecond: number; seconds: number; cpu: number }>(
      "bulk_client.ts",
      args,
    );
    const serverCpu = await processCpuSeconds(server.script.pid) - cpuBefore;
    return {
      mbPerSecond: result.mbPerSecond,
      serverCores: serverCpu / result.seconds,
      clientCores: result.cpu / result.seconds,
    };
  });
  const middle = (key: "mbPerSecond" | "serverCores" | "clientCores") =>
    results.map((runs) => median(runs.map((r) => r[key])));
  const [one, all] = middle("mbPerSecond");
  const [oneCores, allCores] = middle("serverCores");
  const clientCores = middle("clientCores")[1];
  const fixed = (n: number, lang: Lang) => n.toFixed(2).replace(".", lang === "en" ? "." : ",");
  // The client shares the machine's cores: what the server could use is what it left.
  const note = (lang: Lang) => {
    const [withOne, withAll, client] = [oneCores, allCores, clientCores].map((n) => fixed(n, lang));
    const total = navigator.hardwareConcurrency;
    return lang === "en"
      ? `${CORE_CONNECTIONS} connections; the server used ${withOne} cores with 1 worker, ` +
        `${withAll} with ${cores}, while the client used ${client} of the ${total}`
      : `${CORE_CONNECTIONS} conexiones; el servidor usó ${withOne} núcleos con 1 trabajador y ` +
        `${withAll} con ${cores}, mientras el cliente usaba ${client} de los ${total}`;
  };
  return [{
    part: "cores",
    what: label(cores),
    value: all,
    unit: "MB/s",
    baseline: { what: label(1), value: one },
    target: { min: 1.7 },
    note: { en: note("en"), es: note("es") },
  }, {
    part: "cores",
    what: {
      en: `MB/s per core the server used, ${cores} workers`,
      es: `MB/s por núcleo usado por el servidor, ${cores} trabajadores`,
    },
    value: all / allCores,
    unit: "MB/s",
    baseline: {
      what: { en: "1 worker", es: "1 trabajador" },
      value: one / oneCores,
    },
    note: {
      en: "how well each core's work scales, whatever the client left",
      es: "cuánto rinde cada núcleo, deje el cliente lo que deje",
    },
  }];
}

// ---------------------------------------------------------------------------
// 4. UDP.

/** How long the loss test sends. */
const LOSS_SECONDS = 3;

async function udp(runs: number): Promise<Row[]> {
  if (!hasPython) return [];
  const ours = deno(lab("lab1/udp_echo_server.ts"), [], same("`udp_echo_server.ts` (1.3)"));
  const baseline = python("udp-echo", {
    en: "Python, a `recvfrom`/`sendto` loop",
    es: "Python, un bucle de `recvfrom`/`sendto`",
  });
  const minimal = deno(here("minimal_udp_echo_server.ts"), [], {
    en: "minimal Deno loop (`receive`, `send`)",
    es: "bucle mínimo de Deno (`receive`, `send`)",
  });
  const results = await takeTurns([baseline, minimal, ours], runs, async (server) => {
    const cpuBefore = await processCpuSeconds(server.script.pid);
    const result = await client<{ received: number; perSecond: number; cpu: number }>(
      "udp_load.ts",
      ["--port", String(server.port), "--window", "32", "--seconds", "3"],
    );
    const cpu = await processCpuSeconds(server.script.pid) - cpuBefore;
    const perDatagram = (seconds: number) => (seconds / result.received) * 1e6;
    return {
      perSecond: result.perSecond,
      cpuMicroseconds: perDatagram(cpu),
      clientMicroseconds: perDatagram(result.cpu),
    };
  });
  const middle = (key: "perSecond" | "cpuMicroseconds" | "clientMicroseconds") =>
    results.map((runs) => median(runs.map((r) => r[key])));
  const [py, minimalRate, deno_] = middle("perSecond");
  const [pyCpu, minimalCpu, denoCpu] = middle("cpuMicroseconds");
  const clientCpu = Math.min(...middle("clientMicroseconds"));
  // The loss at half the rate it reached: a server that keeps up loses nothing. The
  // kernel counts what it dropped at each socket, so the server's own share is known.
  const rate = Math.round(deno_ / 2);
  const [loss, serverDrops] = (await takeTurns([ours], 1, async (server) => {
    const before = await udpDrops(server.port);
    const result = await client<{ sent: number; received: number; skipped: number }>(
      "udp_load.ts",
      ["--port", String(server.port), "--rate", String(rate), "--seconds", String(LOSS_SECONDS)],
    );
    return [result, await udpDrops(server.port) - before] as const;
  }))[0][0];
  const lost = loss.sent - loss.received;
  const sentRate = Math.round(loss.sent / LOSS_SECONDS);
  const echoes: Text = {
    en: "`udp_echo_server.ts` (1.3), echoes per second",
    es: "`udp_echo_server.ts` (1.3), ecos por segundo",
  };
  const micro = (value: number, locale: string) =>
    value.toLocaleString(locale, { maximumFractionDigits: 1 });
  return [
    {
      part: "udp",
      what: echoes,
      value: deno_,
      unit: "/s",
      baseline: { what: baseline.label, value: py },
      target: { min: 2 },
      note: {
        en: `1,000-byte datagrams, 32 in flight; the client, a Deno loop too, used at least ${
          micro(clientCpu, "en-US")
        } µs of CPU per echo`,
        es: `datagramas de 1.000 bytes, 32 en vuelo; el cliente, también un bucle de Deno, usó ${
          micro(clientCpu, "es-ES")
        } µs de CPU por eco como mínimo`,
      },
    },
    {
      part: "udp",
      what: echoes,
      value: deno_,
      unit: "/s",
      baseline: { what: minimal.label, value: minimalRate },
    },
    {
      part: "udp",
      what: {
        en: "server CPU time per datagram, `udp_echo_server.ts`",
        es: "tiempo de CPU del servidor por datagrama, `udp_echo_server.ts`",
      },
      value: denoCpu,
      unit: "µs",
      baseline: { what: baseline.label, value: pyCpu },
    },
    {
      part: "udp",
      what: {
        en: "server CPU time per datagram, minimal Deno loop",
        es: "tiempo de CPU del servidor por datagrama, bucle mínimo de Deno",
      },
      value: minimalCpu,
      unit: "µs",
      baseline: { what: baseline.label, value: pyCpu },
      note: {
        en: "what one `receive` and one `send` cost in Deno: the floor",
        es: "lo que cuestan en Deno un `receive` y un `send`: el mínimo posible",
      },
    },
    {
      part: "udp",
      what: {
        en: `datagrams lost, ${sentRate.toLocaleString("en-US")}/s sent (of ${
          rate.toLocaleString("en-US")
        }/s asked, half the rate it reached)`,
        es: `datagramas perdidos, ${sentRate.toLocaleString("es-ES")}/s enviados (de ${
          rate.toLocaleString("es-ES")
        }/s pedidos, la mitad de su ritmo)`,
      },
      value: lost,
      unit: "",
      // Skipped datagrams count against the target too: the rate asked was not reached.
      ratio: (lost + loss.skipped) / (loss.sent + loss.skipped),
      share: true,
      target: { max: 0 },
      note: {
        en:
          `${loss.received.toLocaleString("en-US")} of ${
            loss.sent.toLocaleString("en-US")
          } echoed; ${
            serverDrops.toLocaleString("en-US")
          } dropped by the kernel because the server's receive queue was full; the client, ` +
          `held up, skipped ${
            loss.skipped.toLocaleString("en-US")
          } rather than send more than 2 ms worth at once, which count against the target`,
        es:
          `${loss.received.toLocaleString("es-ES")} de ${
            loss.sent.toLocaleString("es-ES")
          } devueltos; el sistema operativo descartó ${
            serverDrops.toLocaleString("es-ES")
          } porque la cola de recepción del servidor estaba llena; el cliente, retrasado, ` +
          `omitió ${
            loss.skipped.toLocaleString("es-ES")
          } para no enviar de golpe más de lo que toca en 2 ms, y cuentan contra el objetivo`,
      },
    },
  ];
}

/** The datagrams the kernel dropped at the UDP socket on `port` (Linux's `/proc/net/udp`). */
async function udpDrops(port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of (await readProcFile("/proc/net/udp")).split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hexPort}`)) return Number(fields.at(-1));
  }
  throw new Error(`no UDP socket on port ${port} in /proc/net/udp`);
}

// ---------------------------------------------------------------------------
// 5. Struct.

async function structTimes(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const layout of LAYOUTS) {
    // Both sides time in a fresh process of their own, whatever this one did before.
    const timings = async (command: string, args: string[], extra: string[] = []) => {
      const output = await new Deno.Command(command, {
        args: [...args, layout.format, String(loops), ...extra],
      }).output();
      if (!output.success) throw new Error(`${command} could not time ${layout.format}`);
      return JSON.parse(new TextDecoder().decode(output.stdout));
    };
    const loops = 200_000;
    const ours = await timings(Deno.execPath(), ["run", "--quiet", here("struct_times.ts")]);
    const name = `\`${layout.format}\``;
    if (hasPython) {
      const cpython = await timings("python3", [PYTHON, "struct"], layout.pythonWords);
      const cpythonLabel = (operation: string) => same(`CPython \`Struct.${operation}\``);
      rows.push({
        part: "struct",
        what: same(`\`Struct.pack\` ${name}`),
        value: ours.pack,
        unit: "ns",
        baseline: { what: cpythonLabel("pack"), value: cpython.pack },
        target: { max: 1 },
      }, {
        part: "struct",
        what: same(`\`Struct.unpack\` ${name}`),
        value: ours.unpack,
        unit: "ns",
        baseline: { what: cpythonLabel("unpack"), value: cpython.unpack },
        target: { max: 0.7 },
      });
    }
    rows.push({
      part: "struct",
      what: same(`\`Struct.packInto\` ${name}`),
      value: ours.packInto,
      unit: "ns",
      baseline: {
        what: { en: "`DataView` code by hand", es: "código `DataView` a mano" },
        value: ours.hand,
      },
      target: { max: 1.3 },
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// The table.

type Lang = keyof Text;

const HEADINGS: Record<Part, Text> = {
  tcp: { en: "Bulk TCP echo", es: "Eco TCP masivo" },
  connections: { en: "10,000 connections", es: "10.000 conexiones" },
  cores: { en: "Every core", es: "Todos los núcleos" },
  udp: { en: "UDP echo", es: "Eco UDP" },
  struct: { en: "`lib/struct.ts`", es: "`lib/struct.ts`" },
};

function ratioOf(row: Row): number | undefined {
  return row.ratio ?? (row.baseline ? row.value / row.baseline.value : undefined);
}

function met(row: Row): boolean | undefined {
  const ratio = ratioOf(row);
  if (ratio === undefined || row.target === undefined) return undefined;
  return ratio >= (row.target.min ?? -Infinity) && ratio <= (row.target.max ?? Infinity);
}

function table(rows: Row[], lang: Lang): string {
  const locale = lang === "en" ? "en-US" : "es-ES";
  const n = (value: number) =>
    value.toLocaleString(locale, { maximumFractionDigits: value < 10 ? 2 : value < 100 ? 1 : 0 });
  const amount = (value: number, unit: string) => unit === "" ? n(value) : `${n(value)} ${unit}`;
  const head = lang === "en"
    ? "| Part | Measured | Value | Baseline | Ratio | Target |"
    : "| Parte | Medida | Valor | Referencia | Cociente | Objetivo |";
  const lines = [head, "| --- | --- | ---: | --- | ---: | --- |"];
  for (const row of rows) {
    const ratio = ratioOf(row);
    const target = row.target === undefined
      ? ""
      : `${row.target.min !== undefined ? `≥ ${n(row.target.min)}` : `≤ ${n(row.target.max!)}`} ${
        met(row) ? "✓" : "✗"
      }`;
    const baseline = row.baseline
      ? `${row.baseline.what[lang]}: ${amount(row.baseline.value, row.unit)}`
      : "";
    const what = row.note ? `${row.what[lang]} (${row.note[lang]})` : row.what[lang];
    lines.push(
      `| ${HEADINGS[row.part][lang]} | ${what} | ${amount(row.value, row.unit)} | ${baseline} | ` +
        `${ratio === undefined ? "" : row.share ? `${n(100 * ratio)} %` : `${n(ratio)}×`} | ` +
        `${target} |`,
    );
  }
  return lines.join("\n");
}

async function machine(lang: Lang, loads: number[][], runs: number): Promise<string> {
  const cpuinfo = await readProcFile("/proc/cpuinfo").catch(() => "");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown CPU";
  const cores = navigator.hardwareConcurrency;
  const load = (values: number[]) =>
    values.map((v) => v.toFixed(2)).join(" / ").replaceAll(".", lang === "en" ? "." : ",");
  const versions = `Deno ${Deno.version.deno}${hasPython ? `, ${await pythonVersion()}` : ""}`;
  return lang === "en"
    ? `Measured on ${cores} cores (${model}), ${versions}, ${runsText("en", runs)}; ` +
      `the clients ran on the same cores as the servers, and other programs shared them ` +
      `(load average over 1/5/15 minutes: ${load(loads[0])} when the run began, ` +
      `${load(loads[1])} when it ended).`
    : `Medido en ${cores} núcleos (${model}), ${versions}, ${runsText("es", runs)}; ` +
      `los clientes usaban los mismos núcleos que los servidores, y otros programas los ` +
      `compartían (carga media en 1/5/15 minutos: ${load(loads[0])} al empezar, ` +
      `${load(loads[1])} al terminar).`;
}

/** How many runs each number is the median of (struct's are timeit's best of five anyway). */
function runsText(lang: Lang, runs: number): string {
  if (lang === "en") {
    return runs === 1 ? "one run of each measurement" : `the medians of ${runs} runs`;
  }
  return runs === 1 ? "una ejecución de cada medida" : `medianas de ${runs} ejecuciones`;
}

async function pythonVersion(): Promise<string> {
  const output = await new Deno.Command("python3", { args: ["--version"] }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

await runMain(async () => {
  const runs = parseCount(values.runs, "--runs");
  const only = values.only?.split(",") ?? [...PARTS];
  for (const part of only) {
    if (!PARTS.includes(part as Part)) {
      throw new UsageError(`unknown part "${part}" (use ${PARTS.join(", ")})`);
    }
  }
  if (!hasPython) console.log("python3 is not installed: the rows against Python are left out");
  const measurements: Record<Part, () => Promise<Row[]>> = {
    tcp: () => bulkTcp(runs),
    connections: () => tenThousand(runs),
    cores: () => everyCore(runs),
    udp: () => udp(runs),
    struct: structTimes,
  };
  const loads = [Deno.loadavg()];
  const rows: Row[] = [];
  for (const part of PARTS.filter((part) => only.includes(part))) {
    console.log(`measuring: ${HEADINGS[part].en}`);
    rows.push(...await measurements[part]());
  }
  loads.push(Deno.loadavg());
  console.log(`\n${table(rows, "en")}\n\n${await machine("en", loads, runs)}`);
  if (only.length < PARTS.length) return;
  const files = {
    en: here("../site/public/performance.md"),
    es: here("../site/public/es/performance.md"),
  };
  for (const lang of ["en", "es"] as const) {
    await Deno.writeTextFile(
      files[lang],
      `${table(rows, lang)}\n\n${await machine(lang, loads, runs)}\n`,
    );
  }
  // Formatted here rather than by a second command in the task, which would take this
  // script's arguments (`deno task bench --runs 1`) for its own.
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", ...Object.values(files)],
  }).output();
  if (!fmt.success) throw new Error(`deno fmt failed:\n${new TextDecoder().decode(fmt.stderr)}`);
  console.log("\nwritten to site/public/performance.md and site/public/es/performance.md");
});
