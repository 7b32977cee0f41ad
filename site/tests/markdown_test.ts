// Unit tests of the site's markdown conventions (the build test covers them end to end).
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTaskHeading } from "../.vitepress/plugins/task-box.ts";
import { hasRegion } from "../.vitepress/plugins/snippets.ts";
import { runLine } from "../.vitepress/plugins/run-command.ts";

Deno.test("site markdown: task box headings in their three forms", () => {
  assert.deepEqual(parseTaskHeading("1.1 TCP echo server and client"), {
    kind: "task",
    number: "1.1",
    title: "TCP echo server and client",
  });
  assert.deepEqual(parseTaskHeading("Deliverable 1 — Sensor telemetry"), {
    kind: "deliverable",
    number: "1",
    title: "Sensor telemetry",
  });
  assert.deepEqual(parseTaskHeading("Optional — Reliable UDP"), {
    kind: "optional",
    number: "",
    title: "Reliable UDP",
  });
  assert.deepEqual(parseTaskHeading("Entregable 1: Telemetría"), {
    kind: "deliverable",
    number: "1",
    title: "Telemetría",
  });
  assert.equal(parseTaskHeading("Something else"), undefined);
  assert.equal(parseTaskHeading("1.1"), undefined, "a title is required");
});

Deno.test("site markdown: regions need both markers, in order", () => {
  const lines = ["a", "  // #region echo", "b", "  // #endregion echo", "// #endregion late"];
  assert.ok(hasRegion(lines, "echo"));
  assert.ok(!hasRegion(lines, "late"), "an end marker alone is no region");
  assert.ok(!hasRegion(lines, "ech"), "names match exactly");
});

Deno.test("site markdown: @run shows the shebang's flags and the arguments as written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "labs"));
    await Deno.writeTextFile(
      join(dir, "labs/send.ts"),
      "#!/usr/bin/env -S deno run --unstable-net --allow-net=127.0.0.1\nconsole.log(1);\n",
    );
    await Deno.writeTextFile(join(dir, "labs/bare.ts"), "console.log(1);\n");
    assert.equal(
      runLine(dir, "labs/send.ts", `"Hello there"`),
      `deno run --unstable-net --allow-net=127.0.0.1 labs/send.ts "Hello there"`,
    );
    assert.equal(
      runLine(dir, "labs/send.ts"),
      "deno run --unstable-net --allow-net=127.0.0.1 labs/send.ts",
    );
    assert.equal(
      runLine(dir, "labs/send.ts", "--host 0.0.0.0", " --allow-net=0.0.0.0"),
      "deno run --unstable-net --allow-net=127.0.0.1 --allow-net=0.0.0.0 labs/send.ts --host 0.0.0.0",
      "extra permission flags follow the shebang's",
    );
    assert.throws(() => runLine(dir, "labs/send.ts", "", "--allow-net"), /--allow-net/);
    assert.throws(() => runLine(dir, "labs/send.ts", "", "--reload"), /--reload/);
    assert.throws(() => runLine(dir, "labs/bare.ts"), /labs\/bare\.ts/);
    assert.throws(() => runLine(dir, "labs/missing.ts"), /script not found: labs\/missing\.ts/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
