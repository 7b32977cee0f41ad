/**
 * Tables made from tests: some tests append what they measured, one JSON value a line,
 * to the file an environment variable names (`HOSTILE_REPORT` for the robustness
 * checks, `FUZZ_REPORT` for the fuzz tests). {@linkcode testWithReport} runs `deno test`
 * with that variable set to a fresh file and resolves to what the tests wrote there, for
 * `attack_report.ts` and `fuzz_report.ts` to print as tables
 * ({@linkcode markdownTable}).
 *
 * @module
 */

/**
 * A Markdown table of `rows` (the first is the header), each column padded to its widest
 * cell as `deno fmt` pads it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownTable } from "./test_report.ts";
 *
 * assert.equal(markdownTable([["a", "bb"], ["✓", "c"]]), "| a   | bb  |\n| --- | --- |\n| ✓   | c   |");
 * ```
 */
export function markdownTable(rows: string[][]): string {
  const width = (text: string) => [...text].length; // ✓ is one character, three bytes
  const widths = rows[0].map((_, i) => Math.max(3, ...rows.map((row) => width(row[i]))));
  const line = (row: string[]) =>
    `| ${row.map((text, i) => text + " ".repeat(widths[i] - width(text))).join(" | ")} |`;
  const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}

/**
 * The JSON values of `text`, one a line (blank lines are skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLines } from "./test_report.ts";
 *
 * assert.deepEqual(jsonLines('{"a":1}\n\n[2]\n'), [{ a: 1 }, [2]]);
 * ```
 */
export function jsonLines<Result>(text: string): Result[] {
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

/** What {@linkcode testWithReport} resolves to. */
export interface TestReport<Result> {
  /** The exit code of `deno test`: 0 when every test passed. */
  code: number;
  /** The values the tests appended to the file, in their order. */
  results: Result[];
}

/**
 * Runs `deno test` with `args` in `cwd` (its output goes to ours), the environment
 * variable `variable` naming a fresh temporary file; resolves to the exit code and the
 * JSON values the tests appended to that file, one a line. The file is removed.
 *
 * @example A test that reports a number
 * ```ts
 * import assert from "node:assert/strict";
 * import { testWithReport } from "./test_report.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/one_test.ts`,
 *   `Deno.test("one", () => Deno.writeTextFileSync(Deno.env.get("MY_REPORT")!, '{"n":1}\\n', { append: true }));`,
 * );
 * const args = ["--quiet", "--no-config", "--allow-env=MY_REPORT", "--allow-write"];
 * const { code, results } = await testWithReport("MY_REPORT", [...args, "one_test.ts"], dir);
 * assert.equal(code, 0);
 * assert.deepEqual(results, [{ n: 1 }]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function testWithReport<Result>(
  variable: string,
  args: string[],
  cwd: string,
): Promise<TestReport<Result>> {
  const file = await Deno.makeTempFile({ prefix: "test-report-", suffix: ".jsonl" });
  try {
    const test = new Deno.Command(Deno.execPath(), {
      args: ["test", ...args],
      cwd,
      env: { [variable]: file },
      stdout: "inherit",
      stderr: "inherit",
    });
    const { code } = await test.output();
    return { code, results: jsonLines(await Deno.readTextFile(file)) };
  } finally {
    await Deno.remove(file);
  }
}
