/**
 * The table of the robustness checks: for each server and each hostile peer it met,
 * whether the server stayed up, how soon after the attack's end a good client was
 * served, and the server's largest resident memory during the attack. The checks
 * (`tests/harness/hostile.ts`) write one {@linkcode AttackResult} per attack as a line of
 * JSON; {@linkcode attackTable} renders those lines as Markdown, one table per set of
 * attacks (TCP servers meet other attacks than UDP servers), a row per server and a
 * column per attack.
 *
 * @example One server, two attacks
 * ```ts
 * import assert from "node:assert/strict";
 * import { attackTable } from "./attack_table.ts";
 *
 * const table = attackTable([
 *   { server: "echo.ts", attack: "garbage", stayedUp: true, attackMs: 12, servedDuring: 1, recoveryMs: 28, maxRssMiB: 36 },
 *   { server: "echo.ts", attack: "resets", stayedUp: false, attackMs: 5, servedDuring: 0, recoveryMs: null, maxRssMiB: 40, failed: "it exited" },
 * ]);
 * assert.match(table, /\| server +\| garbage +\| resets +\|/);
 * assert.match(table, /\| echo\.ts +\| ✓ 28 ms, 36 MiB +\| ✗ not served, 40 MiB +\|/);
 * assert.match(table, /echo\.ts, resets: it exited/); // failures are listed under the table
 * ```
 *
 * @module
 */
import { markdownTable } from "./test_report.ts";

/** What one attack did to one server: a line of the file the checks write. */
export interface AttackResult {
  /** The server script's file name. */
  server: string;
  /** The attack's name, e.g. `reset before accept (50)`. */
  attack: string;
  /** Why it did not run, if it did not (then the other numbers are 0). */
  skipped?: string;
  /** Why the check failed on this attack, if it did (the first line of its error). */
  failed?: string;
  /** Whether the server was still running after the attack. */
  stayedUp: boolean;
  /** How long the attack ran, in ms. */
  attackMs: number;
  /** Good exchanges completed while the attack ran. */
  servedDuring: number;
  /** How long after the attack's end a good client was served, in ms; null if it was not. */
  recoveryMs: number | null;
  /** The server's largest resident memory (RSS) during the attack, in MiB. */
  maxRssMiB: number;
}

/** One cell: `✓ 28 ms, 36 MiB`, `✗ not served, 40 MiB`, `skipped` (see the list below it). */
function cell(result: AttackResult | undefined): string {
  if (!result) return "not run";
  if (result.skipped) return "skipped";
  const served = result.recoveryMs === null ? "not served" : `${result.recoveryMs} ms`;
  return `${result.stayedUp ? "✓" : "✗"} ${served}, ${result.maxRssMiB} MiB`;
}

/**
 * The Markdown tables of `results`: servers that met the same attacks share a table, a
 * row each, in the order they come; a cell says whether the server stayed up (✓ or ✗),
 * how soon after the attack a good client was served, and its largest RSS. Skipped
 * attacks and failures are listed under the tables with their reasons.
 */
export function attackTable(results: readonly AttackResult[]): string {
  const byServer = Map.groupBy(results, (result) => result.server);
  const groups = new Map<string, { attacks: string[]; servers: string[] }>();
  for (const [server, own] of byServer) {
    const attacks = [...new Set(own.map((result) => result.attack))];
    const key = [...attacks].sort().join("\n");
    const group = groups.get(key) ?? { attacks, servers: [] };
    group.servers.push(server);
    groups.set(key, group);
  }
  const tables = [...groups.values()].map(({ attacks, servers }) =>
    markdownTable([
      ["server", ...attacks],
      ...servers.map((server) => {
        const own = byServer.get(server)!;
        return [server, ...attacks.map((a) => cell(own.findLast((r) => r.attack === a)))];
      }),
    ])
  );
  const notes = [
    ...results.filter((r) => r.skipped).map((r) =>
      `- skipped: ${r.server}, ${r.attack}: ${r.skipped}`
    ),
    ...results.filter((r) => r.failed).map((r) =>
      `- failed: ${r.server}, ${r.attack}: ${r.failed}`
    ),
  ];
  return [...tables, ...notes.length ? [[...new Set(notes)].join("\n")] : []].join("\n\n");
}
