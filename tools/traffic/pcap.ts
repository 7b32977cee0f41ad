/**
 * Reading and writing classic pcap files, the format `tcpdump -w` writes and Wireshark
 * reads: a 24-byte file header, then one 16-byte record header and the captured bytes per
 * packet. The headers are decoded with {@linkcode Struct} from `../../lib/struct.ts`.
 *
 * - Both byte orders: the file is written in the byte order of the machine that captured
 *   it; the magic number at offset 0 says which (`a1b2c3d4` read back as `d4c3b2a1` means
 *   the other order).
 * - Both timestamp precisions: magic `a1b2c3d4` gives microseconds after each second,
 *   `a1b23c4d` nanoseconds. {@linkcode PcapRecord.nanoseconds} is always nanoseconds.
 * - The link type (what the first byte of each packet is: Ethernet, Linux cooked, raw
 *   IP, …) is read from the header; `./packet.ts` decodes the packets themselves.
 *
 * A file that is not pcap, or is cut short, throws a {@linkcode PcapError} that says
 * where and what is wrong. pcapng (Wireshark's default "Save" format) is read by
 * `./pcapng.ts`; `readCapture` in `./capture_file.ts` reads either, and is what the
 * tools use.
 *
 * @example Write a capture in memory, then read it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkType, readPcap, writePcap } from "./pcap.ts";
 *
 * const file = writePcap({ linkType: LinkType.RAW }, [
 *   { seconds: 1700000000, nanoseconds: 250_000, data: new Uint8Array([0x45, 0, 0, 20]) },
 * ]);
 * const { header, records } = readPcap(file);
 * assert.equal(header.byteOrder, "little");
 * assert.equal(header.precision, "micro");
 * assert.equal(header.linkType, LinkType.RAW);
 * assert.equal(records[0].nanoseconds, 250_000);
 * assert.deepEqual(records[0].data, new Uint8Array([0x45, 0, 0, 20]));
 * ```
 *
 * @module
 */
import { Struct } from "../../lib/struct.ts";

/**
 * Link-layer header types that can appear in a pcap header (the `LINKTYPE_` values of
 * tcpdump.org's list). `RAW`, `DLT_RAW` and `DLT_RAW_OPENBSD` all mean "the packet starts
 * with an IPv4 or IPv6 header": 101 is the value files should use, 12 and 14 are the
 * platform `DLT_RAW` values (most systems and OpenBSD) that older tools wrote as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkType, linkTypeName } from "./pcap.ts";
 *
 * assert.equal(LinkType.ETHERNET, 1);
 * assert.equal(linkTypeName(LinkType.LINUX_SLL2), "Linux cooked v2");
 * ```
 */
export const LinkType: Readonly<{
  NULL: 0;
  ETHERNET: 1;
  DLT_RAW: 12;
  DLT_RAW_OPENBSD: 14;
  RAW: 101;
  LOOP: 108;
  LINUX_SLL: 113;
  IPV4: 228;
  IPV6: 229;
  LINUX_SLL2: 276;
}> = Object.freeze({
  /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
  NULL: 0,
  /** Ethernet II (also what Linux shows for `lo`). */
  ETHERNET: 1,
  /** `DLT_RAW` on most systems: raw IPv4 or IPv6. */
  DLT_RAW: 12,
  /** `DLT_RAW` on OpenBSD: raw IPv4 or IPv6. */
  DLT_RAW_OPENBSD: 14,
  /** Raw IPv4 or IPv6 (`LINKTYPE_RAW`). */
  RAW: 101,
  /** OpenBSD loopback: like `NULL`, but the family is in network byte order. */
  LOOP: 108,
  /** Linux cooked capture v1 (`tcpdump -i any` on older libpcap): a 16-byte header. */
  LINUX_SLL: 113,
  /** Raw IPv4 only. */
  IPV4: 228,
  /** Raw IPv6 only. */
  IPV6: 229,
  /** Linux cooked capture v2 (`tcpdump -i any` on libpcap 1.10+): a 20-byte header. */
  LINUX_SLL2: 276,
});

const LINK_TYPE_NAMES: Readonly<Record<number, string>> = {
  [LinkType.NULL]: "BSD loopback",
  [LinkType.ETHERNET]: "Ethernet",
  [LinkType.DLT_RAW]: "raw IP",
  [LinkType.DLT_RAW_OPENBSD]: "raw IP",
  [LinkType.RAW]: "raw IP",
  [LinkType.LOOP]: "OpenBSD loopback",
  [LinkType.LINUX_SLL]: "Linux cooked v1",
  [LinkType.IPV4]: "raw IPv4",
  [LinkType.IPV6]: "raw IPv6",
  [LinkType.LINUX_SLL2]: "Linux cooked v2",
};

/**
 * A readable name for a link type, or `link type N` for one this module does not know.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkTypeName } from "./pcap.ts";
 *
 * assert.equal(linkTypeName(113), "Linux cooked v1");
 * assert.equal(linkTypeName(147), "link type 147");
 * ```
 */
