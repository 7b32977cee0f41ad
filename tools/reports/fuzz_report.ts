/**
 * The fuzz table: runs the fuzz test of every decoder (`tests/unit/fuzz/`) with many
 * inputs, 1,000,000 each unless `--inputs` says otherwise, and `FUZZ_REPORT` naming a
 * file to which each test appends what it found; each test prints its findings as it
 * ends, and this prints them all as one Markdown table (`fuzz_table.ts`): a decoder a
 * row, with its inputs, round trips, distinct errors and the median time for 1 MiB of
 * its slowest shape.
 *
 * Run with `deno task fuzz` (`--inputs N`, `--seed S`). Exits non-zero when a fuzz test
 * failed, after printing the table of the others.
 *
 * @module
 */
import { parseCommandLine, parseCount, runMain } from "../../lib/cli.ts";
import { type FuzzReport, fuzzTable } from "./fuzz_table.ts";
import { testWithReport } from "./test_report.ts";

const { values } = parseCommandLine({
  summary: "Runs every decoder's fuzz test with many inputs and prints the table.",
  options: {
    inputs: { default: "1000000", valueName: "N", description: "hostile inputs per decoder" },
    seed: { valueName: "S", description: "seed of the inputs (default: the tests' own)" },
  },
});

await runMain(async () => {
  const inputs = parseCount(values.inputs, "--inputs");
  const seed = values.seed === undefined
    ? []
    : ["--seed", String(parseCount(values.seed, "--seed", 0))];
  const args = [
    "-P=checks",
    "--unstable-net",
    "tests/unit/fuzz/",
    "--",
    "--inputs",
    String(inputs),
    ...seed,
  ];
  const root = new URL("../../", import.meta.url).pathname;
  const { code, results } = await testWithReport<FuzzReport>("FUZZ_REPORT", args, root);
  const [one, five, fifteen] = Deno.loadavg().map((load) => load.toFixed(2));
  console.log(
    `\nFuzz tests (${new Date().toISOString().slice(0, 16)}Z, ${navigator.hardwareConcurrency} ` +
      `cores, load ${one} ${five} ${fifteen}): inputs and round trips per decoder, and the ` +
      `median of 5 runs on 1 MiB of its slowest shape.\n`,
  );
  console.log(fuzzTable(results));
  if (code !== 0) throw new Error(`a fuzz test failed (deno test exited ${code})`);
});
