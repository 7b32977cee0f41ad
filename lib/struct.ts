/**
 * A TypeScript port of Python 3's `struct` module: convert between JavaScript
 * values and C structs laid out as bytes, using Python's format strings
 * (`">bhl"`, `"<2h3s"`, `"!BBHIQfd"`, ...).
 *
 * The behaviour, including every error message, follows CPython 3.11 on
 * x86_64 Linux, so a lab can check its packets against Python byte for byte:
 *
 * - A format starts with an optional byte-order prefix: `@` (the default:
 *   native order, native sizes and native alignment), `=` (native order,
 *   standard sizes), `<` (little-endian), `>` or `!` (big-endian, network
 *   order). Only `@` aligns fields; it pads between fields but never at the
 *   end, unless the format ends with a zero-count code such as `0l`.
 * - Native means this platform: little-endian and LP64, so `l`/`L` take 8
 *   bytes under `@` and 4 with a standard prefix; `n`, `N` and `P` exist only
 *   in native mode.
 * - See {@linkcode formatCodes} for the table of codes.
 *
 * Python values map to JavaScript values as follows. Integer codes unpack to
 * `number`, except fields 8 bytes wide (`q Q n N P`, and `l L` under `@`),
 * which unpack to `bigint`. Integer codes pack a `number` that is an integer,
 * a `bigint`, or a `boolean` (Python's `True` is the integer 1). Float codes
 * (`e f d`) unpack to `number` and pack a `number` with the semantics of a
 * Python `float`, or a `bigint` with the semantics of a Python `int`. `?`
 * unpacks to `boolean` and packs the truthiness of any value (as Python sees
 * it: `NaN` is true, an empty `Uint8Array` is false). `c`, `s` and `p` use
 * `Uint8Array` for Python's `bytes`.
 *
 * Every error is a {@linkcode StructError} whose message is CPython's text,
 * including the errors CPython raises as `TypeError`, `OverflowError` or
 * `UnicodeEncodeError` (such as `float too large to pack with e format`).
 * Two differences follow from JavaScript itself: an integral `number` such as
 * `1.0` is the integer 1 (JavaScript has no separate float type), and a
 * struct may be at most `Number.MAX_SAFE_INTEGER` bytes long, not 2**63 - 1,
 * since sizes are `number`s. Where CPython runs out of memory (a `MemoryError`
 * with no message, packing `"99999999999x"`), the message says how many bytes
 * could not be allocated; and {@linkcode Struct.codes} and
 * {@linkcode Struct.fields}, which CPython does not have, refuse to list more
 * than 2**20 values.
 *
 * @example Round trip a network-order record
 * ```ts
 * import assert from "node:assert/strict";
 * import { pack, unpack } from "./struct.ts";
 *
 * const bytes = pack(">bhl", 1, 2, 3);
 * assert.deepEqual(bytes, new Uint8Array([1, 0, 2, 0, 0, 0, 3]));
 * assert.deepEqual(unpack(">bhl", bytes), [1, 2, 3]);
 * ```
 *
 * @module
 */

/**
 * A value that a struct field packs from or unpacks to: `number` for integer
 * and float codes, `bigint` for 8-byte integers, `boolean` for `?`, and
 * `Uint8Array` for `c`, `s` and `p` (Python's `bytes`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type StructValue, unpack } from "./struct.ts";
 *
 * const values: StructValue[] = unpack("<?q2s", new Uint8Array(11));
 * assert.deepEqual(values, [false, 0n, new Uint8Array(2)]);
 * ```
 */
export type StructValue = number | bigint | boolean | Uint8Array;

/**
 * A buffer to unpack from or pack into: what Python calls a bytes-like
 * object. Any `ArrayBuffer`, `SharedArrayBuffer` or view of one
 * (`Uint8Array`, `DataView`, ...) works; a view is read and written only
 * within its `byteOffset` and `byteLength`. This is the DOM's `BufferSource`,
 * widened to views of any buffer so that every `Uint8Array` is accepted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type BytesLike, unpack } from "./struct.ts";
 *
 * const packet: BytesLike = new Uint8Array([0xff, 0, 1, 0xff]).subarray(1, 3);
 * assert.deepEqual(unpack(">H", packet), [1]);
 * ```
 */
export type BytesLike = ArrayBufferLike | ArrayBufferView;

/**
 * The error every function of this module throws; its message is the text
 * CPython's `struct` module gives for the same mistake.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pack, StructError } from "./struct.ts";
 *
 * assert.throws(
 *   () => pack(">h", 40000),
 *   new StructError("'h' format requires -32768 <= number <= 32767"),
 * );
 * ```
 */
