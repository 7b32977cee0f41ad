#!/usr/bin/env -S deno run
/**
 * Task 3.5 — where compression helps and where it does not.
 *
 * zlib finds repeated byte sequences and codes frequent bytes in fewer bits, so text with
 * structure (JSON, logs, this file) shrinks a lot. A few bytes have too little to find and
 * grow by zlib's 6 bytes of header and checksum; random bytes have no pattern at all; and
 * data that is already compressed (JPEG, PNG, a zip, the output of zlib itself) looks
 * random, so compressing it again only adds bytes.
 *
 * Run: ./labs/lab3/compression_ratios.ts
 *      ./labs/lab3/compression_ratios.ts --level 9
 */
import { deflateSync, inflateSync } from "node:zlib";
import { parseCommandLine, parseCount, runMain, UsageError } from "../../lib/cli.ts";
import { equals, utf8Encode } from "../../lib/bytes.ts";

const { values } = parseCommandLine({
  summary: "Compresses sample data with zlib and prints the sizes and ratios.",
  options: { level: { default: "6", description: "compression level: 0 none, 1 fast, 9 best" } },
});

/** 200 sensor readings as JSON text: the kind of payload Lab 1's deliverable sends. */
function sensorReadings(): Uint8Array {
  const readings = Array.from({ length: 200 }, (_, i) => ({
    sensor: `room-${i % 4}`,
    time: 1_700_000_000 + i * 30,
    celsius: Number((21 + 3 * Math.sin(i / 15)).toFixed(2)),
    door_open: i % 17 === 0,
  }));
  return utf8Encode(JSON.stringify(readings));
}

await runMain(() => {
  const level = parseCount(values.level, "--level", 0);
  if (level > 9) throw new UsageError("--level must be 0..9");
  const json = sensorReadings();
  const samples: [name: string, data: Uint8Array][] = [
    ["the lecture's 'This is a test'", utf8Encode("This is a test")],
    ["200 sensor readings as JSON", json],
    ["4 KiB of random bytes", crypto.getRandomValues(new Uint8Array(4096))],
    ["the JSON, already compressed", deflateSync(json, { level: 9 })],
  ];
  console.log(`zlib level ${level}`);
  console.log("sample                            original  compressed  compressed/original");
  // #region measure
  for (const [name, original] of samples) {
    const compressed = deflateSync(original, { level });
    if (!equals(inflateSync(compressed), original)) throw new Error(`${name}: round trip failed`);
    const ratio = (100 * compressed.length / original.length).toFixed(1);
    console.log(
      `${name.padEnd(32)} ${`${original.length} B`.padStart(9)} ` +
        `${`${compressed.length} B`.padStart(11)}  ${ratio.padStart(6)} %`,
    );
  }
  // #endregion measure
});
