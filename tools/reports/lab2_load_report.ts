/**
 * Lab 2 load measurements, on a real run over loopback:
 *
 * 1. Task 2.1: `multiconn_server.ts` holding 10,000 connections from
 *    `load_generator.ts`, each making a round trip every second, then every 5 seconds:
 *    the connections held, the server's peak resident memory (sampled with `ps`) and the
 *    round-trip times.
 * 2. Task 2.5: round trips per second, back to back on 100 connections from two load
 *    generator processes at once, against the single-threaded `multiconn_server.ts` and
 *    `reuseport_server.ts` with 1 and with 2 workers (the median of three runs).
 *
 * Writes the two tables (Markdown, English and Spanish) to `site/public/lab2-load.md` and
 * `lab2-cores.md` (and their twins in `site/public/es/`), which the Lab 2 pages include,
 * and prints them.
 * Regenerate them with `deno task lab2-report`; the numbers depend on the machine and on
 * whatever else runs on it, so the table says how busy the machine was.
 *
 * @module
 */
import { runScript, startServer } from "../script/process.ts";

const script = (name: string) => new URL(`../../labs/lab2/${name}`, import.meta.url).pathname;

/** What one load generator run printed. */
interface LoadResult {
  held: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function parseLoad(stdout: string): LoadResult {
  const held = stdout.match(/connections held: (\d+)/);
  const trips = stdout.match(/\((\d+) per second\).*p50 ([\d.]+) ms, p99 ([\d.]+) ms/);
  if (!held || !trips) throw new Error(`unexpected load generator output:\n${stdout}`);
  const [perSecond, p50, p99] = trips.slice(1).map(Number);
  return { held: Number(held[1]), perSecond, p50, p99 };
}

async function residentMiB(pid: number): Promise<number> {
  const ps = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
  return Number(new TextDecoder().decode(ps.stdout)) / 1024;
}

/** Starts a server, runs load generators at once against it, samples the server's memory. */
async function measure(server: string[], loads: string[][]) {
  const [name, ...args] = server;
  const running = await startServer(script(name), ["--quiet", ...args]);
  let peakMiB = 0;
  const sampler = setInterval(async () => {
    peakMiB = Math.max(peakMiB, await residentMiB(running.script.pid));
  }, 200);
  try {
    const port = String(running.port);
    const outputs = await Promise.all(
      loads.map((load) =>
        runScript(script("load_generator.ts"), ["--port", port, ...load], 120_000)
      ),
    );
    for (const output of outputs) {
      if (output.code !== 0) throw new Error(`the load generator failed:\n${output.stderr}`);
    }
    peakMiB = Math.max(peakMiB, await residentMiB(running.script.pid));
    return { results: outputs.map((output) => parseLoad(output.stdout)), peakMiB };
  } finally {
    clearInterval(sampler);
    await running.script.stop();
  }
}

type Lang = "en" | "es";
const cores = navigator.hardwareConcurrency;
const loadAverage = () => Deno.loadavg()[0].toFixed(2);

// #region hold
const holdingLoad = loadAverage();
const holding: (LoadResult & { interval: number; peakMiB: number })[] = [];
for (const interval of ["1000", "5000"]) {
  const load = ["--connections", "10000", "--rounds", "5", "--interval", interval];
  const { results: [result], peakMiB } = await measure(["multiconn_server.ts"], [load]);
  holding.push({ interval: Number(interval) / 1000, peakMiB, ...result });
  console.log(`10,000 connections, a trip every ${interval} ms each:`, holding.at(-1));
}
// #endregion hold

// #region cores
const coresLoad = loadAverage();
const servers = [
  {
    en: "`multiconn_server.ts` (one thread)",
    es: "`multiconn_server.ts` (un hilo)",
    args: ["multiconn_server.ts"],
  },
  {
    en: "`reuseport_server.ts --workers 1`",
    es: "`reuseport_server.ts --workers 1`",
    args: ["reuseport_server.ts", "--workers", "1"],
  },
  {
    en: `\`reuseport_server.ts --workers ${cores}\``,
    es: `\`reuseport_server.ts --workers ${cores}\``,
    args: ["reuseport_server.ts", "--workers", String(cores)],
  },
];
const backToBack = ["--connections", "50", "--rounds", "400", "--interval", "0"];
const speeds: { en: string; es: string; median: number; runs: number[] }[] = [];
for (const server of servers) {
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const { results } = await measure(server.args, [backToBack, backToBack]);
    runs.push(results.reduce((sum, result) => sum + result.perSecond, 0));
  }
  runs.sort((a, b) => a - b);
  speeds.push({ ...server, median: runs[1], runs });
  console.log(`${server.en}: round trips per second`, runs);
}
// #endregion cores

const number = (value: number, lang: Lang) =>
  value.toLocaleString(lang === "en" ? "en-US" : "es-ES", { maximumFractionDigits: 1 });

/** The closing note of each table: where it was measured and how busy the machine was. */
function context(lang: Lang, load: string): string {
  return lang === "en"
    ? `Measured on ${cores} cores shared with other work (load average ${load} when the run ` +
      "began); the load generators ran on the same cores as the servers."
    : `Medido en ${cores} núcleos compartidos con otros trabajos (carga media ` +
      `${load.replace(".", ",")} al empezar); los generadores de carga usaban los mismos ` +
      "núcleos que los servidores.";
}

function holdTable(lang: Lang): string {
  const n = (value: number) => number(value, lang);
  const en = lang === "en";
  return [
    en
      ? "| Load | Connections held | Server memory (peak RSS) | Round trips per second | p50 | p99 |"
      : "| Carga | Conexiones mantenidas | Memoria del servidor (RSS máximo) | Idas y vueltas por segundo | p50 | p99 |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...holding.map((row) => {
      const load = en
        ? `10,000 connections, a trip every ${row.interval} s each`
        : `10.000 conexiones, una ida y vuelta cada ${row.interval} s cada una`;
      return `| ${load} | ${n(row.held)} | ${n(row.peakMiB)} MiB | ${n(row.perSecond)} | ` +
        `${n(row.p50)} ms | ${n(row.p99)} ms |`;
    }),
    "",
    context(lang, holdingLoad),
  ].join("\n") + "\n";
}

function coresTable(lang: Lang): string {
  const n = (value: number) => number(value, lang);
  const en = lang === "en";
  return [
    en
      ? "| Server | Round trips per second (median of 3) | The three runs | Against one thread |"
      : "| Servidor | Idas y vueltas por segundo (mediana de 3) | Las tres ejecuciones | Frente a un hilo |",
    "| --- | ---: | ---: | ---: |",
    ...speeds.map((row) =>
      `| ${en ? row.en : row.es} | ${n(row.median)} | ${row.runs.map(n).join(" · ")} | ` +
      `${n(row.median / speeds[0].median)}× |`
    ),
    "",
    (en
      ? "100 connections making round trips back to back, from two load generators at once. "
      : "100 conexiones haciendo idas y vueltas sin pausa, desde dos generadores de carga a la vez. ") +
    context(lang, coresLoad),
  ].join("\n") + "\n";
}

for (const lang of ["en", "es"] as const) {
  const dir = new URL(`../../site/public/${lang === "en" ? "" : "es/"}`, import.meta.url);
  await Deno.writeTextFile(new URL("lab2-load.md", dir), holdTable(lang));
  await Deno.writeTextFile(new URL("lab2-cores.md", dir), coresTable(lang));
  console.log(holdTable(lang), "\n", coresTable(lang));
}
