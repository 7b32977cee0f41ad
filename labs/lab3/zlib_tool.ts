#!/usr/bin/env -S deno run
/**
 * Task 3.5 — compress or decompress standard input to standard output, in the zlib format
 * (RFC 1950) that Python's `zlib.compress` and `zlib.decompress` use.
 *
 * `node:zlib` is the same zlib library Python wraps. Decompressing checks the stream's
 * end and its Adler-32 checksum, so data that was cut short or corrupted is refused
 * rather than returned incomplete. Compression works on bytes, like sockets do: text must
 * be encoded first.
 *
 * Run: ./labs/lab3/zlib_tool.ts compress < labs/lab3/zlib_tool.ts > /tmp/x.z
 *      ./labs/lab3/zlib_tool.ts decompress < /tmp/x.z
 */
import { deflateSync, inflateSync } from "node:zlib";
import { parseCommandLine, parseCount, runMain, UsageError } from "../../lib/cli.ts";
import { writeAll } from "../../lib/framing.ts";

const { values, positionals } = parseCommandLine({
  summary: "Compresses or decompresses stdin to stdout in the zlib format (Python's zlib).",
  options: { level: { default: "6", description: "compression level: 0 none, 1 fast, 9 best" } },
  arguments: "compress|decompress < INPUT > OUTPUT",
});

await runMain(async () => {
  const mode = positionals[0];
  if (positionals.length !== 1 || (mode !== "compress" && mode !== "decompress")) {
    throw new UsageError('say "compress" or "decompress"');
  }
  const level = parseCount(values.level, "--level", 0);
  if (level > 9) throw new UsageError("--level must be 0..9");
  const input = await new Response(Deno.stdin.readable).bytes();
  // #region zlib
  let output: Uint8Array;
  if (mode === "compress") {
    output = deflateSync(input, { level });
  } else {
    try {
      output = inflateSync(input);
    } catch (error) {
      throw new Error(`not valid zlib data: ${(error as Error).message}`);
    }
  }
  // #endregion zlib
  await writeAll(Deno.stdout, output);
});
