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
 * ```ts ignore
 * import { BufferedReader, writeAll } from "./framing.ts";
 * import { decodeJsonContent, encodeJsonMessage, readMessage } from "./app_message.ts";
 *
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: 65432 });
 * await writeAll(conn, encodeJsonMessage({ action: "search", value: "tcp" }));
 * const response = await readMessage(new BufferedReader(conn));
 * if (response) console.log(decodeJsonContent(response));
 * conn.close();
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
 * import { MACHINE_BYTE_ORDER } from "./app_message.ts";
 * console.log(MACHINE_BYTE_ORDER); // "little" on x86 and most ARM machines
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
 * import type { MessageHeader } from "./app_message.ts";
 * const header: MessageHeader = {
 *   "byteorder": "little",
 *   "content-type": "text/json",
 *   "content-encoding": "utf-8",
 *   "content-length": 2,
 * };
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
 * import { type Message, MACHINE_BYTE_ORDER } from "./app_message.ts";
 * const message: Message = {
 *   header: {
 *     "byteorder": MACHINE_BYTE_ORDER,
 *     "content-type": "binary/custom-client-binary-type",
 *     "content-encoding": "binary",
 *     "content-length": 3,
 *   },
 *   content: new Uint8Array([1, 2, 3]),
 * };
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
 * A JSON header that breaks the protocol's rules: not JSON, not an object, a required
 * field missing or of the wrong type, or a content length over the limit. The stream
 * cannot be trusted after one (where the content ends is unknown), so a server answers
 * with an error and closes the connection.
 *
 * @example
 * ```ts
 * import { MessageHeaderError, parseMessageHeader } from "./app_message.ts";
 * try {
 *   parseMessageHeader(new TextEncoder().encode("{}"));
 * } catch (error) {
 *   console.log(error instanceof MessageHeaderError); // true
 * }
 * ```
 */
export class MessageHeaderError extends FramingError {}

/**
 * Parses and checks the bytes of a JSON header (stage 2).
 *
 * @example
 * ```ts
 * import { parseMessageHeader } from "./app_message.ts";
 * const bytes = new TextEncoder().encode(
 *   '{"byteorder": "big", "content-type": "text/json", ' +
 *     '"content-encoding": "utf-8", "content-length": 2}',
 * );
 * console.log(parseMessageHeader(bytes)["content-length"]); // 2
 * ```
 *
 * @throws {MessageHeaderError} If the header breaks a rule, or announces more than
 * `maxContentLength` bytes of content.
 */
export function parseMessageHeader(
  bytes: Uint8Array,
  maxContentLength = DEFAULT_MAX_CONTENT_LENGTH,
): MessageHeader {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new MessageHeaderError(`the JSON header (${bytes.length} bytes) is not valid JSON`);
  }
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
 * import { encodeMessage } from "./app_message.ts";
 * const bytes = encodeMessage(
 *   new Uint8Array([0xca, 0xfe]),
 *   "binary/custom-client-binary-type",
 *   "binary",
 * );
 * console.log((bytes[0] << 8) | bytes[1]); // the length of the JSON header that follows
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
 * import { encodeJsonMessage } from "./app_message.ts";
 * const request = encodeJsonMessage({ action: "search", value: "udp" });
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
 * console.log(decodeJsonContent(message)); // { result: 1 }
 * ```
 *
 * @throws {SyntaxError} If the content is not JSON in that encoding.
 * @throws {RangeError} If the encoding is not one this runtime knows.
 */
export function decodeJsonContent(message: Message): unknown {
  const decoder = new TextDecoder(message.header["content-encoding"], { fatal: true });
  return JSON.parse(decoder.decode(message.content));
}

/**
 * Reads one message in three stages: the 2-byte fixed header, then the JSON header it
 * announces, then the content the JSON header announces. Resolves to `null` when the
 * stream ends cleanly before a message begins.
 *
 * @example Serve requests until the client closes
 * ```ts ignore
 * import { BufferedReader } from "./framing.ts";
 * import { readMessage } from "./app_message.ts";
 *
 * async function serve(conn: Deno.Conn): Promise<void> {
 *   const reader = new BufferedReader(conn);
 *   for (let message; (message = await readMessage(reader)) !== null;) {
 *     console.log(message.header["content-type"], message.content.length);
 *   }
 * }
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
 * import { describeMessage, MACHINE_BYTE_ORDER } from "./app_message.ts";
 * const header = {
 *   "byteorder": MACHINE_BYTE_ORDER,
 *   "content-type": "binary/custom-server-binary-type",
 *   "content-encoding": "binary",
 *   "content-length": 2,
 * };
 * describeMessage({ header, content: new Uint8Array([0x68, 0x00]) });
 * // "binary/custom-server-binary-type, 2 bytes: b'h\\x00'"
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