export class StructError extends Error {
  /**
   * Creates an error with the given message (and `cause`, for an error of
   * JavaScript's that it stands for).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { StructError } from "./struct.ts";
   *
   * const error = new StructError("bad char in struct format");
   * assert.equal(error.name, "StructError");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StructError";
  }
}

/**
 * Where one value of a {@linkcode Struct} lies in its packed bytes; see
 * {@linkcode Struct.fields}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Struct, type StructField } from "./struct.ts";
 *
 * const [first]: readonly StructField[] = new Struct("!hq").fields;
 * assert.deepEqual(first, { code: "h", offset: 0, size: 2 });
 * ```
 */
export interface StructField {
  /** The value's format character, as in {@linkcode Struct.codes}. */
  readonly code: string;
  /** The position of the value's first byte. */
  readonly offset: number;
  /** How many bytes the value takes (for `s` and `p`: the whole string). */
  readonly size: number;
}

/** What a format code stands for: see {@linkcode FormatCode.kind}. */
export type FormatCodeKind = "pad" | "bytes" | "integer" | "bool" | "float";

/**
 * One row of the format-code table {@linkcode formatCodes}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FormatCode, formatCodes } from "./struct.ts";
 *
 * const short: FormatCode | undefined = formatCodes.find((row) => row.code === "h");
 * assert.equal(short?.cType, "short");
 * assert.equal(short?.standardSize, 2);
 * ```
 */
export interface FormatCode {
  /** The format character, such as `"h"`. */
  readonly code: string;
  /** The C type the code stands for, as in Python's documentation. */
  readonly cType: string;
  /** The Python type the code packs and unpacks, as in Python's documentation. */
  readonly pythonType: string;
  /** The JavaScript type that unpacking gives (see {@linkcode StructValue}). */
  readonly jsType: string;
  /**
   * What the code carries: `"pad"` (`x`, no value), `"bytes"` (`c s p`),
   * `"integer"`, `"bool"` (`?`) or `"float"` (`e f d`).
   */
  readonly kind: FormatCodeKind;
  /** Whether an integer code is signed; `false` for every other kind. */
  readonly signed: boolean;
  /**
   * Size in bytes under the `=`, `<`, `>` and `!` prefixes (for `x`, `s` and
   * `p`: per unit of the repeat count), or `null` for a native-only code.
   */
  readonly standardSize: number | null;
  /** Size in bytes in native mode (`@`, the default) on x86_64 Linux. */
  readonly nativeSize: number;
  /** Alignment in bytes that native mode gives the code (1: none). */
  readonly nativeAlignment: number;
}

/** Builds one {@linkcode FormatCode} row; only integers are ever signed. */
function row(
  code: string,
  cType: string,
  pythonType: string,
  jsType: string,
  kind: FormatCodeKind,
  standardSize: number | null,
  nativeSize: number,
  signed = false,
): FormatCode {
  return {
    code,
    cType,
    pythonType,
    jsType,
    kind,
    signed,
    standardSize,
    nativeSize,
    // On x86_64 every C scalar is aligned to its own size.
    nativeAlignment: kind === "integer" || kind === "float" ? nativeSize : 1,
  };
}

/**
 * Every format code, in the order of Python's documentation, with its C type,
 * Python type, JavaScript type, kind, signedness and sizes. The library reads
 * its sizes and alignments from this table, so a page rendered from it
 * describes exactly what the code does.
 *
 * @example Render the format-code table as Markdown
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCodes } from "./struct.ts";
 *
 * const lines = ["| Format | C type | Python type | Standard size |", "| --- | --- | --- | --- |"];
 * for (const row of formatCodes) {
 *   lines.push(`| \`${row.code}\` | ${row.cType} | ${row.pythonType} | ${row.standardSize ?? ""} |`);
 * }
 * assert.ok(lines.includes("| `h` | short | integer | 2 |"));
 * ```
 */
export const formatCodes: readonly FormatCode[] = Object.freeze([
  row("x", "pad byte", "no value", "no value", "pad", 1, 1),
  row("c", "char", "bytes of length 1", "Uint8Array (length 1)", "bytes", 1, 1),
  row("b", "signed char", "integer", "number", "integer", 1, 1, true),
  row("B", "unsigned char", "integer", "number", "integer", 1, 1),
  row("?", "_Bool", "bool", "boolean", "bool", 1, 1),
  row("h", "short", "integer", "number", "integer", 2, 2, true),
  row("H", "unsigned short", "integer", "number", "integer", 2, 2),
  row("i", "int", "integer", "number", "integer", 4, 4, true),
  row("I", "unsigned int", "integer", "number", "integer", 4, 4),
  row("l", "long", "integer", "number (bigint under @)", "integer", 4, 8, true),
  row("L", "unsigned long", "integer", "number (bigint under @)", "integer", 4, 8),
  row("q", "long long", "integer", "bigint", "integer", 8, 8, true),
  row("Q", "unsigned long long", "integer", "bigint", "integer", 8, 8),
  row("n", "ssize_t", "integer", "bigint", "integer", null, 8, true),
  row("N", "size_t", "integer", "bigint", "integer", null, 8),
  row("e", "binary16 (half float)", "float", "number", "float", 2, 2),
  row("f", "float", "float", "number", "float", 4, 4),
  row("d", "double", "float", "number", "float", 8, 8),
  row("s", "char[]", "bytes", "Uint8Array", "bytes", 1, 1),
  row("p", "char[]", "bytes", "Uint8Array", "bytes", 1, 1),
  row("P", "void *", "integer", "bigint", "integer", null, 8),
].map((entry) => Object.freeze(entry)));

// ---------------------------------------------------------------------------
// Field types: how each byte-order mode stores each code.

/**
 * How a field stores its value. Packing and unpacking dispatch on this with
 * one `switch` each, which V8 turns into a jump table with the `DataView`
 * calls inlined: much faster than calling a function per field.
 */
const Storage = {
  Int8: 0,
  Uint8: 1,
  Int16: 2,
  Uint16: 3,
  Int32: 4,
  Uint32: 5,
  Int64: 6,
  Uint64: 7,
  Float16: 8,
  Float32: 9,
  Float64: 10,
  Bool: 11,
  Char: 12,
  String: 13,
  Pascal: 14,
} as const;
type Storage = (typeof Storage)[keyof typeof Storage];

const OUT_OF_RANGE = "argument out of range";
const INT_TOO_LARGE = "int too large to convert";

/**
 * The integers one code accepts. CPython first converts the argument to a C
 * long (or unsigned long), failing with `domainMessage` outside
 * `[domainMin, domainEnd)`, and then checks the field's own range
 * `[min, end)`, failing with `message`. Bounds are powers of two, so they
 * are exact as `number`s; `minBig` and `endBig` are the same bounds as
 * `bigint`s, which compare with a `bigint` several times faster.
 */
interface IntegerLimits {
  readonly min: number;
  readonly end: number;
  readonly minBig: bigint;
  readonly endBig: bigint;
  readonly message: string;
  readonly domainMin: number;
  readonly domainEnd: number;
  readonly domainMessage: string;
}

/** A format code as one byte-order mode lays it out. */
interface FieldType {
  readonly info: FormatCode;
  readonly size: number;
  /** 0 where the mode does not align (every standard mode). */
  readonly alignment: number;
  /** `null` for pad bytes, which carry no value. */
  readonly storage: Storage | null;
  readonly littleEndian: boolean;
  /** Set for integer codes only. */
  readonly limits: IntegerLimits | null;
  /** Whether a finite float too large for the field fails (`e`; `f` outside native mode). */
  readonly checksOverflow: boolean;
}

/** Which of CPython's three tables of pack functions a mode uses. */
type Table = "native" | "little" | "big";

/** CPython's `'%c' format requires lo <= number <= hi` message. */
function rangeMessage(code: string, size: number, signed: boolean): string {
  const bits = 8 * size;
  return signed
    ? `'${code}' format requires ${-(2 ** (bits - 1))} <= number <= ${2 ** (bits - 1) - 1}`
    : `'${code}' format requires 0 <= number <= ${2 ** bits - 1}`;
}

/** Limits from the accepted range and the C conversion's domain. */
function integerLimits(
  min: number,
  end: number,
  message: string,
  domainMin = min,
  domainEnd = end,
  domainMessage = message,
): IntegerLimits {
  return {
    min,
    end,
    minBig: BigInt(min),
    endBig: BigInt(end),
    message,
    domainMin,
    domainEnd,
    domainMessage,
  };
}

/**
 * The limits CPython 3.11 enforces for an integer code. They differ between
 * tables because CPython swaps its native pack functions into the
 * little-endian table wherever the sizes agree, and those give other messages.
 */
function limitsFor(info: FormatCode, size: number, table: Table): IntegerLimits {
  const { code, signed } = info;
  if (size === 8) {
    // No narrower check: the C conversion (or byte copy) is the only one.
    const min = code === "P" || signed ? -(2 ** 63) : 0;
    const end = signed ? 2 ** 63 : 2 ** 64;
    return integerLimits(min, end, code === "P" || table === "big" ? INT_TOO_LARGE : OUT_OF_RANGE);
  }
  const bits = 8 * size;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const end = signed ? 2 ** (bits - 1) : 2 ** bits;
  const convertsUnsigned = !signed && (size === 4 || (size === 2 && table === "big"));
  let message = rangeMessage(code, size, signed);
  if (size === 1) {
    message = signed
      ? "byte format requires -128 <= number <= 127"
      : "ubyte format requires 0 <= number <= 255";
  } else if (size === 2 && table !== "big") {
    message = signed
      ? "short format requires -32768 <= number <= 32767"
      : "ushort format requires 0 <= number <= 65535";
  }
  return integerLimits(
    min,
    end,
    message,
    convertsUnsigned ? 0 : -(2 ** 63),
    convertsUnsigned ? 2 ** 64 : 2 ** 63,
    OUT_OF_RANGE,
  );
}

/** How a code's values are stored; `P` (a pointer) unpacks unsigned, as in CPython. */
function storageFor(info: FormatCode, size: number): Storage | null {
  switch (info.kind) {
    case "pad":
      return null;
    case "bool":
      return Storage.Bool;
    case "bytes":
      return info.code === "c" ? Storage.Char : info.code === "s" ? Storage.String : Storage.Pascal;
    case "float":
      return size === 2 ? Storage.Float16 : size === 4 ? Storage.Float32 : Storage.Float64;
    case "integer": {
      const bySize = info.signed
        ? [Storage.Int8, Storage.Int16, Storage.Int32, Storage.Int64]
        : [Storage.Uint8, Storage.Uint16, Storage.Uint32, Storage.Uint64];
      return bySize[Math.log2(size)];
    }
  }
}

/** The field types of one table, by format character. */
function buildTable(table: Table, littleEndian: boolean): ReadonlyMap<string, FieldType> {
  const native = table === "native";
  const types = new Map<string, FieldType>();
  for (const info of formatCodes) {
    const size = native ? info.nativeSize : info.standardSize;
    if (size === null) continue; // native-only code: a bad char elsewhere
    types.set(info.code, {
      info,
      size,
      alignment: native ? info.nativeAlignment : 0,
      storage: storageFor(info, size),
      littleEndian,
      limits: info.kind === "integer" ? limitsFor(info, size, table) : null,
      // Native `f` is a bare C cast, which overflows to infinity silently.
      checksOverflow: info.code === "e" || (info.code === "f" && !native),
    });
  }
  return types;
}

const NATIVE_TYPES = buildTable("native", true);
const LITTLE_TYPES = buildTable("little", true);
const BIG_TYPES = buildTable("big", false);

/** The table each byte-order prefix selects (`=` is native order: little). */
const PREFIXES: ReadonlyMap<string, ReadonlyMap<string, FieldType>> = new Map([
  ["@", NATIVE_TYPES],
  ["=", LITTLE_TYPES],
  ["<", LITTLE_TYPES],
  [">", BIG_TYPES],
  ["!", BIG_TYPES],
]);

// ---------------------------------------------------------------------------
// Packing and unpacking one field.

/**
 * How the values of a run of one code are stored: `step` bytes apart, each
 * `width` bytes wide (an `s`/`p` field is one value as wide as its count).
 * Runs of one code share one, so that a parsed format holds no object per
 * code it contains (see {@linkcode Layout}).
 */
interface Run {
  readonly type: FieldType;
  readonly storage: Storage;
  readonly littleEndian: boolean;
  readonly step: number;
  readonly width: number;
}

/** Converts a pack argument for an integer code, as CPython's `get_pylong`. */
function integerArgument(value: unknown): number | bigint {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value;
  } else if (typeof value === "bigint") {
    return value;
  } else if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  throw new StructError("required argument is not an integer");
}

