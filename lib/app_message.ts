/**
 * Application messages with a JSON header, the protocol of Lab 2.3 (the design of
 * Real Python's sockets tutorial, `libclient`/`libserver`).
 *
 * Every message has three parts, read in three stages:
 *
 * 1. a **fixed header**: 2 bytes, the length of the JSON header as an unsigned
 *    big-endian integer (so a JSON header holds at most 65,535 bytes);
 * 2. a **JSON header**, UTF-8 text with at least `byteorder` (`"little"` or `"big"`,
 *    the sender's machine), `content-type`, `content-encoding` and `content-length`;
 * 3. the **content**: exactly `content-length` bytes, text or binary as the header says.
 *
 * The fixed header says how long the JSON header is; the JSON header says how long the
 * content is: each stage knows exactly how many bytes the next one needs, however TCP
 * splits them. {@linkcode encodeMessage} builds a message, {@linkcode readMessage}
 * reads one from a {@linkcode BufferedReader}, and a header that breaks the rules is a
 * {@linkcode MessageHeaderError}.
 *
 * @example Ask a question and read the answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, writeAll } from "./framing.ts";
 * import { decodeJsonContent, encodeJsonMessage, readMessage } from "./app_message.ts";
 *
 * // A server that answers one request (Task 2.3's app_server.ts answers many).
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = listener.accept().then(async (conn) => {
 *   const request = await readMessage(new BufferedReader(conn));
 *   const { value } = decodeJsonContent(request!) as { value: string };
 *   await writeAll(conn, encodeJsonMessage({ result: `found ${value}` }));
 *   conn.close();
 * });
 *
 * using conn = await Deno.connect({ port: listener.addr.port });
 * await writeAll(conn, encodeJsonMessage({ action: "search", value: "tcp" }));
 * const response = await readMessage(new BufferedReader(conn));
 * assert.deepEqual(decodeJsonContent(response!), { result: "found tcp" });
 * await serving;
 * ```
 *
 * @module
 */
import { previewBytes, previewText, utf8Encode } from "./bytes.ts";
import { type BufferedReader, FramingError } from "./framing.ts";

/** The byte order a header names: the sender machine's, for multi-byte binary content. */
export type ByteOrder = "little" | "big";

/**
 * The byte order of this machine, as Python's `sys.byteorder` names it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MACHINE_BYTE_ORDER } from "./app_message.ts";
 * assert.ok(["little", "big"].includes(MACHINE_BYTE_ORDER)); // "little" on x86 and most ARM
 * ```
 */
export const MACHINE_BYTE_ORDER: ByteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  ? "little"
  : "big";

/**
 * The fields every JSON header has. Other fields a peer adds are kept as they came.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type MessageHeader, parseMessageHeader } from "./app_message.ts";
 * const header: MessageHeader = {
 *   "byteorder": "little",
 *   "content-type": "text/json",
 *   "content-encoding": "utf-8",
 *   "content-length": 2,
 * };
 * const bytes = new TextEncoder().encode(JSON.stringify(header));
 * assert.deepEqual(parseMessageHeader(bytes), header);
 * ```
 */
export interface MessageHeader {
  /** The sender machine's byte order. */
  "byteorder": ByteOrder;
  /** What the content is, e.g. `text/json` or `binary/custom-client-binary-type`. */
  "content-type": string;
  /** How the content is encoded: a text encoding such as `utf-8`, or `binary`. */
  "content-encoding": string;
  /** The content's length in bytes. */
  "content-length": number;
  /** Any further fields. */
  [field: string]: unknown;
}

/**
 * One message: its JSON header and its content.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMessage, type Message, MACHINE_BYTE_ORDER } from "./app_message.ts";
 * const message: Message = {
 *   header: {
 *     "byteorder": MACHINE_BYTE_ORDER,
 *     "content-type": "binary/custom-client-binary-type",
 *     "content-encoding": "binary",
 *     "content-length": 3,
 *   },
 *   content: new Uint8Array([1, 2, 3]),
 * };
 * assert.equal(
 *   describeMessage(message),
 *   "binary/custom-client-binary-type, 3 bytes: b'\\x01\\x02\\x03'",
 * );
 * ```
 */
