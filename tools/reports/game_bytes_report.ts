/**
 * Bytes per tick of the Lab 3 game, measured on a real run: starts
 * `labs/lab3/game_server.ts` and ten `game_client.ts --bot` players on loopback, joins
 * as a spectator, and for every tick it receives compares what the server sent with
 * the same state written as JSON text, as JSON compressed, as the packed full state,
 * compressed or not, and as a packed delta.
 *
 * Writes the table (Markdown) and a bar chart (SVG), in English and Spanish, to
 * `site/public/game-bytes.{md,svg}` and `site/public/es/game-bytes.{md,svg}`, which the
 * Lab 3 pages include. Regenerate them with `deno task game-report`.
 *
 * @module
 */
import { deflateRawSync } from "node:zlib";
import { type GameState, movesBetween } from "../../labs/lab3/game_state.ts";
import * as wire from "../../labs/lab3/game_wire.ts";
import { startScript, startServer } from "../script/process.ts";

const BOTS = 10;
const MOVES = 150; // per bot: about 160 ticks with everyone on the grid
const TICK_MS = "50";
const root = new URL("../../", import.meta.url);
const script = (name: string) => new URL(`labs/lab3/${name}`, root).pathname;

/** One row of the table: an encoding and the bytes it took on each tick. */
interface Row {
  en: string;
  es: string;
  sizes: number[];
}

const row = (en: string, es: string): Row => ({ en, es, sizes: [] });
const rows = {
  json: row("JSON text", "Texto JSON"),
  jsonDeflate: row("JSON + DEFLATE", "JSON + DEFLATE"),
  full: row("Packed full state", "Estado completo empaquetado"),
  fullDeflate: row("Packed full + DEFLATE", "Completo + DEFLATE"),
  delta: row("Packed delta", "Delta empaquetado"),
  sent: row("As sent by the server", "Lo que envía el servidor"),
};

/** Measures one received tick against the state of the tick before it. */
function measure(datagram: Uint8Array, state: GameState, before: GameState | undefined): void {
  const json = wire.encodeJson(state);
  const full = wire.encodeFull(state);
  rows.json.sizes.push(json.length);
  rows.jsonDeflate.sizes.push(deflateRawSync(json).length);
  rows.full.sizes.push(full.length);
  rows.fullDeflate.sizes.push(1 + deflateRawSync(full.subarray(1)).length);
  rows.sent.sizes.push(datagram.length);
  const sameRoster = before?.players.every((p, id) =>
    (p === null) === (state.players[id] === null)
  );
  if (sameRoster) {
    rows.delta.sizes.push(wire.encodeDelta(state.tick, movesBetween(before!, state)).length);
  }
}

async function run(): Promise<number> {
  const server = await startServer(script("game_server.ts"), ["--tick", TICK_MS]);
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const to: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: server.port };
  await socket.send(wire.encodeCommand({ kind: wire.CommandKind.Watch }), to);
  const states = new Map<number, GameState>();
  let state: GameState | null = null;
  const watching = (async () => {
    for await (const [data] of socket) {
      const message = wire.decodeMessage(data);
      if (message.type === wire.MessageType.Cookie) { // watch again, with the proof we receive
        await socket.send(
          wire.encodeCommand({ kind: wire.CommandKind.Watch, cookie: message.cookie }),
          to,
        );
      }
      state = wire.nextState(state, message);
      if (!state || states.has(state.tick) || !state.players.some((p) => p)) continue;
      states.set(state.tick, structuredClone(state));
      measure(data, state, states.get(state.tick - 1));
    }
  })();
  const bots = await Promise.all(
    Array.from({ length: BOTS }, (_, i) =>
      startScript(script("game_client.ts"), [
        "--port",
        String(server.port),
        "--bot",
        "--seed",
        String(i + 1),
        "--moves",
        String(MOVES),
      ])),
  );
  const results = await Promise.all(bots.map((bot) => bot.finished(120_000)));
  socket.close();
  await watching.catch(() => {}); // closing the socket ends the loop
  await server.script.stop();
  const failed = results.find((result) => result.code !== 0);
  if (failed) throw new Error(`a bot failed:\n${failed.stderr}`);
  return states.size;
}

function stats(sizes: number[]) {
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  return { mean, min: Math.min(...sizes), max: Math.max(...sizes) };
}

