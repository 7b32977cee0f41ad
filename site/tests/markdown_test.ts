// Unit tests of the site's markdown conventions (the build test covers them end to end).
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTaskHeading } from "../.vitepress/plugins/task-box.ts";
import { hasRegion } from "../.vitepress/plugins/snippets.ts";
import { runCommandPlugin, runLine } from "../.vitepress/plugins/run-command.ts";

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

/**
 * VitePress's own markdown renderer with our plugins (VitePress keeps one renderer per process,
 * so this is made once), rendering as the page at `relativePath`.
 */
async function renderer() {
  const { createMarkdownRenderer } = await import("vitepress");
  const { inlineCommandsPlugin } = await import("../.vitepress/plugins/inline-commands.ts");
  const { rawContainersPlugin } = await import("../.vitepress/plugins/raw-containers.ts");
  const { snippetsPlugin } = await import("../.vitepress/plugins/snippets.ts");
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  const md = await createMarkdownRenderer(join(repoRoot, "site"), {
    config(md) {
      snippetsPlugin(md, repoRoot);
      runCommandPlugin(md, repoRoot);
      inlineCommandsPlugin(md);
      rawContainersPlugin(md);
    },
  });
  return (markdown: string, relativePath = "lab3/task-3-1.md") =>
    md.render(markdown, { relativePath, path: join(repoRoot, "site", relativePath) });
}

/**
 * A test that renders with VitePress: its renderer (Shiki's highlighter) opens a message port it
 * never closes, not ours, in whichever of these tests runs first; so these tests leave Deno's
 * resource and op sanitizers off.
 */
function rendererTest(name: string, fn: () => Promise<void>) {
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });
}

rendererTest(
  "site markdown: a missing file, region or script fails, naming page and path",
  async () => {
    const render = await renderer();
    for (
      const [line, named] of [
        [
          "<<< @/../labs/lab1/no_such_script.ts",
          "code snippet file not found: labs/lab1/no_such_script.ts",
        ],
        [
          "<<< @/../labs/lab1/tcp_echo_server.ts#no-such-region",
          '"#no-such-region" not found in labs/lab1/tcp_echo_server.ts',
        ],
        ["@run labs/lab1/no_such_script.ts", "script not found: labs/lab1/no_such_script.ts"],
      ]
    ) {
      assert.throws(() => render(`# Broken\n\n${line}\n`, "broken.md"), (error: Error) => {
        assert.ok(error.message.includes("site/broken.md"), error.message);
        assert.ok(error.message.includes(named), error.message);
        return true;
      });
    }
    // And a listing that exists renders, captioned with its path.
    assert.match(
      render("<<< @/../labs/lab1/tcp_echo_server.ts#echo\n", "lab1/task-1-1.md"),
      /<div class="snippet" data-src="labs\/lab1\/tcp_echo_server.ts" data-region="echo">/,
    );
  },
);

rendererTest(
  "site markdown: a container that deno fmt ran into its text fails the build",
  async () => {
    const render = await renderer();
    const kept = render("::: warning A long title\n\nThe text.\n\n:::\n");
    assert.match(
      kept,
      /<div class="warning custom-block"><p class="custom-block-title">A long title/,
    );
    // What deno fmt made of Lab 3's callouts: the title line runs on into the text.
    assert.throws(
      () => render("::: warning A long title The text,\nreflowed into one paragraph. :::\n"),
      /site\/lab3\/task-3-1\.md: a literal ":::"/,
    );
    assert.throws(() => render("::: tip Title and text. :::\n"), /a literal ":::"/, "on one line");
    assert.throws(() => render("Some text\n:::\n"), /a literal ":::"/, "a stray closing line");
    assert.doesNotThrow(() => render("Write `:::` to close a box.\n"), "inline code is fine");
  },
);

rendererTest(
  "site markdown: inline commands get a copy button in the page's language",
  async () => {
    const render = await renderer();
    const html = render("Run `deno task grade --task 1.1` and `ls -l`.\n");
    assert.match(
      html,
      /<span class="inline-command"><code>deno task grade --task 1\.1<\/code><button type="button" class="copy-inline" title="Copy the command: deno task grade --task 1\.1" aria-label="Copy the command: deno task grade --task 1\.1" data-copied="Copied"><\/button><\/span>/,
    );
    assert.equal(html.match(/copy-inline/g)?.length, 1, "`ls -l` is not a course command");
    assert.match(render("Then `./labs/lab1/udp_sender.ts hi`.\n", "es/lab1.md"), /Copiar la orden/);
    assert.doesNotMatch(render("## Running `deno task serve`\n"), /copy-inline/, "not in headings");
  },
);