/**
 * Converts a pack argument for a float code, as CPython's
 * `PyFloat_AsDouble`: a `bigint` too large for a double is not a float.
 */
function floatArgument(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") {
    const converted = Number(value);
    if (Number.isFinite(converted)) return converted;
  } else if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  throw new StructError("required argument is not a float");
}

/** Python's truth value of a pack argument: `NaN` is true, empty bytes false. */
function isTruthy(value: unknown): boolean {
  if (typeof value === "number") return value !== 0;
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** The bytes argument of `s` or `p`: Python accepts `bytes` and `bytearray`. */
function bytesArgument(code: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new StructError(`argument for '${code}' must be a bytes object`);
}

const TWO_32 = 2 ** 32;

/** Writes an integer that fits the field; `set*` wraps negatives to two's complement. */
function storeInteger(view: DataView, offset: number, integer: number | bigint, run: Run): void {
  const { littleEndian } = run;
  switch (run.storage) {
    case Storage.Int8:
    case Storage.Uint8:
      view.setUint8(offset, Number(integer));
      break;
    case Storage.Int16:
    case Storage.Uint16:
      view.setUint16(offset, Number(integer), littleEndian);
      break;
    case Storage.Int32:
    case Storage.Uint32:
      view.setUint32(offset, Number(integer), littleEndian);
      break;
    default:
      if (typeof integer === "bigint") {
        view.setBigUint64(offset, integer, littleEndian);
      } else {
        // A number is written as two 32-bit halves, sparing a BigInt allocation.
        const high = Math.floor(integer / TWO_32);
        view.setUint32(offset + (littleEndian ? 4 : 0), high, littleEndian);
        view.setUint32(offset + (littleEndian ? 0 : 4), integer - high * TWO_32, littleEndian);
      }
  }
}

/**
 * Packs an integer, or throws CPython's error for it. CPython's big-endian
 * `q` and `Q` (the only 8-byte big-endian codes) copy the low 64 bits of a
 * too-large integer into the buffer before failing, except a negative one for
 * `Q`; `packInto` makes that visible. The other codes fail before writing.
 */
function packInteger(view: DataView, offset: number, value: unknown, run: Run): void {
  const integer = integerArgument(value);
  const limits = run.type.limits!; // set for every integer code
  const fits = typeof integer === "number"
    ? integer >= limits.min && integer < limits.end
    : integer >= limits.minBig && integer < limits.endBig;
  if (fits) {
    storeInteger(view, offset, integer, run);
    return;
  }
  const wide = run.storage === Storage.Int64 || run.storage === Storage.Uint64;
  if (wide && !run.littleEndian && (run.storage === Storage.Int64 || integer >= 0)) {
    storeInteger(view, offset, BigInt.asUintN(64, BigInt(integer)), run);
  }
  const outsideDomain = integer < limits.domainMin || integer >= limits.domainEnd;
  throw new StructError(outsideDomain ? limits.domainMessage : limits.message);
}

/** Half floats at or above this round to 2**16, past the largest, 65504. */
const HALF_OVERFLOW = 65520;

const signScratch = new Float64Array(1);
const signScratchBytes = new Uint8Array(signScratch.buffer);

/** Whether a number's sign bit is set: the only way to tell `NaN` from `-NaN`. */
function hasSignBit(x: number): boolean {
  signScratch[0] = x;
  return (signScratchBytes[7] & 0x80) !== 0; // the platform is little-endian
}

/** Packs `e`, `f` or `d`, or throws CPython's error for the value. */
function packFloat(view: DataView, offset: number, value: unknown, run: Run): void {
  const x = floatArgument(value);
  const { littleEndian } = run;
  if (run.type.checksOverflow && Number.isFinite(x)) {
    const tooLarge = run.storage === Storage.Float16
      ? Math.abs(x) >= HALF_OVERFLOW
      : !Number.isFinite(Math.fround(x));
    if (tooLarge) {
      // CPython reports a Python int that overflows differently.
      throw new StructError(
        typeof value === "bigint"
          ? INT_TOO_LARGE
          : `float too large to pack with ${run.type.info.code} format`,
      );
    }
  }
  switch (run.storage) {
    case Storage.Float16:
      if (Number.isNaN(x)) {
        // CPython writes the quiet NaN 0x7e00, keeping only the sign.
        view.setUint16(offset, hasSignBit(x) ? 0xfe00 : 0x7e00, littleEndian);
      } else {
        view.setFloat16(offset, x, littleEndian);
      }
      break;
    case Storage.Float32:
      view.setFloat32(offset, x, littleEndian);
      break;
    default:
      view.setFloat64(offset, x, littleEndian);
  }
}

/**
 * Packs `p`: a length byte, then up to `width - 1` bytes. The length byte
 * saturates at 255. A `0p` field has no room even for the length byte, yet
 * CPython still writes it, as 0xff; a typed array ignores the write when that
 * falls past its end, as it does when the whole struct is being packed.
 */
function packPascal(bytes: Uint8Array, offset: number, value: unknown, width: number): void {
  const data = bytesArgument("p", value);
  const length = Math.min(data.length, width - 1);
  if (length > 0) bytes.set(data.subarray(0, length), offset + 1);
  bytes[offset] = Math.min(length, 255) & 0xff;
}

/** Packs one value; the field's bytes must be zero already (`s` pads with them). */
function packField(
  view: DataView,
  bytes: Uint8Array,
  offset: number,
  value: unknown,
  run: Run,
): void {
  switch (run.storage) {
    case Storage.Float16:
    case Storage.Float32:
    case Storage.Float64:
      packFloat(view, offset, value, run);
      break;
    case Storage.Bool:
      view.setUint8(offset, isTruthy(value) ? 1 : 0);
      break;
    case Storage.Char:
      if (!(value instanceof Uint8Array) || value.length !== 1) {
        throw new StructError("char format requires a bytes object of length 1");
      }
      bytes[offset] = value[0];
      break;
    case Storage.String: {
      const data = bytesArgument("s", value);
      bytes.set(data.length > run.width ? data.subarray(0, run.width) : data, offset);
      break;
    }
    case Storage.Pascal:
      packPascal(bytes, offset, value, run.width);
      break;
    default:
      packInteger(view, offset, value, run);
  }
}

/** A fresh copy of `length` bytes of the view, as Python's `bytes`. */
function copyBytes(view: DataView, offset: number, length: number): Uint8Array {
  const copy = allocate(length);
  copy.set(new Uint8Array(view.buffer, view.byteOffset + offset, length));
  return copy;
}

/** Unpacks `p`; CPython cannot unpack `0p`, which has no length byte. */
function unpackPascal(view: DataView, offset: number, width: number): Uint8Array {
  if (width === 0) {
    throw new StructError("Negative size passed to PyBytes_FromStringAndSize");
  }
  return copyBytes(view, offset + 1, Math.min(view.getUint8(offset), width - 1));
}

/** Unpacks one value: integers 8 bytes wide as `bigint`, bytes as copies. */
function unpackField(view: DataView, offset: number, run: Run): StructValue {
  const { littleEndian } = run;
  switch (run.storage) {
    case Storage.Int8:
      return view.getInt8(offset);
    case Storage.Uint8:
      return view.getUint8(offset);
    case Storage.Int16:
      return view.getInt16(offset, littleEndian);
    case Storage.Uint16:
      return view.getUint16(offset, littleEndian);
    case Storage.Int32:
      return view.getInt32(offset, littleEndian);
    case Storage.Uint32:
      return view.getUint32(offset, littleEndian);
    case Storage.Int64:
      return view.getBigInt64(offset, littleEndian);
    case Storage.Uint64:
      return view.getBigUint64(offset, littleEndian);
    case Storage.Float16:
      return view.getFloat16(offset, littleEndian);
    case Storage.Float32:
      return view.getFloat32(offset, littleEndian);
    case Storage.Float64:
      return view.getFloat64(offset, littleEndian);
    case Storage.Bool:
      return view.getUint8(offset) !== 0;
    case Storage.Char:
      return copyBytes(view, offset, 1);
    case Storage.String:
      return copyBytes(view, offset, run.width);
    case Storage.Pascal:
      return unpackPascal(view, offset, run.width);
  }
}

// ---------------------------------------------------------------------------
// Format parsing.

/**
 * A parsed format: its size, how many values it packs, and its runs of
 * consecutive values of one code: run `r` is `repeats[r]` values stored as
 * `runs[r]` says, the first at `offsets[r]`. Numbers in typed arrays rather
 * than an object per run keep a format of a million codes cheap for the
 * collector: growing plain arrays of half a million numbers made parsing such a
 * format many times slower per byte than parsing a short one.
 */
interface Layout {
  readonly size: number;
  readonly valueCount: number;
  readonly runs: readonly Run[];
  readonly offsets: ArrayLike<number>;
  readonly repeats: ArrayLike<number>;
}

/** The one {@linkcode Run} of each non-string field type. */
const SHARED_RUNS = new Map<FieldType, Run>();

/** The run of a field of `type`, `count` wide for `s`/`p` (one value). */
function runOf(type: FieldType, storage: Storage, isString: boolean, count: number): Run {
  const width = isString ? count : type.size;
  let run = isString ? undefined : SHARED_RUNS.get(type);
  if (run === undefined) {
    run = { type, storage, littleEndian: type.littleEndian, step: type.size, width };
    if (!isString) SHARED_RUNS.set(type, run);
  }
  return run;
}

/** Largest struct size; CPython's is 2**63 - 1, beyond exact `number`s. */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** The most values {@linkcode Struct.codes} and {@linkcode Struct.fields} list. */
const MAX_LISTED_VALUES = 2 ** 20;

/** Python's name for the type of a JavaScript value, for its error messages. */
function pythonTypeName(value: unknown): string {
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "undefined":
      return "NoneType";
    default:
      if (value === null) return "NoneType";
      return Array.isArray(value) ? "list" : typeof value;
  }
}

