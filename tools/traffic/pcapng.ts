/**
 * Reading pcapng files, the format Wireshark, dumpcap and tshark save by default. A
 * pcapng file is a list of blocks, each framed the same way: its type (4 bytes), its
 * total length (4 bytes, a multiple of 4), the body, and the total length again, so a
 * reader can skip a block it does not know. The blocks read here:
 *
 * - **Section Header** (type `0a0d0d0a`): starts the file and every later section. Its
 *   byte-order magic `1a2b3c4d` says in which byte order the section's numbers are
 *   written; a new section starts its interface numbering again.
 * - **Interface Description** (type 1): one per interface, numbered from 0 in its
 *   section: its link type, its snap length (0 = no limit) and options, among them its
 *   name (`if_name`), its timestamp resolution (`if_tsresol`: 10^-n or 2^-n seconds,
 *   microseconds when absent), the FCS length (`if_fcslen`) and a timestamp offset
 *   (`if_tsoffset`, seconds).
 * - **Enhanced Packet** (type 6): a packet, the interface it came from, a 64-bit
 *   timestamp in that interface's units, the captured and original lengths.
 * - **Simple Packet** (type 3): a packet from interface 0 with only its original length:
 *   the captured length is the smaller of that and the interface's snap length. It
 *   carries no timestamp (read as 0).
 * - The obsolete **Packet** block (type 2) of old files, read like an Enhanced Packet.
 *
 * Every other block (interface statistics, name resolution, decryption secrets, custom
 * blocks, types not yet assigned) is skipped and counted. Every length is checked before
 * it is used: a file cut short or a length that cannot be right throws a
 * {@linkcode PcapError} naming the block, its byte offset and what is wrong.
 *
 * @example Read a one-packet file built by hand
 * ```ts
 * import assert from "node:assert/strict";
 * import { unhexlify } from "../../lib/bytes.ts";
 * import { readPcapng } from "./pcapng.ts";
 *
 * const file = unhexlify(
 *   "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000" + // section header
 *     "01000000 14000000 6500 0000 00000000 14000000" + // interface 0: raw IP, no snap limit
 *     "06000000 24000000 00000000 00000000 0a000000 04000000 04000000 45000014 24000000",
 * );
 * const capture = readPcapng(file);
 * assert.equal(capture.interfaces[0].linkType, 101);
 * assert.equal(capture.interfaces[0].timestampUnit, "microsecond");
 * assert.equal(capture.records[0].nanoseconds, 10_000); // 10 µs
 * assert.deepEqual([...capture.records[0].data], [0x45, 0, 0, 0x14]);
 * ```
 *
 * @module
 */
import { utf8Decode, withoutTrailing } from "../../lib/bytes.ts";
import { Struct } from "../../lib/struct.ts";
import type { Capture, CaptureInterface, CaptureRecord } from "./capture_file.ts";
import { PcapError } from "./pcap.ts";

/**
 * The block types of pcapng (the ones this module reads, and the common ones it skips).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlockType } from "./pcapng.ts";
 *
 * assert.equal(BlockType.ENHANCED_PACKET, 6);
 * ```
 */
export const BlockType: Readonly<{
  SECTION_HEADER: 0x0a0d0d0a;
  INTERFACE_DESCRIPTION: 1;
  PACKET: 2;
  SIMPLE_PACKET: 3;
  NAME_RESOLUTION: 4;
  INTERFACE_STATISTICS: 5;
  ENHANCED_PACKET: 6;
  DECRYPTION_SECRETS: 0x0a;
}> = Object.freeze({
  /** Starts a section; its body says the byte order. */
  SECTION_HEADER: 0x0a0d0d0a,
  /** An interface: link type, snap length, options. */
  INTERFACE_DESCRIPTION: 1,
  /** The obsolete packet block of old files. */
  PACKET: 2,
  /** A packet from interface 0, without timestamp nor captured length. */
  SIMPLE_PACKET: 3,
  /** Addresses and their names (skipped). */
  NAME_RESOLUTION: 4,
  /** An interface's counters (skipped). */
  INTERFACE_STATISTICS: 5,
  /** A packet, its interface and timestamp. */
  ENHANCED_PACKET: 6,
  /** TLS keys and the like (skipped). */
  DECRYPTION_SECRETS: 0x0a,
});

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPTION_END = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;
/** Type, length, and the length again: the smallest block. */
const MIN_BLOCK = 12;

