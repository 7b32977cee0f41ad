/**
 * Deliverable 1 — the chart of `traffic_report.ts --svg`: bytes on the wire per reading,
 * TCP against UDP, one group of bars per reading size found in the capture, each bar
 * split into the application's payload, the headers of the packets that carry it, pure
 * ACKs, and the handshake and teardown shared by the connection's readings.
 *
 * @module
 */
import { stackedBarChart } from "../svg_chart.ts";
import { type Analysis, CHART_PARTS, type ChartPart, chartPoints } from "./traffic_analysis.ts";

const PART_ORDER: ChartPart[] = ["payload", "headers", "acks", "setup"];
const COLORS: Record<ChartPart, string> = {
  payload: "#4c78a8",
  headers: "#f58518",
  acks: "#e45756",
  setup: "#9d755d",
};

/** The languages the chart can be labelled in. */
export type ChartLanguage = "en" | "es";

/** The chart's words in each language of the site. */
const TEXT = {
  en: {
    title: "Bytes on the wire per reading: TCP and UDP",
    subtitle: (perConnection: string) =>
      `From a capture${perConnection}. A bar: one reading and its response.`,
    perConnection: (count: number) => `, ${count} readings per TCP connection`,
    yLabel: "bytes on the wire per reading",
    group: (size: number) => `${size}-byte reading`,
    bar: (transport: string, bytes: string, size: number) =>
      `${transport} ${bytes} bytes for a ${size}-byte reading`,
    description: (bars: string) => `Measured on a capture: ${bars}.`,
    empty: "The capture holds no readings.",
    parts: CHART_PARTS,
  },
  es: {
    title: "Bytes en la red por lectura: TCP y UDP",
    subtitle: (perConnection: string) =>
      `De una captura${perConnection}. Una barra: una lectura y su respuesta.`,
    perConnection: (count: number) => `, ${count} lecturas por conexión TCP`,
    yLabel: "bytes en la red por lectura",
    group: (size: number) => `lectura de ${size} bytes`,
    bar: (transport: string, bytes: string, size: number) =>
      `${transport} ${bytes} bytes por una lectura de ${size} bytes`,
    description: (bars: string) => `Medido en una captura: ${bars}.`,
    empty: "La captura no tiene lecturas.",
    parts: {
      payload: "carga útil (lectura + respuesta)",
      headers: "cabeceras de los paquetes que la llevan",
      acks: "ACK puros",
      setup: "establecimiento + cierre (TCP, compartidos)",
    },
  },
} satisfies Record<ChartLanguage, unknown>;

/** The chart of `analysis` as an SVG document, labelled in `language`. */
export function overheadChart(analysis: Analysis, language: ChartLanguage = "en"): string {
  const text = TEXT[language];
  const points = chartPoints(analysis);
  const sizes = [...new Set(points.map((p) => p.readingSize))].sort((a, b) => a - b);
  const perConnection = points.filter((p) => p.transport === "TCP").map((p) =>
    p.readings / p.flows
  );
  const sameCount = perConnection.length > 0 &&
    perConnection.every((count) => count === perConnection[0]);
  const bars = points.map((p) => {
    const sum = PART_ORDER.reduce((s, part) => s + p.parts[part], 0);
    return text.bar(p.transport, sum.toFixed(1), p.readingSize);
  });
  return stackedBarChart({
    title: text.title,
    subtitle: text.subtitle(sameCount ? text.perConnection(perConnection[0]) : ""),
    description: points.length === 0 ? text.empty : text.description(bars.join("; ")),
    yLabel: text.yLabel,
    parts: PART_ORDER.map((part) => ({ label: text.parts[part], color: COLORS[part] })),
    groups: sizes.map((size) => ({
      label: text.group(size),
      bars: points.filter((p) => p.readingSize === size).map((p) => ({
        label: p.transport,
        values: PART_ORDER.map((part) => p.parts[part]),
      })),
    })),
  });
}