/** Python's escape of one character in a `UnicodeEncodeError` message. */
function escapeCodePoint(codePoint: number): string {
  const hex = codePoint.toString(16);
  if (codePoint < 0x100) return `\\x${hex.padStart(2, "0")}`;
  if (codePoint < 0x10000) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/**
 * CPython encodes the format as ASCII before parsing it; this is the
 * `UnicodeEncodeError` text it gives otherwise, positions counted in code
 * points and covering the first run of non-ASCII characters.
 */
function checkAscii(format: string): void {
  // Everything before the first non-ASCII character is one code unit per code point.
  const start = format.search(/[^\p{ASCII}]/u);
  if (start < 0) return;
  const first = format.codePointAt(start)!;
  let end = start; // in code points
  for (let i = start; i < format.length; end++) {
    const codePoint = format.codePointAt(i)!;
    if (codePoint <= 0x7f) break;
    i += codePoint > 0xffff ? 2 : 1;
  }
  const where = end - start === 1
    ? `character '${escapeCodePoint(first)}' in position ${start}`
    : `characters in position ${start}-${end - 1}`;
  throw new StructError(`'ascii' codec can't encode ${where}: ordinal not in range(128)`);
}

/** C's `isspace` in the "C" locale. */
function isSpace(charCode: number): boolean {
  return charCode === 0x20 || (charCode >= 0x09 && charCode <= 0x0d);
}

function isDigit(charCode: number): boolean {
  return charCode >= 0x30 && charCode <= 0x39;
}

function tooLong(): StructError {
  return new StructError("total struct size too long");
}

/** Parses a format string the way CPython's `prepare_s` does. */
function parseFormat(format: string): Layout {
  if (typeof format !== "string") {
    throw new StructError(
      `Struct() argument 1 must be a str or bytes object, not ${pythonTypeName(format)}`,
    );
  }
  checkAscii(format);
  if (format.includes("\0")) throw new StructError("embedded null character");
  const prefixed = PREFIXES.get(format[0]);
  const types = prefixed ?? NATIVE_TYPES;
  const runs: Run[] = [];
  // A format has at most one run per character: room for all of them, once.
  const offsets = new Float64Array(format.length);
  const repeats = new Float64Array(format.length);
  let size = 0;
  let valueCount = 0;
  let position = prefixed === undefined ? 0 : 1;
  while (position < format.length) {
    let charCode = format.charCodeAt(position++);
    if (isSpace(charCode)) continue;
    let count = 1;
    if (isDigit(charCode)) {
      count = charCode - 0x30;
      for (;;) {
        if (position === format.length) {
          throw new StructError("repeat count given without format specifier");
        }
        charCode = format.charCodeAt(position++);
        if (!isDigit(charCode)) break;
        count = count * 10 + (charCode - 0x30);
        if (count > MAX_SIZE) throw tooLong();
      }
    }
    const type = types.get(format[position - 1]);
    if (type === undefined) throw new StructError("bad char in struct format");
    if (type.alignment > 1 && size > 0) {
      size = Math.ceil(size / type.alignment) * type.alignment;
      if (size > MAX_SIZE) throw tooLong();
    }
    const offset = size;
    size += count * type.size;
    if (size > MAX_SIZE) throw tooLong();
    const { storage, info: { code } } = type;
    const isString = code === "s" || code === "p";
    if (storage === null || (count === 0 && !isString)) continue;
    const repeat = isString ? 1 : count;
    valueCount += repeat;
    const run = runOf(type, storage, isString, count);
    // "BBBB" is one run of 4, as "4B" is.
    const last = runs.length - 1;
    if (!isString && runs[last] === run && offsets[last] + repeats[last] * run.step === offset) {
      repeats[last] += repeat;
      continue;
    }
    offsets[runs.length] = offset;
    repeats[runs.length] = repeat;
    runs.push(run);
  }
  const count = runs.length;
  return {
    size,
    valueCount,
    runs,
    offsets: offsets.subarray(0, count),
    repeats: repeats.subarray(0, count),
  };
}

// ---------------------------------------------------------------------------
// Codecs: the code that packs and unpacks a whole layout.

/**
 * Packs and unpacks every value of one layout. `encode` writes every byte of
 * the struct at `base` (padding included, as zeros); both take the bytes of a
 * buffer already checked to be long enough.
 */
interface Codec {
  encode(bytes: Uint8Array, base: number, values: readonly unknown[]): void;
  decode(bytes: Uint8Array, base: number): StructValue[];
}

/** The general codec: a loop over the runs, a `switch` per field. */
function generalCodec({ size, valueCount, runs, offsets, repeats }: Layout): Codec {
  return {
    encode(bytes, base, values) {
      bytes.fill(0, base, base + size);
      const view = viewOf(bytes);
      let index = 0;
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r];
        for (let i = 0, offset = base + offsets[r]; i < repeats[r]; i++, offset += run.step) {
          packField(view, bytes, offset, values[index++], run);
        }
      }
    },
    decode(bytes, base) {
      const view = viewOf(bytes);
      const values: StructValue[] = new Array(valueCount);
      let index = 0;
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r];
        for (let i = 0, offset = base + offsets[r]; i < repeats[r]; i++, offset += run.step) {
          values[index++] = unpackField(view, offset, run);
        }
      }
      return values;
    },
  };
}

