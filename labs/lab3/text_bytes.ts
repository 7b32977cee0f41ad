#!/usr/bin/env -S deno run
/**
 * Task 3.1 — strings and bytes: what a text becomes on the wire.
 *
 * A string is a row of characters; a socket carries a row of bytes. Encoding (UTF-8 here,
 * Python's `text.encode()`) turns one into the other. ASCII characters take one byte each;
 * other characters take two to four, so the byte count can exceed the character count.
 * The hex dump is what `tcpdump -X` or Wireshark show in a packet's payload.
 *
 * Run: ./labs/lab3/text_bytes.ts                       ("Hello World")
 *      ./labs/lab3/text_bytes.ts "¡Hola, señor! 日本"
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { hexdump, reprBytes, utf8Encode } from "../../lib/bytes.ts";

const { positionals } = parseCommandLine({
  summary: "Shows the characters of a text and the UTF-8 bytes that go on the wire.",
  options: {},
  arguments: "[TEXT]",
});

await runMain(() => {
  const text = positionals.length > 0 ? positionals.join(" ") : "Hello World";
  // #region bytes
  const characters = [...text]; // by code point, so "日" is one character
  const bytes = utf8Encode(text);
  console.log(`text: ${JSON.stringify(text)} (${characters.length} characters)`);
  console.log(`characters: [${characters.map((c) => `'${c}'`).join(", ")}]`);
  console.log(`bytes (UTF-8): [${bytes.join(", ")}] (${bytes.length} bytes)`);
  console.log(`as Python shows them: ${reprBytes(bytes)}`);
  // #endregion bytes
  console.log("on the wire (hexdump -C):");
  console.log(hexdump(bytes));
  // #region per-character
  console.log("character  code point  UTF-8 bytes");
  for (const character of characters) {
    const codePoint = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    const encoded = Array.from(utf8Encode(character), (b) => b.toString(16).padStart(2, "0"));
    console.log(`${character.padEnd(9)}  U+${codePoint.padEnd(8)}  ${encoded.join(" ")}`);
  }
  // #endregion per-character
});
