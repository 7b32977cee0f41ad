/**
 * Bytes and hex: helpers for working with raw binary data (`Uint8Array`).
 *
 * Network protocols move bytes, not strings. This module gathers the small
 * operations lab scripts need on byte arrays — joining, comparing and
 * searching them, converting to and from hexadecimal, and displaying them
 * the way familiar tools do (`hexdump -C`, Python's `repr(bytes)`) — plus
 * shared UTF-8 encoding and decoding.
 *
 * @example Build a message, show it, and find its line ending
 * ```ts
 * import assert from "node:assert/strict";
 * import { concat, hexlify, indexOf, reprBytes, utf8Encode } from "./bytes.ts";
 *
 * const message = concat(utf8Encode("HELLO"), new Uint8Array([0x0d, 0x0a]));
 * assert.equal(reprBytes(message), "b'HELLO\\r\\n'");
 * assert.equal(hexlify(message, " "), "48 45 4c 4c 4f 0d 0a");
 * assert.equal(indexOf(message, utf8Encode("\r\n")), 5);
 * ```
 *
 * @module
 */

/**
 * Joins byte arrays into one new array, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concat } from "./bytes.ts";
 *
 * assert.deepEqual(concat(new Uint8Array([1, 2]), new Uint8Array([3])), new Uint8Array([1, 2, 3]));
 * ```
 */
export function concat(...chunks: Uint8Array[]): Uint8Array {
  const totalLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const result = new Uint8Array(totalLength);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}

/**
 * Reports whether two byte arrays have the same length and contents.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equals } from "./bytes.ts";
 *
 * assert.equal(equals(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * assert.equal(equals(new Uint8Array([1, 2]), new Uint8Array([1])), false);
 * ```
 */
export function equals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compare(a, b) === 0;
}

/**
 * Compares two byte arrays lexicographically, like Python compares `bytes`:
 * the first differing byte decides, and a proper prefix sorts first.
 * Returns -1 if `a` sorts before `b`, 0 if they are equal, 1 otherwise, so it
 * can be passed straight to `Array.prototype.sort`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare } from "./bytes.ts";
 *
 * assert.equal(compare(new Uint8Array([1, 2]), new Uint8Array([1, 3])), -1);
 * assert.equal(compare(new Uint8Array([1, 2]), new Uint8Array([1])), 1);
 * assert.equal(compare(new Uint8Array([]), new Uint8Array([])), 0);
 * ```
 */
export function compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const commonLength = Math.min(a.length, b.length);
  for (let i = 0; i < commonLength; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return Math.sign(a.length - b.length) as -1 | 0 | 1;
}

/**
 * Finds the first occurrence of `needle` in `haystack` at or after
 * `fromIndex`, returning its position or -1 if absent. Follows Python's
 * `bytes.find(needle, start)`: a negative `fromIndex` counts from the end
 * (clamped to 0), an empty needle is found at the (clamped) start position,
 * and a start beyond the end finds nothing, not even an empty needle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexOf } from "./bytes.ts";
 *
 * const data = new Uint8Array([1, 2, 3, 1, 2, 3]);
 * assert.equal(indexOf(data, new Uint8Array([2, 3])), 1);
 * assert.equal(indexOf(data, new Uint8Array([2, 3]), 2), 4);
 * assert.equal(indexOf(data, new Uint8Array([4])), -1);
 * assert.equal(indexOf(data, new Uint8Array([]), -2), 4);
 * ```
 *
 * @throws {RangeError} If `fromIndex` is not an integer.
 */
export function indexOf(haystack: Uint8Array, needle: Uint8Array, fromIndex = 0): number {
  if (!Number.isInteger(fromIndex)) {
    throw new RangeError(`fromIndex must be an integer, got ${fromIndex}`);
  }
  const start = fromIndex < 0 ? Math.max(0, haystack.length + fromIndex) : fromIndex;
  const lastStart = haystack.length - needle.length;
  for (let i = start; i <= lastStart; i++) {
    if (startsWithAt(haystack, needle, i)) return i;
  }
  return -1;
}