/**
 * Layouts with more values than this keep the general codec: their compiled
 * code would be long, and the loop costs little next to so many fields.
 */
const MAX_COMPILED_VALUES = 64;

/**
 * The compiled codec: straight-line code written for one layout.
 *
 * Walking the runs and switching on each field's storage costs more than the
 * stores themselves, and so does the `DataView` that the general codec makes
 * for every buffer. So a layout gets functions with one statement per value,
 * which JavaScript compiles once (`new Function`); for `<hf` the encoder is
 *
 * ```js ignore
 * v = values[0];
 * if (typeof v === "number" && (v << 16 >> 16) === v) { b[base + 0] = v; b[base + 1] = v >> 8; }
 * else slow(b, base + 0, v, runs[0], base + 6);
 * v = values[1];
 * if (typeof v === "number" && (Number.isFinite(Math.fround(v)) || !Number.isFinite(v))) {
 *   f32[0] = v; b[base + 2] = s[0]; b[base + 3] = s[1]; b[base + 4] = s[2]; b[base + 5] = s[3];
 * } else slow(b, base + 2, v, runs[1], base + 6);
 * ```
 *
 * and the decoder returns `[(b[base + 0] | b[base + 1] << 8) << 16 >> 16,
 * (s[0] = b[base + 2], s[1] = b[base + 3], s[2] = b[base + 4], s[3] = b[base + 5],
 * f32[0])]`. Each fast statement takes only the common case, which it handles
 * exactly: an integer within the field's range, a number for a float, a
 * `bigint` within range for an 8-byte integer, a `Uint8Array` for `s`. Any
 * other value goes to `slow`, the general code of this module, with every rule
 * and error message of CPython; `e`, `c` and `p` always do. Floats and 8-byte
 * integers pass through the scratch arrays `s`, `f32`, `f64`, `i64` and `u64`,
 * which share their 8 bytes.
 */
function compiledCodec(layout: Layout): Codec {
  const { size, runs, offsets, repeats } = layout;
  const encoder: string[] = ["let v;"];
  const decoder: string[] = [];
  let written = 0; // bytes before this are written; padding up to a field is zeroed
  const zeroUpTo = (end: number) => {
    if (end - written > 8) encoder.push(`b.fill(0, base + ${written}, base + ${end});`);
    else for (let k = written; k < end; k++) encoder.push(`b[base + ${k}] = 0;`);
    written = Math.max(written, end);
  };
  runs.forEach((run, r) => {
    for (let i = 0; i < repeats[r]; i++) {
      const offset = offsets[r] + i * run.step;
      zeroUpTo(offset);
      encoder.push(`v = values[${decoder.length}];`, encodeStatement(run, r, offset, size));
      decoder.push(decodeExpression(run, offset));
      // A `0p` field still writes its length byte (see packPascal): no padding over it.
      written = offset + (run.storage === Storage.Pascal ? Math.max(run.width, 1) : run.width);
    }
  });
  zeroUpTo(size);
  const helpers = { slow: packSlowly, truthy: isTruthy, copyOut, unpackPascal, viewOf };
  const make = new Function(
    "runs",
    ...Object.keys(helpers),
    ...Object.keys(SCRATCH),
    `return {
      encode(b, base, values) { ${encoder.join("\n")} },
      decode(b, base) { return [${decoder.join(", ")}]; },
    };`,
  );
  return make(runs, ...Object.values(helpers), ...Object.values(SCRATCH));
}

/** 8 bytes seen as each type that compiled code moves through them. */
const SCRATCH = (() => {
  const buffer = new ArrayBuffer(8);
  return {
    s: new Uint8Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i64: new BigInt64Array(buffer),
    u64: new BigUint64Array(buffer),
  };
})();

/** A fresh copy of `length` bytes, as Python's `bytes`. */
function copyOut(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  const copy = allocate(length);
  if (length <= 16) { for (let k = 0; k < length; k++) copy[k] = bytes[offset + k]; }
  else copy.set(bytes.subarray(offset, offset + length));
  return copy;
}

/**
 * Packs one field the general way. As in CPython, which zeroes the whole
 * struct before packing it, a value that fails leaves zeros after the values
 * before it (and whatever the failing field wrote itself).
 */
function packSlowly(
  bytes: Uint8Array,
  offset: number,
  value: unknown,
  run: Run,
  end: number,
): void {
  bytes.fill(0, offset, offset + run.width);
  try {
    packField(viewOf(bytes), bytes, offset, value, run);
  } catch (error) {
    bytes.fill(0, offset + run.width, end);
    throw error;
  }
}

