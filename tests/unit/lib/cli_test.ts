import assert from "node:assert/strict";
import {
  describeError,
  helpText,
  parseCommandLine,
  parseCount,
  parseMilliseconds,
  parsePort,
  parseProbability,
  UsageError,
  usageLine,
} from "../../../lib/cli.ts";

const spec = {
  summary: "Test script.",
  name: "t.ts",
  options: {
    port: { default: "65432", description: "TCP port" },
    name: { description: "a name", valueName: "WHO" },
    json: { type: "boolean" as const, description: "print JSON" },
  },
  arguments: "[WORD...]",
};

Deno.test("parseCommandLine applies defaults, switches and positionals", () => {
  const parsed = parseCommandLine(spec, ["--json", "hello", "world"]);
  assert.equal(parsed.values.port, "65432");
  assert.equal(parsed.values.name, undefined);
  assert.equal(parsed.values.json, true);
  assert.deepEqual(parsed.positionals, ["hello", "world"]);
  assert.equal(parseCommandLine(spec, ["--port=80"]).values.json, false);
});

Deno.test("helpText lists every flag with its default", () => {
  const text = helpText(spec);
  assert.match(text, /^Test script\.\n\nusage: t\.ts/);
  assert.match(text, /--port PORT\s+TCP port \(default: 65432\)/);
  assert.match(text, /--name WHO\s+a name$/m);
  assert.match(text, /--json\s+print JSON/);
  assert.match(text, /-h, --help/);
});

Deno.test("usageLine names every option of the spec, then the arguments", () => {
  const usage = usageLine(spec);
  assert.equal(usage, "t.ts [--port PORT] [--name WHO] [--json] [WORD...]");
  for (const [name, option] of Object.entries(spec.options)) {
    assert.ok(usage.includes(`[--${name}`), `the usage line leaves out --${name}`);
    if ("valueName" in option) assert.ok(usage.includes(`--${name} ${option.valueName}]`));
  }
  assert.equal(usageLine({ summary: "", name: "bare.ts", options: {} }), "bare.ts");
  assert.match(
    helpText(spec),
    /^usage: t\.ts \[--port PORT\] \[--name WHO\] \[--json\] \[WORD\.\.\.\]$/m,
  );
});

Deno.test("a bad command line ends in one line that quotes the generated usage", async () => {
  const result = await runMainProgram(
    `parseCommandLine({ summary: "", name: "t.ts", options: { json: { type: "boolean", ` +
      `description: "" } } }, ["word"]);`,
  );
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    "error: unexpected argument 'word' (usage: t.ts [--json]; see --help)\n",
  );
});

