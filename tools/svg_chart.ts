/**
 * A grouped, stacked bar chart as a standalone SVG document: for each group (an x-axis
 * category) one bar per series side by side, each bar split into coloured parts stacked
 * bottom to top, with its total written above it. Enough to compare, say, TCP and UDP
 * bytes per message for several message sizes, with no plotting library.
 *
 * The output is deterministic (same data, same bytes: fit for committing and for a
 * test that it is up to date), has a `<title>` and `<desc>` for screen readers, draws
 * on a light card, and keeps every line short and formatted as `deno fmt` formats SVG.
 *
 * @example A chart of two groups
 * ```ts
 * import assert from "node:assert/strict";
 * import { stackedBarChart } from "./svg_chart.ts";
 *
 * const svg = stackedBarChart({
 *   title: "Bytes per message",
 *   description: "TCP sends more bytes than UDP for the same message.",
 *   yLabel: "bytes",
 *   parts: [{ label: "payload", color: "#4c78a8" }, { label: "headers", color: "#f58518" }],
 *   groups: [
 *     { label: "10-byte message", bars: [{ label: "TCP", values: [10, 66] }, { label: "UDP", values: [10, 42] }] },
 *     { label: "100-byte message", bars: [{ label: "TCP", values: [100, 66] }, { label: "UDP", values: [100, 42] }] },
 *   ],
 * });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes(`<title id="chart-title">Bytes per message</title>`)); // read aloud
 * ```
 *
 * @module
 */

/** One part of every bar: its name in the legend and its colour. */
export interface ChartPartStyle {
  /** Legend text. */
  label: string;
  /** Any SVG colour, e.g. `#4c78a8`. */
  color: string;
}

/** One bar: its label under it and the value of each part, bottom to top. */
export interface ChartBar {
  /** Written under the bar, e.g. `TCP`. */
  label: string;
  /** One value per part of {@linkcode StackedBarChartSpec.parts}, in the same order. */
  values: number[];
}

/** An x-axis category and its bars. */
export interface ChartGroup {
  /** Written under the group's bars. */
  label: string;
  /** The bars, left to right. */
  bars: ChartBar[];
}

/** What {@linkcode stackedBarChart} draws. */
export interface StackedBarChartSpec {
  /** The heading, also the SVG's `<title>`. */
  title: string;
  /** A smaller line under the heading (what was measured, how). */
  subtitle?: string;
  /** A sentence or two for the SVG's `<desc>` (screen readers, search). */
  description: string;
  /** The y axis's label. */
  yLabel: string;
  /** The parts every bar is split into, bottom to top. */
  parts: ChartPartStyle[];
  /** The groups, left to right. */
  groups: ChartGroup[];
  /** Width in pixels (default 760). */
  width?: number;
  /** Height in pixels (default 460). */
  height?: number;
}

/** Escapes text for XML content and attribute values. */
function xml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * `<tag attributes>text</tag>` on one line at `indent`, or with the text on a line of its
 * own when that would pass 100 characters (as `deno fmt` lays it out; SVG ignores the
 * surrounding white space).
 */
function textElement(indent: string, tag: string, attributes: string, text: string): string {
  const open = attributes === "" ? `<${tag}>` : `<${tag} ${attributes}>`;
  const line = `${indent}${open}${xml(text)}</${tag}>`;
  if (line.length <= 100) return line;
  return `${indent}${open}\n${indent}  ${xml(text)}\n${indent}</${tag}>`;
}

/** A number for a coordinate: at most one decimal, no trailing `.0`. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A bar's total as text: whole numbers as they are, others with one decimal. */
function total(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The tick step for an axis up to `max`: 1, 2 or 5 times a power of ten, about 5 ticks. */
function tickStep(max: number): number {
  if (max <= 0) return 1;
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough)!;
}

/**
 * Draws the chart and returns the SVG document as text.
 *
 * @throws {Error} if a bar has another number of values than there are parts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stackedBarChart } from "./svg_chart.ts";
 *
 * const svg = stackedBarChart({
 *   title: "One bar",
 *   description: "A single bar of 3 + 4.",
 *   yLabel: "units",
 *   parts: [{ label: "a", color: "#888" }, { label: "b", color: "#ccc" }],
 *   groups: [{ label: "only", bars: [{ label: "x", values: [3, 4] }] }],
 * });
 * assert.equal(svg.includes(">7</text>"), true); // the bar's total
 * ```
 */