/** The integer checks of the compiled encoder: the value is a number that the field holds. */
const FITS: Partial<Record<Storage, string>> = {
  [Storage.Int8]: "(v << 24 >> 24) === v",
  [Storage.Uint8]: "(v & 0xff) === v",
  [Storage.Int16]: "(v << 16 >> 16) === v",
  [Storage.Uint16]: "(v & 0xffff) === v",
  [Storage.Int32]: "(v | 0) === v",
  [Storage.Uint32]: "v >>> 0 === v",
};

/** The statement that packs `v` into the field at `offset`; see {@linkcode compiledCodec}. */
function encodeStatement(run: Run, r: number, offset: number, size: number): string {
  const at = (k: number) => `b[base + ${offset + k}]`;
  const slow = `slow(b, base + ${offset}, v, runs[${r}], base + ${size});`;
  const order = (width: number, k: number) => run.littleEndian ? k : width - 1 - k;
  const fromScratch = (width: number) =>
    Array.from({ length: width }, (_, k) => `${at(k)} = s[${order(width, k)}];`).join(" ");
  const width = run.type.size;
  switch (run.storage) {
    case Storage.Int8:
    case Storage.Uint8:
    case Storage.Int16:
    case Storage.Uint16:
    case Storage.Int32:
    case Storage.Uint32: {
      const stores = Array.from({ length: width }, (_, k) => {
        const shift = 8 * order(width, k);
        return `${at(k)} = ${shift === 0 ? "v" : `v >> ${shift}`};`;
      });
      return `if (typeof v === "number" && ${FITS[run.storage]}) { ${
        stores.join(" ")
      } } else ${slow}`;
    }
    case Storage.Int64:
    case Storage.Uint64: {
      const { minBig, endBig } = run.type.limits!;
      return `if (typeof v === "bigint" && v >= ${minBig}n && v < ${endBig}n) ` +
        `{ u64[0] = v; ${fromScratch(8)} } else ${slow}`;
    }
    case Storage.Float32: {
      const fits = run.type.checksOverflow
        ? " && (Number.isFinite(Math.fround(v)) || !Number.isFinite(v))"
        : "";
      return `if (typeof v === "number"${fits}) { f32[0] = v; ${fromScratch(4)} } else ${slow}`;
    }
    case Storage.Float64:
      return `if (typeof v === "number") { f64[0] = v; ${fromScratch(8)} } else ${slow}`;
    case Storage.Bool:
      return `${at(0)} = truthy(v) ? 1 : 0;`;
    case Storage.String: {
      // Short strings byte by byte (cheaper than a call to set or fill), long ones by call.
      const [copy, pad] = run.width <= 16
        ? [
          "for (let k = 0; k < n; k++) b[at + k] = v[k];",
          "for (let k = n; k < w; k++) b[at + k] = 0;",
        ]
        : ["b.set(v.subarray(0, n), at);", "b.fill(0, at + n, at + w);"];
      return `if (v instanceof Uint8Array) { const at = base + ${offset}, w = ${run.width}, ` +
        `n = Math.min(v.length, w); ${copy} ${pad} } else ${slow}`;
    }
    default: // Float16, Char, Pascal
      return slow;
  }
}

/** The expression that unpacks the field at `offset`; see {@linkcode compiledCodec}. */
function decodeExpression(run: Run, offset: number): string {
  const at = (k: number) => `b[base + ${offset + k}]`;
  const { littleEndian, width } = run;
  const joined = (bytes: number) =>
    Array.from({ length: bytes }, (_, k) => {
      const shift = 8 * (littleEndian ? k : bytes - 1 - k);
      return shift === 0 ? at(k) : `${at(k)} << ${shift}`;
    }).join(" | ");
  // The field's bytes into the scratch bytes, in the platform's (little-endian) order.
  const scratch = (bytes: number, name: string) => {
    const copies = Array.from(
      { length: bytes },
      (_, k) => `s[${littleEndian ? k : bytes - 1 - k}] = ${at(k)}`,
    );
    return `(${copies.join(", ")}, ${name}[0])`;
  };
  switch (run.storage) {
    case Storage.Int8:
      return `${at(0)} << 24 >> 24`;
    case Storage.Uint8:
      return at(0);
    case Storage.Int16:
      return `(${joined(2)}) << 16 >> 16`;
    case Storage.Uint16:
      return `(${joined(2)})`;
    case Storage.Int32:
      return `(${joined(4)})`;
    case Storage.Uint32:
      return `(${joined(4)}) >>> 0`;
    case Storage.Int64:
      return scratch(8, "i64");
    case Storage.Uint64:
      return scratch(8, "u64");
    case Storage.Float16:
      return `viewOf(b).getFloat16(base + ${offset}, ${littleEndian})`;
    case Storage.Float32:
      return scratch(4, "f32");
    case Storage.Float64:
      return scratch(8, "f64");
    case Storage.Bool:
      return `${at(0)} !== 0`;
    case Storage.Char:
    case Storage.String:
      return `copyOut(b, base + ${offset}, ${width})`;
    case Storage.Pascal:
      return `unpackPascal(viewOf(b), base + ${offset}, ${width})`;
  }
}

/** A parsed layout with its codec. */
interface CompiledLayout extends Layout {
  readonly codec: Codec;
}

/**
 * Compiled layouts by format, shared by every {@linkcode Struct} of a format
 * (and by `pack`, `unpack` …, which make one per call). Like CPython's own
 * cache of formats, it forgets everything when it holds 100. Only formats of
 * up to {@linkcode MAX_CACHED_FORMAT} characters are kept: a layout takes
 * memory in proportion to its format, and 100 formats of a megabyte each
 * would hold gigabytes.
 */
const LAYOUTS = new Map<string, CompiledLayout>();

/** The longest format {@linkcode LAYOUTS} keeps (real ones are a few characters). */
const MAX_CACHED_FORMAT = 256;

/** The layout of `format`, parsed and compiled the first time it is asked for. */
function compiledLayout(format: string): CompiledLayout {
  let layout = LAYOUTS.get(format);
  if (layout === undefined) {
    const parsed = parseFormat(format);
    const codec = parsed.valueCount <= MAX_COMPILED_VALUES
      ? compiledCodec(parsed)
      : generalCodec(parsed);
    layout = { ...parsed, codec };
    if (format.length <= MAX_CACHED_FORMAT) {
      if (LAYOUTS.size >= 100) LAYOUTS.clear();
      LAYOUTS.set(format, layout);
    }
  }
  return layout;
}

// ---------------------------------------------------------------------------
// Memory for packed bytes.

/**
 * `pack` and unpacked `s`, `c` and `p` values take their bytes from slabs of
 * 8 KiB, the way Node's `Buffer` pool does: a new `ArrayBuffer` costs about a
 * microsecond, far more than packing a small struct, while a view into an
 * existing one costs a few nanoseconds. So a result of up to 256 bytes may
 * share its `ArrayBuffer` with other results: use its `byteOffset` and
 * `byteLength` (or copy it with `slice()`) when you need the buffer itself,
 * and never transfer it.
 */
const SLAB_SIZE = 8192;
const MAX_SLAB_SLICE = 256;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/**
 * `size` zeroed bytes from the current slab, or of their own when larger than
 * a slice; CPython's `MemoryError` as a `StructError` with a message.
 */