export function linkTypeName(linkType: number): string {
  return LINK_TYPE_NAMES[linkType] ?? `link type ${linkType}`;
}

/**
 * What is wrong with a file that is not a readable pcap file. The message names the
 * byte offset (and the record, counting from 1) where reading stopped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PcapError, readPcap } from "./pcap.ts";
 *
 * assert.throws(
 *   () => readPcap(new Uint8Array(10)),
 *   new PcapError("truncated pcap file: the file header needs 24 bytes, the file has 10"),
 * );
 * ```
 */
export class PcapError extends Error {
  /**
   * Creates the error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { PcapError } from "./pcap.ts";
   *
   * assert.equal(new PcapError("not a pcap file").name, "PcapError");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "PcapError";
  }
}

/** The 24-byte header at the start of a pcap file. */
export interface PcapHeader {
  /** The byte order every header field of the file is written in. */
  byteOrder: "little" | "big";
  /** Whether record timestamps count microseconds or nanoseconds after the second. */
  precision: "micro" | "nano";
  /** Format version, normally 2. */
  versionMajor: number;
  /** Format version, normally 4. */
  versionMinor: number;
  /** The most bytes of one packet the capture kept (`tcpdump -s`). */
  snapLength: number;
  /** What each packet starts with: one of {@linkcode LinkType}. */
  linkType: number;
  /**
   * How many bytes of Ethernet frame check sequence end every packet (0 unless the
   * header's FCS bit says otherwise).
   */
  fcsLength: number;
}

/** One captured packet. */
export interface PcapRecord {
  /** Position in the file, counting from 1 (the "No." column of Wireshark). */
  number: number;
  /** Byte offset of the record header in the file. */
  fileOffset: number;
  /** Whole seconds since 1970-01-01 UTC. */
  seconds: number;
  /** Nanoseconds after `seconds` (microsecond files give multiples of 1000). */
  nanoseconds: number;
  /**
   * How long the packet was on the wire: more than `data.length` if the snap length cut
   * it, and never less (a record claiming less is read as `data.length`).
   */
  originalLength: number;
  /** The captured bytes (a view into the file's bytes). */
  data: Uint8Array;
}

/** A whole pcap file: its header and every record in order. */
export interface Pcap {
  /** The file header. */
  header: PcapHeader;
  /** The packets, in file order. */
  records: PcapRecord[];
}

/** The magic number as it reads in the file's own byte order. */
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
/** The first 4 bytes of a pcapng file (a Section Header Block), any byte order. */
const PCAPNG_MAGIC = 0x0a0d0d0a;
const FILE_HEADER = { little: new Struct("<IHHiIII"), big: new Struct(">IHHiIII") };
const RECORD_HEADER = { little: new Struct("<IIII"), big: new Struct(">IIII") };
const FILE_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;
/** Larger than any real packet: a record claiming more is a corrupt length, not a packet. */
const MAX_RECORD_LENGTH = 0x4000000;
/** Bit 26 of the link-type field: "the top 4 bits give the FCS length in 16-bit words". */
const FCS_PRESENT = 0x04000000;

function hex32(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function readHeader(bytes: Uint8Array): PcapHeader {
  if (bytes.length < FILE_HEADER_SIZE) {
    throw new PcapError(
      `truncated pcap file: the file header needs ${FILE_HEADER_SIZE} bytes, the file has ${bytes.length}`,
    );
  }
  const [magicLittle] = new Struct("<I").unpackFrom(bytes, 0) as number[];
  const [magicBig] = new Struct(">I").unpackFrom(bytes, 0) as number[];
  if (magicLittle === PCAPNG_MAGIC) {
    throw new PcapError(
      "this is a pcapng file, not a classic pcap file: read it with readCapture " +
        "(tools/traffic/capture_file.ts), which reads both",
    );
  }
  let byteOrder: "little" | "big";
  let magic: number;
  if (magicLittle === MAGIC_MICRO || magicLittle === MAGIC_NANO) {
    [byteOrder, magic] = ["little", magicLittle];
  } else if (magicBig === MAGIC_MICRO || magicBig === MAGIC_NANO) {
    [byteOrder, magic] = ["big", magicBig];
  } else {
    throw new PcapError(
      `not a pcap file: it starts with ${hex32(magicBig)}, where a pcap file starts with ` +
        `a1b2c3d4 or a1b23c4d (or those bytes reversed)`,
    );
  }
  const [, versionMajor, versionMinor, , , snapLength, linkField] = FILE_HEADER[byteOrder]
    .unpackFrom(bytes, 0) as number[];
  return {
    byteOrder,
    precision: magic === MAGIC_NANO ? "nano" : "micro",
    versionMajor,
    versionMinor,
    snapLength,
    linkType: linkField & 0xffff,
    fcsLength: linkField & FCS_PRESENT ? (linkField >>> 28) * 2 : 0,
  };
}

/**
 * Reads a whole classic pcap file held in memory. Records are views into `bytes`, so
 * keep `bytes` unchanged while you use them.
 *
 * @throws {PcapError} if the file is not classic pcap (pcapng included), is cut short in a
 * header or a packet, or a record's lengths are impossible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkType, readPcap, writePcap } from "./pcap.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".pcap" }); // e.g. from deno task capture
 * await Deno.writeFile(path, writePcap({ linkType: LinkType.ETHERNET }, []));
 * const { header, records } = readPcap(await Deno.readFile(path));
 * assert.equal(records.length, 0);
 * assert.equal(header.linkType, LinkType.ETHERNET);
 * await Deno.remove(path);
 * ```
 */
export function readPcap(bytes: Uint8Array): Pcap {
  const header = readHeader(bytes);
  const recordHeader = RECORD_HEADER[header.byteOrder];
  const fractionToNanoseconds = header.precision === "nano" ? 1 : 1000;
  const records: PcapRecord[] = [];
  for (let offset = FILE_HEADER_SIZE; offset < bytes.length;) {
    const number = records.length + 1;
    const where = `record ${number} at byte ${offset}`;
    if (bytes.length - offset < RECORD_HEADER_SIZE) {
      throw new PcapError(
        `truncated pcap file: ${where} needs a ${RECORD_HEADER_SIZE}-byte header, ` +
          `only ${bytes.length - offset} bytes are left`,
      );
    }
    const [seconds, fraction, capturedLength, originalLength] = recordHeader
      .unpackFrom(bytes, offset) as number[];
    if (fraction >= 1e9 / fractionToNanoseconds) {
      const unit = header.precision === "nano" ? "nanoseconds" : "microseconds";
      throw new PcapError(`corrupt pcap file: ${where} has ${fraction} ${unit} after the second`);
    }
    if (capturedLength > MAX_RECORD_LENGTH) {
      throw new PcapError(
        `corrupt pcap file: ${where} declares ${capturedLength} captured bytes ` +
          `(snap length ${header.snapLength})`,
      );
    }
    const dataStart = offset + RECORD_HEADER_SIZE;
    if (bytes.length - dataStart < capturedLength) {
      throw new PcapError(
        `truncated pcap file: ${where} declares ${capturedLength} captured bytes, ` +
          `only ${bytes.length - dataStart} are left`,
      );
    }
    records.push({
      number,
      fileOffset: offset,
      seconds,
      nanoseconds: fraction * fractionToNanoseconds,
      originalLength: Math.max(originalLength, capturedLength),
      data: bytes.subarray(dataStart, dataStart + capturedLength),
    });
    offset = dataStart + capturedLength;
  }
  return { header, records };
}

/** The header fields {@linkcode writePcap} takes; every one but `linkType` has a default. */
export interface PcapWriteOptions {
  /** One of {@linkcode LinkType}. */
  linkType: number;
  /** Default `"little"`. */
  byteOrder?: "little" | "big";
  /** Default `"micro"`. */
  precision?: "micro" | "nano";
  /** Default 262144, tcpdump's. */
  snapLength?: number;
}

/** One packet for {@linkcode writePcap}. */
export interface PcapWriteRecord {
  /** Whole seconds since 1970-01-01 UTC. */
  seconds: number;
  /** Nanoseconds after the second; microsecond files keep whole microseconds. */
  nanoseconds?: number;
  /** The captured bytes. */
  data: Uint8Array;
  /** Length on the wire (default: `data.length`). */
  originalLength?: number;
}

/**
 * Writes a classic pcap file (format version 2.4) holding `records`: how tests build
 * captures of every link type and byte order without capturing anything.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinkType, writePcap } from "./pcap.ts";
 *
 * const file = writePcap({ linkType: LinkType.ETHERNET, byteOrder: "big", precision: "nano" }, []);
 * assert.equal(file.length, 24); // the file header alone
 * assert.deepEqual(file.subarray(0, 4), new Uint8Array([0xa1, 0xb2, 0x3c, 0x4d]));
 * ```
 */
export function writePcap(
  options: PcapWriteOptions,
  records: readonly PcapWriteRecord[],
): Uint8Array<ArrayBuffer> {
  const byteOrder = options.byteOrder ?? "little";
  const nano = (options.precision ?? "micro") === "nano";
  const size = records.reduce(
    (sum, record) => sum + RECORD_HEADER_SIZE + record.data.length,
    FILE_HEADER_SIZE,
  );
  const file = new Uint8Array(size);
  FILE_HEADER[byteOrder].packInto(
    file,
    0,
    nano ? MAGIC_NANO : MAGIC_MICRO,
    2,
    4,
    0,
    0,
    options.snapLength ?? 262144,
    options.linkType,
  );
  let offset = FILE_HEADER_SIZE;
  for (const record of records) {
    const nanoseconds = record.nanoseconds ?? 0;
    RECORD_HEADER[byteOrder].packInto(
      file,
      offset,
      record.seconds,
      nano ? nanoseconds : Math.floor(nanoseconds / 1000),
      record.data.length,
      record.originalLength ?? record.data.length,
    );
    file.set(record.data, offset + RECORD_HEADER_SIZE);
    offset += RECORD_HEADER_SIZE + record.data.length;
  }
  return file;
}