function startsWithAt(haystack: Uint8Array, needle: Uint8Array, position: number): boolean {
  for (let j = 0; j < needle.length; j++) {
    if (haystack[position + j] !== needle[j]) return false;
  }
  return true;
}

/** Two-digit lower-case hex for every byte value, built once. */
const HEX_PAIRS: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => byte.toString(16).padStart(2, "0"),
);

/**
 * Converts bytes to lower-case hexadecimal, two digits per byte, with `sep`
 * between bytes — like Python's `bytes.hex(sep)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexlify } from "./bytes.ts";
 *
 * assert.equal(hexlify(new Uint8Array([0xde, 0xad, 0x01])), "dead01");
 * assert.equal(hexlify(new Uint8Array([0xde, 0xad, 0x01]), ":"), "de:ad:01");
 * ```
 */
export function hexlify(bytes: Uint8Array, sep = ""): string {
  return Array.from(bytes, (byte) => HEX_PAIRS[byte]).join(sep);
}

/**
 * Converts hexadecimal text to bytes, like Python's `bytes.fromhex`. Digits
 * may be upper or lower case, and ASCII whitespace is allowed between byte
 * pairs (but not inside a pair).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unhexlify } from "./bytes.ts";
 *
 * assert.deepEqual(unhexlify("DEad01"), new Uint8Array([0xde, 0xad, 0x01]));
 * assert.deepEqual(unhexlify("de ad\n01"), new Uint8Array([0xde, 0xad, 0x01]));
 * ```
 *
 * @throws {Error} On a non-hex character or a digit without its pair; the
 * message names the offending position, in Python's wording, e.g.
 * `non-hexadecimal number found in fromhex() arg at position 3`.
 */
export function unhexlify(hex: string): Uint8Array {
  const result: number[] = [];
  let position = 0;
  while (position < hex.length) {
    if (isAsciiWhitespace(hex[position])) {
      position++;
      continue;
    }
    const high = hexDigitAt(hex, position);
    if (position + 1 === hex.length) {
      throw new Error(
        "fromhex() arg must contain an even number of hexadecimal digits " +
          `(digit at position ${position} has no pair)`,
      );
    }
    const low = hexDigitAt(hex, position + 1);
    result.push(high * 16 + low);
    position += 2;
  }
  return new Uint8Array(result);
}

function hexDigitAt(hex: string, position: number): number {
  const char = hex[position];
  if (!/^[0-9a-fA-F]$/.test(char)) {
    throw new Error(`non-hexadecimal number found in fromhex() arg at position ${position}`);
  }
  return parseInt(char, 16);
}

/** The characters Python's `bytes.fromhex` skips: space, \t, \n, \v, \f, \r. */
function isAsciiWhitespace(char: string): boolean {
  return " \t\n\v\f\r".includes(char);
}