function allocate(size: number): Uint8Array<ArrayBuffer> {
  if (size > MAX_SLAB_SLICE) {
    try {
      return new Uint8Array(size);
    } catch (error) {
      throw new StructError(`cannot allocate ${size} bytes to pack into`, { cause: error });
    }
  }
  if (slabUsed + size > SLAB_SIZE || slab.byteLength === 0) { // 0: detached (transferred)
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const bytes = new Uint8Array(slab, slabUsed, size);
  slabUsed += (size + 7) & ~7; // keep slices 8-byte aligned
  return bytes;
}

// ---------------------------------------------------------------------------
// Buffers and offsets.

/** The bytes of a bytes-like argument, or Python's `TypeError` text. */
function readableBytes(buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (buffer instanceof ArrayBuffer || buffer instanceof SharedArrayBuffer) {
    return new Uint8Array(buffer);
  }
  throw new StructError(`a bytes-like object is required, not '${pythonTypeName(buffer)}'`);
}

/** A `DataView` of exactly the bytes of `bytes`. */
function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The bytes of a writable buffer argument, or Python's `TypeError` text. */
function writableBytes(buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (buffer instanceof ArrayBuffer || buffer instanceof SharedArrayBuffer) {
    return new Uint8Array(buffer);
  }
  const name = buffer === null || buffer === undefined ? "None" : pythonTypeName(buffer);
  throw new StructError(`argument must be read-write bytes-like object, not ${name}`);
}

/** An offset argument as a C `Py_ssize_t`; `overflowMessage` differs per caller. */
function offsetArgument(offset: unknown, overflowMessage: string): number {
  const integer = typeof offset === "boolean" ? Number(offset) : offset;
  if (typeof integer !== "number" || !Number.isInteger(integer)) {
    throw new StructError(
      `'${pythonTypeName(offset)}' object cannot be interpreted as an integer`,
    );
  }
  if (integer < -(2 ** 63) || integer >= 2 ** 63) throw new StructError(overflowMessage);
  return integer;
}

/** Decimal text of an integral `number`, exact even beyond 2**53. */
function decimal(integer: number): string {
  return BigInt(integer).toString();
}

/**
 * Resolves a (possibly negative) offset into a buffer as CPython's
 * `unpack_from` and `pack_into` do, or throws their error.
 */
function resolveOffset(
  offset: number,
  size: number,
  bufferLength: number,
  verb: "unpack" | "pack",
): number {
  if (offset < 0) {
    if (offset + size > 0) {
      throw new StructError(
        verb === "unpack"
          ? `not enough data to unpack ${size} bytes at offset ${decimal(offset)}`
          : `no space to pack ${size} bytes at offset ${decimal(offset)}`,
      );
    }
    if (offset + bufferLength < 0) {
      throw new StructError(
        `offset ${decimal(offset)} out of range for ${bufferLength}-byte buffer`,
      );
    }
    offset += bufferLength;
  }
  if (bufferLength - offset < size) {
    const needed = (BigInt(size) + BigInt(offset)).toString();
    const [caller, gerund] = verb === "unpack"
      ? ["unpack_from", "unpacking"]
      : ["pack_into", "packing"];
    throw new StructError(
      `${caller} requires a buffer of at least ${needed} bytes for ${gerund} ${size} bytes ` +
        `at offset ${decimal(offset)} (actual buffer size is ${bufferLength})`,
    );
  }
  return offset;
}

// ---------------------------------------------------------------------------
// The public API.

/**
 * A compiled format string, like Python's `struct.Struct`: the format is
 * parsed once, so packing and unpacking only walk precomputed offsets. Reuse
 * one instance for every record of the same layout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Struct } from "./struct.ts";
 *
 * const record = new Struct("!HHI");
 * const bytes = record.pack(80, 8080, 42);
 * assert.equal(record.size, 8);
 * assert.deepEqual(record.unpack(bytes), [80, 8080, 42]);
 * ```
 */
export class Struct {
  /** The format string this struct was built from. */
  readonly format: string;
  /** The number of bytes the struct packs to, as `calcsize(format)`. */
  readonly size: number;
  readonly #valueCount: number;
  readonly #runs: readonly Run[];
  readonly #offsets: ArrayLike<number>;
  readonly #repeats: ArrayLike<number>;
  readonly #codec: Codec;
  #codes: readonly string[] | undefined;
  #fields: readonly StructField[] | undefined;

  /**
   * Parses `format` into a compiled layout.
   *
   * @throws {StructError} if the format is invalid (`bad char in struct format`, ...).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * const header = new Struct("<I2s");
   * assert.equal(header.format, "<I2s");
   * assert.equal(header.size, 6);
   * ```
   */
  constructor(format: string) {
    const layout = compiledLayout(format);
    this.format = format;
    this.size = layout.size;
    this.#valueCount = layout.valueCount;
    this.#runs = layout.runs;
    this.#offsets = layout.offsets;
    this.#repeats = layout.repeats;
    this.#codec = layout.codec;
  }

  /**
   * One format character per value the struct packs or unpacks, in order:
   * repeat counts are expanded except for `s` and `p` (one value each), and
   * `x` pad bytes give nothing.
   *
   * @throws {StructError} if the struct has more than 2**20 values: a format such as
   * `"999999999999b"` is valid, but too long to list.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * assert.deepEqual(new Struct(">2h3sx?").codes, ["h", "h", "s", "?"]);
   * ```
   */
  get codes(): readonly string[] {
    if (this.#codes === undefined) {
      this.#checkListable();
      const codes: string[] = [];
      this.#runs.forEach((run, r) => {
        for (let i = 0; i < this.#repeats[r]; i++) codes.push(run.type.info.code);
      });
      this.#codes = Object.freeze(codes);
    }
    return this.#codes;
  }

  /**
   * Where each value goes in the packed bytes, in the order of
   * {@linkcode Struct.codes}. The bytes no field covers are padding: `x`
   * codes, and the alignment that native mode (`@`) adds before a field.
   *
   * @throws {StructError} if the struct has more than 2**20 values.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * assert.deepEqual(new Struct("@bxi").fields, [
   *   { code: "b", offset: 0, size: 1 },
   *   { code: "i", offset: 4, size: 4 }, // after the pad byte and native alignment
   * ]);
   * ```
   */
  get fields(): readonly StructField[] {
    if (this.#fields === undefined) {
      this.#checkListable();
      const fields: StructField[] = [];
      this.#runs.forEach((run, r) => {
        for (let i = 0; i < this.#repeats[r]; i++) {
          const field = {
            code: run.type.info.code,
            offset: this.#offsets[r] + i * run.step,
            size: run.width,
          };
          fields.push(Object.freeze(field));
        }
      });
      this.#fields = Object.freeze(fields);
    }
    return this.#fields;
  }

  /**
   * Packs the values into a new `Uint8Array` of {@linkcode Struct.size} bytes.
   *
   * @throws {StructError} if the number of values is wrong or a value does
   * not fit its code.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * assert.deepEqual(new Struct("<hH").pack(-2, 65535), new Uint8Array([254, 255, 255, 255]));
   * ```
   */
  pack(...values: StructValue[]): Uint8Array<ArrayBuffer> {
    if (values.length !== this.#valueCount) this.#wrongValueCount("pack", values.length);
    const bytes = allocate(this.size);
    this.#codec.encode(bytes, 0, values);
    return bytes;
  }

  /**
   * Packs the values into `buffer` starting at `offset`; a negative offset
   * counts from the end of the buffer. The struct's bytes are zeroed first,
   * and a value that does not fit leaves the ones before it written, as in
   * CPython.
   *
   * @throws {StructError} if the values are wrong or the buffer is too small.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * const buffer = new Uint8Array(6);
   * new Struct(">H").packInto(buffer, -2, 0x1234);
   * assert.deepEqual(buffer, new Uint8Array([0, 0, 0, 0, 18, 52]));
   * ```
   */
  packInto(buffer: BytesLike, offset: number, ...values: StructValue[]): void {
    if (values.length !== this.#valueCount) this.#wrongValueCount("pack_into", values.length);
    const bytes = writableBytes(buffer);
    const start = resolveOffset(
      offsetArgument(offset, "cannot fit 'int' into an index-sized integer"),
      this.size,
      bytes.length,
      "pack",
    );
    this.#codec.encode(bytes, start, values);
  }

  /**
   * Unpacks a buffer of exactly {@linkcode Struct.size} bytes.
   *
   * @throws {StructError} if the buffer has another length.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * const bytes = new Uint8Array([255, 254, 0, 0, 0, 0, 0, 0, 0, 9]);
   * assert.deepEqual(new Struct(">hq").unpack(bytes), [-2, 9n]); // a q is a bigint
   * ```
   */
  unpack(buffer: BytesLike): StructValue[] {
    const bytes = readableBytes(buffer);
    if (bytes.length !== this.size) {
      throw new StructError(`unpack requires a buffer of ${this.size} bytes`);
    }
    return this.#codec.decode(bytes, 0);
  }

  /**
   * Unpacks {@linkcode Struct.size} bytes of `buffer` starting at `offset`; a
   * negative offset counts from the end. Bytes after the struct are ignored.
   *
   * @throws {StructError} if the buffer is too short for the offset.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * const packet = new Uint8Array([9, 0, 1, 0, 2]);
   * assert.deepEqual(new Struct("<H").unpackFrom(packet, 1), [256]);
   * assert.deepEqual(new Struct("<H").unpackFrom(packet, -2), [512]);
   * ```
   */
  unpackFrom(buffer: BytesLike, offset = 0): StructValue[] {
    const bytes = readableBytes(buffer);
    const start = resolveOffset(
      offsetArgument(offset, "Python int too large to convert to C ssize_t"),
      this.size,
      bytes.length,
      "unpack",
    );
    return this.#codec.decode(bytes, start);
  }

  /**
   * Unpacks a buffer holding consecutive structs, one array of values per
   * struct. The buffer is checked when this is called, not when iterating.
   *
   * @throws {StructError} if the struct is empty or the buffer's length is
   * not a multiple of its size.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Struct } from "./struct.ts";
   *
   * const records = new Struct(">HB").iterUnpack(new Uint8Array([0, 1, 7, 0, 2, 8]));
   * assert.deepEqual([...records], [[1, 7], [2, 8]]);
   * ```
   */
  iterUnpack(buffer: BytesLike): IterableIterator<StructValue[]> {
    if (this.size === 0) {
      throw new StructError("cannot iteratively unpack with a struct of length 0");
    }
    const bytes = readableBytes(buffer);
    if (bytes.length % this.size !== 0) {
      throw new StructError(
        `iterative unpacking requires a buffer of a multiple of ${this.size} bytes`,
      );
    }
    return this.#records(bytes);
  }

  *#records(bytes: Uint8Array): IterableIterator<StructValue[]> {
    for (let offset = 0; offset < bytes.length; offset += this.size) {
      yield this.#codec.decode(bytes, offset);
    }
  }

  /** Refuses to list more values than fit in memory (CPython has no such lists). */
  #checkListable(): void {
    if (this.#valueCount > MAX_LISTED_VALUES) {
      throw new StructError(
        `a struct of ${this.#valueCount} values is too long to list (at most ${MAX_LISTED_VALUES})`,
      );
    }
  }

  #wrongValueCount(caller: string, count: number): never {
    throw new StructError(
      `${caller} expected ${this.#valueCount} items for packing (got ${count})`,
    );
  }
}