Deno.test("each kind of bad flag gets its own line, and -h is --help", async () => {
  const small = `{ summary: "S.", name: "t.ts", options: { json: { type: "boolean", ` +
    `description: "" }, port: { default: "1", description: "" } } }`;
  const cases: [string[], number, RegExp][] = [
    [["--color"], 2, /^error: unknown option --color \(usage/],
    [["-x"], 2, /^error: unknown option -x \(usage/],
    [["--port"], 2, /^error: option --port needs a value \(usage/],
    [
      ["--port", "--json"],
      2,
      /^error: option --port needs a value \(for one that starts with "-", write --port=--json\)/,
    ],
    [["--json=yes"], 2, /^error: option --json takes no value \(usage/],
    [["-h"], 0, /^S\.\n\nusage: t\.ts \[--json\] \[--port PORT\]/],
  ];
  await Promise.all(cases.map(async ([args, code, expected]) => {
    const result = await runMainProgram(`parseCommandLine(${small}, ${JSON.stringify(args)});`);
    assert.equal(result.code, code, args.join(" "));
    assert.match(code === 0 ? result.stdout : result.stderr, expected);
  }));
  assert.deepEqual(parseCommandLine(spec, ["--port", "-5", "-2", "--", "-x", "--json"]), {
    values: { port: "-5", name: undefined, json: false },
    positionals: ["-2", "-x", "--json"],
  });
});

Deno.test("parsePort accepts 0 to 65535 and nothing else", () => {
  assert.equal(parsePort("0"), 0);
  assert.equal(parsePort("65535"), 65535);
  for (const bad of ["65536", "-1", "abc", "", "1.5", "0x10", "123456"]) {
    assert.throws(() => parsePort(bad), UsageError, bad);
  }
  assert.throws(() => parsePort("x", "--server-port"), /--server-port must be a whole number/);
});

Deno.test("parseMilliseconds accepts positive numbers only", () => {
  assert.equal(parseMilliseconds("250", "--timeout"), 250);
  assert.equal(parseMilliseconds("0.5", "--timeout"), 0.5);
  for (const bad of ["0", "-5", "abc", "1e3", ""]) {
    assert.throws(() => parseMilliseconds(bad, "--timeout"), /--timeout must be a positive/);
  }
});

Deno.test("describeError gives one actionable line", () => {
  const denied = new Deno.errors.NotCapable(
    'Requires net access to "localhost:65432", run again with the --allow-net flag',
  );
  assert.equal(
    describeError(denied),
    "missing permission: net access to localhost:65432 was not granted (the flags on the " +
      "script's first line allow only what the task needs; add --allow-net=localhost to allow " +
      "this)",
  );
  assert.equal(
    describeError(
      new Deno.errors.NotCapable('Requires all access to "/dev/log", run again with --allow-all'),
    ),
    "missing permission: all access to /dev/log was not granted (Deno opens it only with --allow-all)",
  );
  assert.match(describeError(new Deno.errors.ConnectionReset("x")), /reset by the other side/);
  assert.match(describeError(new Deno.errors.BrokenPipe("x")), /closed the connection/);
  assert.equal(describeError(new Error("first\nsecond")), "first");
  assert.equal(describeError("plain"), "plain");
});

Deno.test("parseCount accepts whole numbers from the minimum up", () => {
  assert.equal(parseCount("20", "--moves"), 20);
  assert.equal(parseCount("0", "--seed", 0), 0);
  for (const bad of ["0", "-1", "2.5", "", "ten", "1e3"]) {
    assert.throws(() => parseCount(bad, "--moves"), /--moves must be a whole number from 1 up/);
  }
});

Deno.test("parseProbability accepts fractions and percentages from 0 to 1", () => {
  assert.equal(parseProbability("0.3", "--loss"), 0.3);
  assert.equal(parseProbability("30%", "--loss"), 0.3);
  assert.equal(parseProbability("0", "--loss"), 0);
  assert.equal(parseProbability("100%", "--loss"), 1);
  for (const bad of ["1.5", "101%", "-0.1", "", "half", "0.3%%", ".5"]) {
    assert.throws(() => parseProbability(bad, "--loss"), /--loss must be a probability/, bad);
  }
});

/** Runs a few lines that use lib/cli.ts in a fresh Deno, as a lab script would. */
async function runMainProgram(body: string) {
  const cli = new URL("../../../lib/cli.ts", import.meta.url).href;
  const program = `import { parseCommandLine, runMain, UsageError } from "${cli}";\n${body}`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", program],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("runMain ends with one line: exit 2 for usage errors, 1 for the rest", async () => {
  const cases: [string, number, string][] = [
    [`await runMain(() => { throw new UsageError("bad flag"); });`, 2, "error: bad flag\n"],
    [
      `await runMain(() => { throw new Error("it broke\\nsecond line"); });`,
      1,
      "error: it broke\n",
    ],
    [
      `await runMain(() => { throw new RangeError("out of range"); }, { usageErrors: [RangeError] });`,
      2,
      "error: out of range\n",
    ],
    [
      `await runMain(() => { Promise.reject(new Error("forgotten")); return new Promise(() => {}); });`,
      1,
      "error: forgotten\n",
    ],
    [`await runMain(() => console.log("fine"));`, 0, ""],
  ];
  for (const [body, code, stderr] of cases) {
    const result = await runMainProgram(body);
    assert.equal(result.code, code, body);
    assert.equal(result.stderr, stderr, body);
  }
});