export interface Message {
  /** The parsed JSON header. */
  header: MessageHeader;
  /** Exactly `header["content-length"]` bytes. */
  content: Uint8Array;
}

/** The content type of JSON text. */
export const JSON_CONTENT_TYPE = "text/json";

/** The largest content {@linkcode readMessage} accepts unless told otherwise: 1 MiB. */
export const DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024;

/** The largest JSON header the 2-byte fixed header can announce. */
const MAX_HEADER_LENGTH = 0xffff;

/**
 * How deep arrays and objects may nest in a JSON header or content. Python's `json`
 * module, which the original programs use, gives up at about 1000; and `JSON.parse` of a
 * megabyte of `[[[[…` takes seconds, where a megabyte of flat JSON takes milliseconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_JSON_DEPTH, MessageHeaderError, parseMessageHeader } from "./app_message.ts";
 *
 * const deep = "[".repeat(MAX_JSON_DEPTH + 1);
 * assert.throws(() => parseMessageHeader(new TextEncoder().encode(deep)), MessageHeaderError);
 * ```
 */
export const MAX_JSON_DEPTH = 512;

/**
 * What, in JSON `text`, must not reach `JSON.parse`, or `null`: nesting deeper than
 * {@linkcode MAX_JSON_DEPTH}, or an object key with a backslash in it (see
 * {@linkcode MessageContentError}). One pass, strings skipped.
 */
function jsonProblem(text: string): string | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // The string and its escapes: does one of them stand for a backslash?
      let backslash = false;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] !== "\\") continue;
        const escape = text[++i] === "u" ? text.slice(i, i + 5).toLowerCase() : text[i];
        backslash ||= escape === "\\" || escape === "u005c";
      }
      // A key is a string followed by a colon (the loop passes the spaces between again).
      let next = i + 1;
      while (next < text.length && " \t\n\r".includes(text[next])) next++;
      if (backslash && text[next] === ":") return "has a key with a backslash in it";
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_JSON_DEPTH) return `nests deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === "]" || c === "}") depth--;
  }
  return null;
}

/** Parses JSON `text`, or throws what `fail` makes of the reason. */
function parseJson(text: string, fail: (reason: string, cause?: unknown) => Error): unknown {
  const problem = jsonProblem(text);
  if (problem) throw fail(problem);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail("is not valid JSON", error);
  }
}

/**
 * A JSON header that breaks the protocol's rules: not JSON, not an object, a required
 * field missing or of the wrong type, or a content length over the limit. The stream
 * cannot be trusted after one (where the content ends is unknown), so a server answers
 * with an error and closes the connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageHeaderError, parseMessageHeader } from "./app_message.ts";
 * assert.throws(() => parseMessageHeader(new TextEncoder().encode("{}")), MessageHeaderError);
 * ```
 */
export class MessageHeaderError extends FramingError {}

/**
 * Content that is not what its header says: not valid text in its `content-encoding`, not
 * JSON, or in an encoding this runtime does not know. JSON nested deeper than
 * {@linkcode MAX_JSON_DEPTH} is refused too, and so is an object key with a backslash in
 * it: once the V8 of Deno 2.9 has read such a key, it can take a later key for it
 * (`{"a":1,"\\":2}` makes it read `{"a":1,"\n":2}` with the key `\`), so one peer could
 * change what the next messages mean. The stream is still in step (the
 * content had the announced length), so a server can answer with an error and go on. The
 * error it stands for (a `TypeError` of the decoder, a `SyntaxError` of `JSON.parse`) is
 * its `cause`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJsonContent, MessageContentError } from "./app_message.ts";
 * const header = {
 *   "byteorder": "big" as const,
 *   "content-type": "text/json",
 *   "content-encoding": "utf-8",
 *   "content-length": 3,
 * };
 * const content = new TextEncoder().encode("{x}");
 * assert.throws(() => decodeJsonContent({ header, content }), MessageContentError);
 * ```
 */
export class MessageContentError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong with the content.
   * @param options Standard error options: `cause`, the error it stands for.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MessageContentError";
  }
}