const number = (value: number, lang: "en" | "es", digits = 0) =>
  value.toLocaleString(lang === "en" ? "en-GB" : "es-ES", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

function table(lang: "en" | "es", ticks: number): string {
  const json = stats(rows.json.sizes).mean;
  const head = lang === "en"
    ? ["Encoding", "Mean bytes per tick", "Min", "Max", "Share of JSON", "Ticks measured"]
    : ["Codificación", "Media de bytes por tick", "Mín.", "Máx.", "Frente a JSON", "Ticks medidos"];
  const lines = [
    `| ${head.join(" | ")} |`,
    `| --- | ${head.slice(1).map(() => "---:").join(" | ")} |`,
  ];
  for (const row of Object.values(rows)) {
    const { mean, min, max } = stats(row.sizes);
    const share = `${number((100 * mean) / json, lang, 1)} %`;
    const cells = [row[lang], number(mean, lang, 1), number(min, lang), number(max, lang), share];
    lines.push(`| ${[...cells, number(row.sizes.length, lang)].join(" | ")} |`);
  }
  const note = lang === "en"
    ? `Measured with ${BOTS} bots of ${MOVES} moves each and a tick of ${TICK_MS} ms: ${ticks} ` +
      "ticks. A delta cannot say that a player joined or left, so the delta row counts only " +
      "the ticks where nobody did. Each datagram also carries 28 bytes of IPv4 and UDP headers."
    : `Medido con ${BOTS} bots de ${MOVES} movimientos y un tick de ${TICK_MS} ms: ${ticks} ` +
      "ticks. Un delta no puede decir que un jugador entró o salió, así que la fila del delta " +
      "solo cuenta los ticks en los que nadie lo hizo. Cada datagrama lleva además 28 bytes de " +
      "cabeceras IPv4 y UDP.";
  return `${lines.join("\n")}\n\n${note}\n`;
}

/** A horizontal bar chart of the mean bytes per tick, on a log scale (1 B to about 3 kB). */
function chart(lang: "en" | "es"): string {
  const [left, width, barHeight, gap, top] = [260, 450, 26, 14, 64];
  const x = (bytes: number) => left + (Math.log10(Math.max(bytes, 1)) / 3.5) * width;
  const entries = Object.values(rows).map((row) => ({
    label: row[lang],
    mean: stats(row.sizes).mean,
  }));
  const height = top + entries.length * (barHeight + gap) + 40;
  const title = lang === "en"
    ? "Mean bytes per tick sent to one client (log scale)"
    : "Media de bytes por tick enviados a un cliente (escala logarítmica)";
  const grid = [1, 10, 100, 1000].map((tick) =>
    `<line x1="${x(tick)}" y1="${top - 8}" x2="${x(tick)}" y2="${height - 34}" class="grid"/>` +
    `<text x="${x(tick)}" y="${height - 16}" class="axis">${number(tick, lang)} B</text>`
  );
  const bars = entries.map(({ label, mean }, i) => {
    const y = top + i * (barHeight + gap);
    return `<text x="${left - 10}" y="${y + 18}" class="label">${label}</text>` +
      `<rect x="${left}" y="${y}" width="${
        x(mean) - left
      }" height="${barHeight}" class="bar${i}"/>` +
      `<text x="${x(mean) + 6}" y="${y + 18}" class="value">${number(mean, lang, 1)} B</text>`;
  });
  const colours = ["#b45309", "#ca8a04", "#1d4ed8", "#0891b2", "#15803d", "#7c3aed"];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 ${height}" width="800" ` +
    `height="${height}" role="img" aria-label="${title}">
<style>
text { font: 14px ui-sans-serif, system-ui, sans-serif; fill: #1f2937; }
.title { font-weight: 600; font-size: 16px; }
.label { text-anchor: end; }
.axis { text-anchor: middle; font-size: 12px; fill: #4b5563; }
.value { font-variant-numeric: tabular-nums; }
.grid { stroke: #d1d5db; stroke-width: 1; }
${colours.map((colour, i) => `.bar${i} { fill: ${colour}; }`).join("\n")}
</style>
<rect width="800" height="${height}" rx="8" fill="#ffffff"/>
<text x="24" y="34" class="title">${title}</text>
${grid.join("\n")}
${bars.join("\n")}
</svg>
`;
}

const ticks = await run();
for (const lang of ["en", "es"] as const) {
  const dir = new URL(lang === "en" ? "site/public/" : "site/public/es/", root);
  await Deno.writeTextFile(new URL("game-bytes.md", dir), table(lang, ticks));
  await Deno.writeTextFile(new URL("game-bytes.svg", dir), chart(lang));
}
console.log(table("en", ticks));