export function stackedBarChart(spec: StackedBarChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 460;
  for (const group of spec.groups) {
    for (const bar of group.bars) {
      if (bar.values.length !== spec.parts.length) {
        throw new Error(
          `bar "${bar.label}" of "${group.label}" has ${bar.values.length} values for ` +
            `${spec.parts.length} parts`,
        );
      }
    }
  }
  const legendRows = Math.ceil(spec.parts.length / 2);
  const legendY = spec.subtitle === undefined ? 48 : 66;
  const top = legendY + legendRows * 20 + 16;
  const [left, right, bottom] = [64, 16, 64];
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const totals = spec.groups.flatMap((g) => g.bars.map((b) => b.values.reduce((s, v) => s + v, 0)));
  const step = tickStep(Math.max(0, ...totals));
  const yMax = Math.max(step, Math.ceil(Math.max(0, ...totals) * 1.08 / step) * step);
  const y = (value: number) => top + plotHeight - (value / yMax) * plotHeight;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}"`,
    `  width="${width}" height="${height}" role="img" aria-labelledby="chart-title chart-desc"`,
    `  font-family="ui-sans-serif, system-ui, sans-serif" font-size="13">`,
    textElement("  ", "title", 'id="chart-title"', spec.title),
    textElement("  ", "desc", 'id="chart-desc"', spec.description),
    `  <rect width="${width}" height="${height}" rx="8" fill="#ffffff" />`,
    textElement("  ", "text", `x="${left}" y="28" font-size="17" font-weight="600"`, spec.title),
  ];
  if (spec.subtitle !== undefined) {
    out.push(textElement("  ", "text", `x="${left}" y="48" fill="#555"`, spec.subtitle));
  }
  spec.parts.forEach((part, i) => {
    const x = left + (i % 2) * (plotWidth / 2);
    const rowY = legendY + Math.floor(i / 2) * 20;
    out.push(
      `  <rect x="${n(x)}" y="${rowY}" width="12" height="12" fill="${part.color}" />`,
      textElement("  ", "text", `x="${n(x + 18)}" y="${rowY + 11}"`, part.label),
    );
  });
  for (let value = 0; value <= yMax; value += step) {
    const lineY = n(y(value));
    out.push(
      `  <line x1="${left}" y1="${lineY}" x2="${width - right}" y2="${lineY}" stroke="#e3e3e3" />`,
      `  <text x="${left - 6}" y="${n(y(value) + 4)}" text-anchor="end">${value}</text>`,
    );
  }
  const axisX = 18;
  const axisY = n(top + plotHeight / 2);
  out.push(
    `  <text x="${axisX}" y="${axisY}" text-anchor="middle"`,
    `    transform="rotate(-90 ${axisX} ${axisY})">${xml(spec.yLabel)}</text>`,
  );

  const groupWidth = plotWidth / Math.max(1, spec.groups.length);
  spec.groups.forEach((group, g) => {
    const count = group.bars.length;
    const barWidth = Math.min(56, (groupWidth * 0.7) / Math.max(1, count));
    const gap = 8;
    const barsWidth = count * barWidth + (count - 1) * gap;
    const firstX = left + g * groupWidth + (groupWidth - barsWidth) / 2;
    group.bars.forEach((bar, b) => {
      const x = n(firstX + b * (barWidth + gap));
      const centre = n(firstX + b * (barWidth + gap) + barWidth / 2);
      let base = 0;
      bar.values.forEach((value, p) => {
        if (value <= 0) return;
        const yTop = y(base + value);
        out.push(
          `  <rect x="${x}" y="${n(yTop)}" width="${n(barWidth)}" height="${n(y(base) - yTop)}"`,
          `    fill="${spec.parts[p].color}" />`,
        );
        base += value;
      });
      out.push(
        `  <text x="${centre}" y="${n(y(base) - 6)}" text-anchor="middle">${total(base)}</text>`,
        `  <text x="${centre}" y="${n(top + plotHeight + 18)}" text-anchor="middle">` +
          `${xml(bar.label)}</text>`,
      );
    });
    out.push(
      `  <text x="${n(left + g * groupWidth + groupWidth / 2)}" y="${n(top + plotHeight + 40)}"`,
      `    text-anchor="middle" font-weight="600">${xml(group.label)}</text>`,
    );
  });
  out.push(
    `  <line x1="${left}" y1="${n(y(0))}" x2="${width - right}" y2="${n(y(0))}" stroke="#555" />`,
    "</svg>",
    "",
  );
  return out.join("\n");
}