/**
 * Parses and checks the bytes of a JSON header (stage 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMessageHeader } from "./app_message.ts";
 * const bytes = new TextEncoder().encode(
 *   '{"byteorder": "big", "content-type": "text/json", ' +
 *     '"content-encoding": "utf-8", "content-length": 2}',
 * );
 * assert.equal(parseMessageHeader(bytes)["content-length"], 2);
 * ```
 *
 * @throws {MessageHeaderError} If the header breaks a rule (it is not UTF-8 JSON, nests
 * deeper than {@linkcode MAX_JSON_DEPTH}, has a key with a backslash, lacks a field …), or
 * announces more than `maxContentLength` bytes of content.
 */
export function parseMessageHeader(
  bytes: Uint8Array,
  maxContentLength = DEFAULT_MAX_CONTENT_LENGTH,
): MessageHeader {
  const fail = (reason: string) =>
    new MessageHeaderError(`the JSON header (${bytes.length} bytes) ${reason}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw fail("is not valid JSON");
  }
  const header = parseJson(text, fail);
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new MessageHeaderError("the JSON header is not a JSON object");
  }
  const fields = header as Record<string, unknown>;
  for (const name of ["byteorder", "content-type", "content-encoding", "content-length"]) {
    if (!(name in fields)) throw new MessageHeaderError(`the JSON header has no '${name}'`);
  }
  if (fields.byteorder !== "little" && fields.byteorder !== "big") {
    throw new MessageHeaderError(`'byteorder' must be "little" or "big"`);
  }
  for (const name of ["content-type", "content-encoding"]) {
    if (typeof fields[name] !== "string" || fields[name] === "") {
      throw new MessageHeaderError(`'${name}' must be a non-empty string`);
    }
  }
  const length = fields["content-length"];
  if (!Number.isSafeInteger(length) || (length as number) < 0) {
    throw new MessageHeaderError("'content-length' must be a whole number of bytes");
  }
  if ((length as number) > maxContentLength) {
    throw new MessageHeaderError(
      `'content-length' ${length} is over the ${maxContentLength}-byte limit`,
    );
  }
  return fields as MessageHeader;
}

/**
 * Builds a message: fixed header, JSON header and content, ready to write. The JSON
 * header gets this machine's byte order and the content's length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeMessage } from "./app_message.ts";
 * const bytes = encodeMessage(
 *   new Uint8Array([0xca, 0xfe]),
 *   "binary/custom-client-binary-type",
 *   "binary",
 * );
 * const headerLength = (bytes[0] << 8) | bytes[1]; // the fixed header
 * assert.equal(bytes.length, 2 + headerLength + 2); // then the JSON header and the content
 * assert.deepEqual(bytes.subarray(-2), new Uint8Array([0xca, 0xfe]));
 * ```
 *
 * @throws {RangeError} If the JSON header would be longer than 65,535 bytes.
 */
export function encodeMessage(
  content: Uint8Array,
  contentType: string,
  contentEncoding: string,
): Uint8Array {
  const header = utf8Encode(JSON.stringify({
    "byteorder": MACHINE_BYTE_ORDER,
    "content-type": contentType,
    "content-encoding": contentEncoding,
    "content-length": content.length,
  }));
  if (header.length > MAX_HEADER_LENGTH) {
    throw new RangeError(`a JSON header of ${header.length} bytes does not fit in 2 bytes`);
  }
  const message = new Uint8Array(2 + header.length + content.length);
  new DataView(message.buffer).setUint16(0, header.length); // DataView: big-endian by default
  message.set(header, 2);
  message.set(content, 2 + header.length);
  return message;
}

/**
 * Builds a `text/json` message whose content is `value` as UTF-8 JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeJsonMessage } from "./app_message.ts";
 * const request = encodeJsonMessage({ action: "search", value: "udp" });
 * const json = new TextDecoder().decode(request.subarray(2 + ((request[0] << 8) | request[1])));
 * assert.equal(json, '{"action":"search","value":"udp"}');
 * ```
 */
export function encodeJsonMessage(value: unknown): Uint8Array {
  return encodeMessage(utf8Encode(JSON.stringify(value)), JSON_CONTENT_TYPE, "utf-8");
}

/**
 * Decodes the content of a `text/json` message with its `content-encoding`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJsonContent, type Message } from "./app_message.ts";
 * const message: Message = {
 *   header: {
 *     "byteorder": "little",
 *     "content-type": "text/json",
 *     "content-encoding": "utf-8",
 *     "content-length": 13,
 *   },
 *   content: new TextEncoder().encode('{"result": 1}'),
 * };
 * assert.deepEqual(decodeJsonContent(message), { result: 1 });
 * ```
 *
 * @throws {MessageContentError} If the content is not JSON in that encoding, nests deeper
 * than {@linkcode MAX_JSON_DEPTH}, has a key with a backslash in it (see
 * {@linkcode MessageContentError}), or the encoding is not one this runtime knows.
 */
export function decodeJsonContent(message: Message): unknown {
  const encoding = message.header["content-encoding"];
  // The label came from the peer: JSON escapes its control characters.
  const label = JSON.stringify(String(encoding).slice(0, 40));
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch (error) {
    throw new MessageContentError(`unknown content-encoding ${label}`, { cause: error });
  }
  let text: string;
  try {
    text = decoder.decode(message.content);
  } catch (error) {
    throw new MessageContentError(`the content is not valid ${label} text`, { cause: error });
  }
  return parseJson(
    text,
    (reason, cause) =>
      new MessageContentError(`the content (${message.content.length} bytes) ${reason}`, {
        cause,
      }),
  );
}

/**
 * Reads one message in three stages: the 2-byte fixed header, then the JSON header it
 * announces, then the content the JSON header announces. Resolves to `null` when the
 * stream ends cleanly before a message begins.
 *
 * @example Read requests until the client closes
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedReader, readerOf } from "./framing.ts";
 * import { concat } from "./bytes.ts";
 * import { encodeJsonMessage, readMessage } from "./app_message.ts";
 *
 * // Two requests in one read, as TCP may deliver them (a server reads a Deno.Conn).
 * const stream = concat(encodeJsonMessage({ n: 1 }), encodeJsonMessage({ n: 2 }));
 * const reader = new BufferedReader(readerOf(stream));
 * const lengths: number[] = [];
 * for (let message; (message = await readMessage(reader)) !== null;) {
 *   lengths.push(message.header["content-length"]);
 * }
 * assert.deepEqual(lengths, [7, 7]); // {"n":1} and {"n":2}
 * ```
 *
 * @throws {MessageHeaderError} If the JSON header breaks a rule.
 * @throws {UnexpectedEofError} If the stream ends inside a message.
 */
export async function readMessage(
  reader: BufferedReader,
  maxContentLength = DEFAULT_MAX_CONTENT_LENGTH,
): Promise<Message | null> {
  // #region stages
  // Stage 1: the fixed header, 2 bytes, big-endian: how long the JSON header is.
  const fixed = await reader.readExactOrEof(2);
  if (fixed === null) return null;
  const headerLength = (fixed[0] << 8) | fixed[1];
  // Stage 2: the JSON header, which says how long the content is.
  const header = parseMessageHeader(await reader.readExact(headerLength), maxContentLength);
  // Stage 3: the content.
  const content = await reader.readExact(header["content-length"]);
  // #endregion stages
  return { header, content };
}

/**
 * A one-line description of a message for logs: its content type and length, then the
 * content — JSON as text, anything else as Python shows bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMessage, MACHINE_BYTE_ORDER } from "./app_message.ts";
 * const header = {
 *   "byteorder": MACHINE_BYTE_ORDER,
 *   "content-type": "binary/custom-server-binary-type",
 *   "content-encoding": "binary",
 *   "content-length": 2,
 * };
 * assert.equal(
 *   describeMessage({ header, content: new Uint8Array([0x68, 0x00]) }),
 *   "binary/custom-server-binary-type, 2 bytes: b'h\\x00'",
 * );
 * ```
 */
export function describeMessage(message: Message): string {
  const { header, content } = message;
  // Both come from the peer: neither may act on the terminal or run over many lines.
  const shown = header["content-type"] === JSON_CONTENT_TYPE
    ? previewText(content)
    : previewBytes(content);
  return `${previewText(header["content-type"])}, ${content.length} bytes: ${shown}`;
}