type ByteOrder = "little" | "big";
const structs = (format: string) => ({
  little: new Struct(`<${format}`),
  big: new Struct(`>${format}`),
});
const U32 = structs("I");
const U16 = structs("H");
const I64 = structs("q");
const SECTION_BODY = structs("IHHq"); // magic, major, minor, section length
const INTERFACE_BODY = structs("HHI"); // link type, reserved, snap length
const ENHANCED_BODY = structs("IIIII"); // interface, ts high, ts low, captured, original
const PACKET_BODY = structs("HHIIII"); // interface, drops, ts high, ts low, captured, original

/** An interface while its section is read: what its packets need. */
interface SectionInterface {
  info: CaptureInterface;
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

/**
 * Whether `bytes` start like a pcapng file: with a Section Header Block, whose type
 * reads the same in both byte orders.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPcapng } from "./pcapng.ts";
 *
 * assert.equal(isPcapng(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0])), true);
 * assert.equal(isPcapng(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])), false); // classic pcap
 * ```
 */
export function isPcapng(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d &&
    bytes[3] === 0x0a;
}

/**
 * Reads a whole pcapng file held in memory into the model of `./capture_file.ts`
 * (`readCapture` calls this for pcapng files). Records are views into `bytes`.
 *
 * @throws {PcapError} if the file does not start with a section header, is cut short, or
 * a block's lengths, byte-order magic, version, options or interface number are
 * impossible.
 *
 * @example A big-endian section with a simple packet block
 * ```ts
 * import assert from "node:assert/strict";
 * import { unhexlify } from "../../lib/bytes.ts";
 * import { readPcapng } from "./pcapng.ts";
 *
 * const file = unhexlify(
 *   "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c" + // section header
 *     "00000001 00000014 0065 0000 00000002 00000014" + // interface 0: raw IP, snap length 2
 *     "00000003 00000014 00000004 45000000 00000014", // 4 bytes on the wire, 2 kept
 * );
 * const { byteOrder, records } = readPcapng(file);
 * assert.equal(byteOrder, "big");
 * assert.deepEqual([records[0].originalLength, records[0].data.length], [4, 2]);
 * ```
 */
export function readPcapng(bytes: Uint8Array): Capture {
  if (!isPcapng(bytes)) {
    throw new PcapError("not a pcapng file: it does not start with a section header (0a0d0d0a)");
  }
  const interfaces: CaptureInterface[] = [];
  const records: CaptureRecord[] = [];
  let section: SectionInterface[] = [];
  let order: ByteOrder = "little";
  let firstOrder: ByteOrder | null = null;
  let skippedBlocks = 0;
  for (let offset = 0, blockNumber = 1; offset < bytes.length; blockNumber++) {
    const where = `block ${blockNumber} at byte ${offset}`;
    const left = bytes.length - offset;
    if (left < MIN_BLOCK) {
      throw new PcapError(
        `truncated pcapng file: ${where} needs at least ${MIN_BLOCK} bytes, only ${left} are left`,
      );
    }
    const type = U32[order].unpackFrom(bytes, offset)[0] as number;
    if (type === BlockType.SECTION_HEADER) order = sectionByteOrder(bytes, offset, where);
    firstOrder ??= order;
    const [length] = U32[order].unpackFrom(bytes, offset + 4) as number[];
    checkBlockLength(bytes, offset, length, where, order);
    const body = bytes.subarray(offset + 8, offset + length - 4);
    const block = `${where} (${blockName(type)})`;
    switch (type) {
      case BlockType.SECTION_HEADER:
        readSectionHeader(body, order, block);
        section = [];
        break;
      case BlockType.INTERFACE_DESCRIPTION: {
        const described = readInterface(body, order, block, interfaces.length);
        interfaces.push(described.info);
        section.push(described);
        break;
      }
      case BlockType.ENHANCED_PACKET:
      case BlockType.PACKET:
        records.push(readPacket(body, order, block, type, section, records.length + 1, offset));
        break;
      case BlockType.SIMPLE_PACKET:
        records.push(readSimplePacket(body, order, block, section, records.length + 1, offset));
        break;
      default:
        skippedBlocks++;
    }
    offset += length;
  }
  return {
    format: "pcapng",
    byteOrder: firstOrder ?? "little",
    interfaces,
    records,
    skippedBlocks,
  };
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function blockName(type: number): string {
  const names: Record<number, string> = {
    [BlockType.SECTION_HEADER]: "section header",
    [BlockType.INTERFACE_DESCRIPTION]: "interface description",
    [BlockType.PACKET]: "packet",
    [BlockType.SIMPLE_PACKET]: "simple packet",
    [BlockType.NAME_RESOLUTION]: "name resolution",
    [BlockType.INTERFACE_STATISTICS]: "interface statistics",
    [BlockType.ENHANCED_PACKET]: "enhanced packet",
    [BlockType.DECRYPTION_SECRETS]: "decryption secrets",
  };
  return names[type] ?? `type ${hex32(type)}`;
}

/** The byte order a section header's magic gives (the magic follows type and length). */
function sectionByteOrder(bytes: Uint8Array, offset: number, where: string): ByteOrder {
  if (bytes.length - offset < 12) {
    throw new PcapError(
      `truncated pcapng file: the section header at byte ${offset} is cut before its byte-order magic`,
    );
  }
  if (U32.little.unpackFrom(bytes, offset + 8)[0] === BYTE_ORDER_MAGIC) return "little";
  if (U32.big.unpackFrom(bytes, offset + 8)[0] === BYTE_ORDER_MAGIC) return "big";
  const found = hex32(U32.big.unpackFrom(bytes, offset + 8)[0] as number);
  throw new PcapError(
    `corrupt pcapng file: ${where} (section header) has byte-order magic ${found}, not 1a2b3c4d ` +
      "or 4d3c2b1a",
  );
}

/** Checks a block's length fields against each other and against the file. */
function checkBlockLength(
  bytes: Uint8Array,
  offset: number,
  length: number,
  where: string,
  order: ByteOrder,
): void {
  if (length < MIN_BLOCK || length % 4 !== 0) {
    throw new PcapError(
      `corrupt pcapng file: ${where} declares a length of ${length} bytes, which must be a ` +
        `multiple of 4 and at least ${MIN_BLOCK}`,
    );
  }
  if (length > bytes.length - offset) {
    throw new PcapError(
      `truncated pcapng file: ${where} declares ${length} bytes, only ${
        bytes.length - offset
      } are left`,
    );
  }
  const [trailing] = U32[order].unpackFrom(bytes, offset + length - 4) as number[];
  if (trailing !== length) {
    throw new PcapError(
      `corrupt pcapng file: ${where} declares ${length} bytes at its start and ${trailing} at its end`,
    );
  }
}

/** Fails unless the block's body has room for `needed` bytes. */
function requireBody(body: Uint8Array, needed: number, block: string, what: string): void {
  if (body.length < needed) {
    throw new PcapError(
      `corrupt pcapng file: ${block} is too short for its ${what}: ${needed} bytes needed, ` +
        `the block holds ${body.length}`,
    );
  }
}

function readSectionHeader(body: Uint8Array, order: ByteOrder, block: string): void {
  requireBody(body, 16, block, "fields");
  const [, major, minor] = SECTION_BODY[order].unpackFrom(body, 0) as number[];
  if (major !== 1) {
    throw new PcapError(
      `unsupported pcapng file: ${block} says format version ${major}.${minor}; this reader knows 1.x`,
    );
  }
  readOptions(body, 16, order, block); // checked, none used
}

/** The options after `start` in `body`, by code; each option's length is checked. */
function readOptions(
  body: Uint8Array,
  start: number,
  order: ByteOrder,
  block: string,
): Map<number, Uint8Array> {
  const options = new Map<number, Uint8Array>();
  for (let at = start; body.length - at >= 4;) {
    const [code] = U16[order].unpackFrom(body, at) as number[];
    const [length] = U16[order].unpackFrom(body, at + 2) as number[];
    if (code === OPTION_END) break;
    const padded = length + (-length & 3);
    if (at + 4 + padded > body.length) {
      throw new PcapError(
        `corrupt pcapng file: ${block} has option ${code} of ${length} bytes at byte ${at} of ` +
          `its body, which runs past the block's end`,
      );
    }
    if (!options.has(code)) options.set(code, body.subarray(at + 4, at + 4 + length));
    at += 4 + padded;
  }
  return options;
}

function readInterface(
  body: Uint8Array,
  order: ByteOrder,
  block: string,
  id: number,
): SectionInterface {
  requireBody(body, 8, block, "fields");
  const [linkType, , snapLength] = INTERFACE_BODY[order].unpackFrom(body, 0) as number[];
  const options = readOptions(body, 8, order, block);
  const oneByte = (code: number, name: string): number | null => {
    const value = options.get(code);
    if (value === undefined) return null;
    if (value.length !== 1) {
      throw new PcapError(`corrupt pcapng file: ${block} has a ${value.length}-byte ${name}`);
    }
    return value[0];
  };
  const resolution = oneByte(IF_TSRESOL, "if_tsresol") ?? 6;
  const binary = (resolution & 0x80) !== 0;
  const exponent = resolution & 0x7f;
  const offsetOption = options.get(IF_TSOFFSET);
  if (offsetOption !== undefined && offsetOption.length !== 8) {
    throw new PcapError(
      `corrupt pcapng file: ${block} has a ${offsetOption.length}-byte if_tsoffset`,
    );
  }
  const name = options.get(IF_NAME);
  return {
    info: {
      id,
      linkType,
      snapLength,
      fcsLength: oneByte(IF_FCSLEN, "if_fcslen") ?? 0,
      // Not /\0+$/: retried from every NUL, a name of 64 KB of them took seconds.
      name: name ? withoutTrailing(utf8Decode(name), "\0") : null,
      timestampUnit: timestampUnit(binary, exponent),
    },
    unitsPerSecond: binary ? 2n ** BigInt(exponent) : 10n ** BigInt(exponent),
    offsetSeconds: offsetOption ? I64[order].unpackFrom(offsetOption, 0)[0] as bigint : 0n,
  };
}

function timestampUnit(binary: boolean, exponent: number): string {
  if (binary) return `1/2^${exponent} second`;
  const named: Record<number, string> = {
    0: "second",
    3: "millisecond",
    6: "microsecond",
    9: "nanosecond",
    12: "picosecond",
  };
  return named[exponent] ?? `10^-${exponent} second`;
}

/** The interface `id` of the current section, or a clear error. */
function sectionInterface(section: SectionInterface[], id: number, block: string) {
  const found = section[id];
  if (found === undefined) {
    throw new PcapError(
      `corrupt pcapng file: ${block} comes from interface ${id}, but its section has ` +
        `${section.length === 0 ? "no interface" : `interfaces 0 to ${section.length - 1}`}`,
    );
  }
  return found;
}

/** An Enhanced Packet Block, or the obsolete Packet Block (same fields, 16-bit interface). */
function readPacket(
  body: Uint8Array,
  order: ByteOrder,
  block: string,
  type: number,
  section: SectionInterface[],
  number: number,
  fileOffset: number,
): CaptureRecord {
  const enhanced = type === BlockType.ENHANCED_PACKET;
  requireBody(body, 20, block, "fields");
  const fields = (enhanced ? ENHANCED_BODY : PACKET_BODY)[order].unpackFrom(body, 0) as number[];
  const [id, high, low, captured, original] = enhanced ? fields : [fields[0], ...fields.slice(2)];
  const source = sectionInterface(section, id, block);
  if (captured > body.length - 20) {
    throw new PcapError(
      `corrupt pcapng file: ${block} declares ${captured} captured bytes, the block holds ` +
        `${body.length - 20}`,
    );
  }
  const units = (BigInt(high) << 32n) | BigInt(low);
  const seconds = units / source.unitsPerSecond + source.offsetSeconds;
  const nanoseconds = (units % source.unitsPerSecond) * 1_000_000_000n / source.unitsPerSecond;
  return {
    number,
    fileOffset,
    seconds: Number(seconds),
    nanoseconds: Number(nanoseconds),
    originalLength: Math.max(original, captured),
    data: body.subarray(20, 20 + captured),
    interfaceId: source.info.id,
    linkType: source.info.linkType,
  };
}

function readSimplePacket(
  body: Uint8Array,
  order: ByteOrder,
  block: string,
  section: SectionInterface[],
  number: number,
  fileOffset: number,
): CaptureRecord {
  requireBody(body, 4, block, "original length");
  const [original] = U32[order].unpackFrom(body, 0) as number[];
  const source = sectionInterface(section, 0, block);
  const snap = source.info.snapLength === 0 ? Infinity : source.info.snapLength;
  const captured = Math.min(original, snap);
  if (captured > body.length - 4) {
    throw new PcapError(
      `corrupt pcapng file: ${block} should hold ${captured} captured bytes (original length ` +
        `${original}, snap length ${source.info.snapLength}), the block holds ${body.length - 4}`,
    );
  }
  return {
    number,
    fileOffset,
    seconds: 0,
    nanoseconds: 0,
    originalLength: original,
    data: body.subarray(4, 4 + captured),
    interfaceId: source.info.id,
    linkType: source.info.linkType,
  };
}
