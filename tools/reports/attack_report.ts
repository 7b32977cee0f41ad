/**
 * The robustness table: runs every lab's robustness checks (`tests/checks/labN/
 * robustness_test.ts`, one `deno test` run, one check at a time so that the servers do
 * not compete with each other for the machine) with `HOSTILE_REPORT` naming a file, to
 * which the hostile-peer harness appends what each attack did; then prints that file as
 * the Markdown tables of `attack_table.ts`: server × attack, whether the server stayed
 * up, how soon after the attack a good client was served, and its largest RSS.
 *
 * Run with `deno task attack-report` (`--lab N` for one lab, `--from FILE` to print a
 * file written before). Exits non-zero when a check failed, after printing the table.
 *
 * @module
 */
import { parseCommandLine, parseCount, runMain } from "../../lib/cli.ts";
import { type AttackResult, attackTable } from "./attack_table.ts";
import { jsonLines, testWithReport } from "./test_report.ts";

const { values } = parseCommandLine({
  summary: "Runs the robustness checks and prints the table of server × attack.",
  options: {
    lab: { valueName: "N", description: "only the servers of Lab N" },
    from: { valueName: "FILE", description: "print the results in FILE instead of running" },
  },
});

const root = new URL("../../", import.meta.url);

/** The robustness check files, one per lab (or Lab `lab`'s only). */
async function checkFiles(lab: number | undefined): Promise<string[]> {
  const files = [];
  for await (const entry of Deno.readDir(new URL("tests/checks/", root))) {
    const file = `tests/checks/${entry.name}/robustness_test.ts`;
    if (lab !== undefined && entry.name !== `lab${lab}`) continue;
    if (entry.isDirectory && await Deno.stat(new URL(file, root)).then(() => true, () => false)) {
      files.push(file);
    }
  }
  if (files.length === 0) throw new Error(`no robustness checks for lab ${lab}`);
  return files.sort();
}

await runMain(async () => {
  const lab = values.lab === undefined ? undefined : parseCount(values.lab, "--lab");
  let code = 0;
  let results: AttackResult[];
  if (values.from !== undefined) {
    results = jsonLines(await Deno.readTextFile(values.from));
  } else {
    const flags = ["-P=checks", "--unstable-net", "--sanitize-ops", "--sanitize-resources"];
    const files = await checkFiles(lab);
    ({ code, results } = await testWithReport<AttackResult>(
      "HOSTILE_REPORT",
      [...flags, ...files],
      root.pathname,
    ));
  }
  const [one, five, fifteen] = Deno.loadavg().map((load) => load.toFixed(2));
  console.log(
    `\nRobustness of the reference servers (${new Date().toISOString().slice(0, 16)}Z, ` +
      `${navigator.hardwareConcurrency} cores, load ${one} ${five} ${fifteen}). A cell: ` +
      `stayed up (✓/✗), good client served this long after the attack's end, largest RSS ` +
      `during the attack.\n`,
  );
  console.log(attackTable(results));
  if (code !== 0) throw new Error(`the robustness checks failed (deno test exited ${code})`);
});