/** Printable ASCII (space to tilde) is shown as itself; everything else is escaped or dotted. */
function isPrintableAscii(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

const HEXDUMP_BYTES_PER_LINE = 16;
/** Width of the hex column: 16 × "xx " plus the extra space between the two groups of 8, plus one. */
const HEXDUMP_HEX_COLUMN_WIDTH = 50;

/**
 * Formats bytes in the canonical layout of `hexdump -C`: an 8-digit hex
 * offset, 16 bytes in hex split into two groups of 8, and the same bytes as
 * ASCII between `|…|` with `.` for non-printable bytes. A run of identical
 * 16-byte lines is collapsed into a single `*` line, and a final line gives
 * the total length. The result equals the output of `hexdump -C` without
 * its trailing newline (so empty input gives `""`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexdump, utf8Encode } from "./bytes.ts";
 *
 * assert.equal(
 *   hexdump(utf8Encode("Hello\n")),
 *   "00000000  48 65 6c 6c 6f 0a                                 |Hello.|\n" +
 *     "00000006",
 * );
 * ```
 */
export function hexdump(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const lines: string[] = [];
  let previousLine: Uint8Array | undefined;
  let squeezing = false;
  for (let offset = 0; offset < bytes.length; offset += HEXDUMP_BYTES_PER_LINE) {
    const line = bytes.subarray(offset, offset + HEXDUMP_BYTES_PER_LINE);
    if (previousLine !== undefined && equals(line, previousLine)) {
      if (!squeezing) lines.push("*");
      squeezing = true;
      continue;
    }
    lines.push(formatHexdumpLine(offset, line));
    previousLine = line;
    squeezing = false;
  }
  lines.push(formatHexdumpOffset(bytes.length));
  return lines.join("\n");
}

function formatHexdumpOffset(offset: number): string {
  return offset.toString(16).padStart(8, "0");
}

function formatHexdumpLine(offset: number, line: Uint8Array): string {
  const hexColumn = Array.from(line, (byte, i) => HEX_PAIRS[byte] + (i === 7 ? "  " : " "))
    .join("");
  const asciiColumn = Array.from(
    line,
    (byte) => isPrintableAscii(byte) ? String.fromCharCode(byte) : ".",
  )
    .join("");
  return `${formatHexdumpOffset(offset)}  ${
    hexColumn.padEnd(HEXDUMP_HEX_COLUMN_WIDTH)
  }|${asciiColumn}|`;
}

/** Python's short escapes for control bytes in `repr(bytes)`. */
const REPR_ESCAPES: Readonly<Record<number, string>> = {
  0x09: "\\t",
  0x0a: "\\n",
  0x0d: "\\r",
  0x5c: "\\\\",
};

/**
 * Formats bytes exactly like Python's `repr(bytes)`, e.g. `b'Hello'`.
 * Printable ASCII appears as itself; `\t`, `\n`, `\r` and `\\` use short
 * escapes; other bytes appear as `\xhh`. Like Python, the literal is wrapped
 * in double quotes when the data contains `'` but no `"`, and otherwise in
 * single quotes (escaping any `'`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reprBytes, utf8Encode } from "./bytes.ts";
 *
 * assert.equal(reprBytes(utf8Encode("Hello, world")), "b'Hello, world'");
 * assert.equal(reprBytes(new Uint8Array([0, 1, 0x0a])), "b'\\x00\\x01\\n'");
 * assert.equal(reprBytes(utf8Encode("it's")), `b"it's"`);
 * ```
 */
export function reprBytes(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const body = Array.from(bytes, (byte) => reprByte(byte, quote)).join("");
  return `b${quote}${body}${quote}`;
}

/**
 * Like {@linkcode reprBytes}, but at most `limit` bytes are shown, followed by how many
 * more there are: a server that logs what it receives stays readable for 1 MiB.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { previewBytes, utf8Encode } from "./bytes.ts";
 *
 * assert.equal(previewBytes(utf8Encode("Hello")), "b'Hello'");
 * assert.equal(
 *   previewBytes(new Uint8Array(100), 4),
 *   "b'\\x00\\x00\\x00\\x00' … (96 more bytes)",
 * );
 * ```
 */
export function previewBytes(bytes: Uint8Array, limit = 64): string {
  if (bytes.length <= limit) return reprBytes(bytes);
  return `${reprBytes(bytes.subarray(0, limit))} … (${bytes.length - limit} more bytes)`;
}

/**
 * Untrusted text, such as a line or a datagram a peer sent, made safe for one line of a
 * log: every character that could act on a terminal or forge a line (control characters,
 * with escape and newline among them; DEL, the C1 controls, the line and paragraph
 * separators and the bidirectional overrides) is written as an escape (`\n`, `\x1b`,
 * `\u202e`), and text longer than `limit` characters is cut, with its size in bytes.
 * Bytes are decoded as UTF-8 first (invalid sequences become U+FFFD); only about the
 * first `limit` characters' worth is decoded, so a 1 MiB value costs little.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { previewText, utf8Encode } from "./bytes.ts";
 *
 * assert.equal(previewText("hello\n2024 INFO forged"), "hello\\n2024 INFO forged");
 * assert.equal(previewText("\x1b[2Jcleared"), "\\x1b[2Jcleared");
 * assert.equal(previewText("a".repeat(1000), 5), "aaaaa… (1000 bytes in all)");
 * assert.equal(previewText(utf8Encode("héllo")), "héllo");
 * ```
 */
export function previewText(text: string | Uint8Array, limit = 200): string {
  let shown: string;
  let size: number;
  if (typeof text === "string") {
    // Characters are at most 3 UTF-8 bytes per UTF-16 unit: slice before measuring.
    shown = text.slice(0, limit);
    size = shown.length < text.length ? utf8Encode(text).length : -1;
  } else {
    shown = utf8Decode(text.subarray(0, 4 * limit)).slice(0, limit);
    size = text.length > 4 * limit || utf8Encode(shown).length < text.length ? text.length : -1;
  }
  if (/[\ud800-\udbff]$/.test(shown) && size >= 0) shown = shown.slice(0, -1); // half a pair
  const escaped = shown.replace(UNSAFE_IN_LOGS, (char) => {
    const code = char.charCodeAt(0);
    if (char in TEXT_ESCAPES) return TEXT_ESCAPES[char];
    return code < 0x100 ? `\\x${HEX_PAIRS[code]}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return size < 0 ? escaped : `${escaped}… (${size} bytes in all)`;
}

/** What {@linkcode previewText} escapes: C0, DEL, C1, U+2028/2029, bidi controls. */
// deno-lint-ignore no-control-regex -- control characters are exactly what it looks for
const UNSAFE_IN_LOGS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const TEXT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function reprByte(byte: number, quote: string): string {
  const char = String.fromCharCode(byte);
  if (char === quote) return `\\${quote}`;
  if (byte in REPR_ESCAPES) return REPR_ESCAPES[byte];
  if (isPrintableAscii(byte)) return char;
  return `\\x${HEX_PAIRS[byte]}`;
}

const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder("utf-8");
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Encodes text as UTF-8 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Encode } from "./bytes.ts";
 *
 * assert.deepEqual(utf8Encode("hé"), new Uint8Array([0x68, 0xc3, 0xa9]));
 * ```
 */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes UTF-8 bytes to text, replacing invalid sequences with U+FFFD
 * (`�`) rather than failing — convenient for printing whatever arrived.
 * Use {@linkcode utf8DecodeStrict} to reject invalid input instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Decode } from "./bytes.ts";
 *
 * assert.equal(utf8Decode(new Uint8Array([0x68, 0xc3, 0xa9])), "hé");
 * assert.equal(utf8Decode(new Uint8Array([0x68, 0xff])), "h\uFFFD");
 * ```
 */
export function utf8Decode(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * Decodes UTF-8 bytes to text, throwing if they are not valid UTF-8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8DecodeStrict } from "./bytes.ts";
 *
 * assert.equal(utf8DecodeStrict(new Uint8Array([0x68, 0x69])), "hi");
 * assert.throws(
 *   () => utf8DecodeStrict(new Uint8Array([0x68, 0xff])),
 *   { message: "invalid UTF-8 data (2 bytes)" },
 * );
 * ```
 *
 * @throws {Error} If `bytes` is not valid UTF-8.
 */
export function utf8DecodeStrict(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new Error(`invalid UTF-8 data (${bytes.length} bytes)`, { cause });
  }
}

/**
 * `text` without any of `characters` at its end: the NULs that pad a C string, the
 * newlines after a line. It looks only at the end, so its time is the length of what it
 * removes; a regex such as `/\0+$/` retries from every NUL of the text, which is quadratic
 * on received text full of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutTrailing } from "./bytes.ts";
 *
 * assert.equal(withoutTrailing("eth0\0\0", "\0"), "eth0");
 * assert.equal(withoutTrailing("<14>hello\n\0", "\0\n"), "<14>hello");
 * assert.equal(withoutTrailing("\0a\0", "\0"), "\0a");
 * ```
 */
export function withoutTrailing(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1])) end--;
  return text.slice(0, end);
}