/**
 * Packs the values by `format` into a new `Uint8Array`, like Python's
 * `struct.pack`. The format's layout comes from a cache (see
 * {@linkcode Struct}), but a `Struct` kept for a layout used repeatedly saves
 * even the lookup.
 *
 * @throws {StructError} if the format is invalid, the number of values is
 * wrong, or a value does not fit its code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pack } from "./struct.ts";
 *
 * assert.deepEqual(pack("<e", 1.0), new Uint8Array([0, 60]));
 * assert.deepEqual(
 *   pack("@ci", new Uint8Array([42]), 0x12131415),
 *   new Uint8Array([42, 0, 0, 0, 0x15, 0x14, 0x13, 0x12]), // 3 pad bytes align the int
 * );
 * ```
 */
export function pack(format: string, ...values: StructValue[]): Uint8Array<ArrayBuffer> {
  return new Struct(format).pack(...values);
}

/**
 * Unpacks a buffer of exactly `calcsize(format)` bytes, like Python's
 * `struct.unpack`. Views are read within their `byteOffset`/`byteLength`.
 *
 * @throws {StructError} if the format is invalid or the buffer's length differs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unpack } from "./struct.ts";
 *
 * assert.deepEqual(unpack(">bhl", new Uint8Array([1, 0, 2, 0, 0, 0, 3])), [1, 2, 3]);
 * ```
 */
export function unpack(format: string, buffer: BytesLike): StructValue[] {
  return new Struct(format).unpack(buffer);
}

/**
 * The number of bytes `format` packs to, like Python's `struct.calcsize`.
 *
 * @throws {StructError} if the format is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calcsize } from "./struct.ts";
 *
 * assert.equal(calcsize("@ci"), 8); // padding before the int
 * assert.equal(calcsize("@ic"), 5);
 * assert.equal(calcsize("@llh"), 18);
 * assert.equal(calcsize("@llh0l"), 24); // 0l pads to the next long
 * ```
 */
export function calcsize(format: string): number {
  return new Struct(format).size;
}

/**
 * Packs the values by `format` into `buffer` at `offset` (negative: from the
 * end), like Python's `struct.pack_into`.
 *
 * @throws {StructError} if the format or values are wrong or the buffer is too small.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packInto } from "./struct.ts";
 *
 * const buffer = new Uint8Array(8);
 * packInto("<I", buffer, 4, 1);
 * assert.deepEqual(buffer, new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]));
 * ```
 */
export function packInto(
  format: string,
  buffer: BytesLike,
  offset: number,
  ...values: StructValue[]
): void {
  new Struct(format).packInto(buffer, offset, ...values);
}

/**
 * Unpacks `calcsize(format)` bytes of `buffer` at `offset` (negative: from
 * the end), like Python's `struct.unpack_from`.
 *
 * @throws {StructError} if the format is invalid or the buffer too short.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unpackFrom } from "./struct.ts";
 *
 * assert.deepEqual(unpackFrom(">H", new Uint8Array([0, 0, 1, 2]), 2), [258]);
 * ```
 */
export function unpackFrom(format: string, buffer: BytesLike, offset = 0): StructValue[] {
  return new Struct(format).unpackFrom(buffer, offset);
}

/**
 * Iterates over consecutive structs in `buffer`, like Python's
 * `struct.iter_unpack`.
 *
 * @throws {StructError} if the format is invalid or empty, or the buffer's
 * length is not a multiple of its size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { iterUnpack } from "./struct.ts";
 *
 * const bytes = new Uint8Array([0, 0, 0, 1, 2, 0, 0, 0, 3, 4]);
 * assert.deepEqual([...iterUnpack(">IB", bytes)], [[1, 2], [3, 4]]);
 * ```
 */
export function iterUnpack(format: string, buffer: BytesLike): IterableIterator<StructValue[]> {
  return new Struct(format).iterUnpack(buffer);
}
