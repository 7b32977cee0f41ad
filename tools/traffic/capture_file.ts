/**
 * A capture file of either format, read the same way: the classic pcap of `tcpdump -w`
 * (`./pcap.ts`) or the pcapng that Wireshark, dumpcap and tshark save by default
 * (`./pcapng.ts`). {@linkcode readCapture} tells them apart by their first four bytes
 * and gives one model: the interfaces the packets were captured on (each with its link
 * type and snap length: a pcapng file may hold several) and the packets in file order,
 * each with the link type of its interface.
 *
 * @example Read a classic pcap file through the common model
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCapture } from "./capture_file.ts";
 * import { LinkType, writePcap } from "./pcap.ts";
 *
 * const file = writePcap({ linkType: LinkType.RAW, snapLength: 96 }, [
 *   { seconds: 1700000000, data: new Uint8Array([0x45, 0, 0, 20]), originalLength: 200 },
 * ]);
 * const capture = readCapture(file);
 * assert.equal(capture.format, "pcap");
 * assert.equal(capture.interfaces[0].snapLength, 96);
 * assert.equal(capture.records[0].linkType, LinkType.RAW);
 * assert.equal(capture.records[0].originalLength, 200);
 * ```
 *
 * @module
 */
import { type PcapRecord, readPcap } from "./pcap.ts";
import { isPcapng, readPcapng } from "./pcapng.ts";

/** An interface packets were captured on. */
export interface CaptureInterface {
  /** Its number: pcapng numbers them from 0 in each section; these count on across sections. */
  id: number;
  /** What its packets start with: one of `LinkType` (`./pcap.ts`). */
  linkType: number;
  /** The most bytes of one packet the capture kept (`tcpdump -s`); 0 means no limit. */
  snapLength: number;
  /** Bytes of Ethernet frame check sequence at the end of each packet (usually 0). */
  fcsLength: number;
  /** Its name (`lo`, `any`, `eth0`), when the file says. */
  name: string | null;
  /** The unit of its timestamps, as in "microsecond timestamps": `microsecond`, `nanosecond`, … */
  timestampUnit: string;
}

/** One captured packet, with the interface it came from. */
export interface CaptureRecord extends PcapRecord {
  /** The interface's {@linkcode CaptureInterface.id}. */
  interfaceId: number;
  /** The interface's link type: what the first byte of `data` is. */
  linkType: number;
}

/** A whole capture file: its interfaces and every packet, in file order. */
export interface Capture {
  /** The file format. */
  format: "pcap" | "pcapng";
  /** The byte order of the file's headers (of its first section, for pcapng). */
  byteOrder: "little" | "big";
  /** The interfaces, by id. */
  interfaces: CaptureInterface[];
  /** The packets. */
  records: CaptureRecord[];
  /** pcapng blocks that are neither interfaces nor packets (statistics, names, …), skipped. */
  skippedBlocks: number;
}

/**
 * Reads a capture file held in memory, classic pcap or pcapng, telling them apart by
 * their first four bytes. Records are views into `bytes`.
 *
 * @throws {PcapError} (from `./pcap.ts`) if the file is neither, is cut short, or a
 * length in it is impossible: the message says where.
 *
 * @example A pcapng file and a pcap file, read by the same call
 * ```ts
 * import assert from "node:assert/strict";
 * import { unhexlify } from "../../lib/bytes.ts";
 * import { readCapture } from "./capture_file.ts";
 * import { writePcap } from "./pcap.ts";
 *
 * const pcapng = unhexlify(
 *   "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000" + // section header
 *     "01000000 14000000 0100 0000 60000000 14000000", // interface 0: Ethernet, snap length 96
 * );
 * assert.equal(readCapture(pcapng).format, "pcapng");
 * assert.equal(readCapture(pcapng).interfaces[0].snapLength, 96);
 * assert.equal(readCapture(writePcap({ linkType: 1 }, [])).format, "pcap");
 * ```
 */
export function readCapture(bytes: Uint8Array): Capture {
  if (isPcapng(bytes)) return readPcapng(bytes);
  const { header, records } = readPcap(bytes);
  return {
    format: "pcap",
    byteOrder: header.byteOrder,
    interfaces: [{
      id: 0,
      linkType: header.linkType,
      snapLength: header.snapLength,
      fcsLength: header.fcsLength,
      name: null,
      timestampUnit: header.precision === "nano" ? "nanosecond" : "microsecond",
    }],
    records: records.map((record) => ({ ...record, interfaceId: 0, linkType: header.linkType })),
    skippedBlocks: 0,
  };
}
