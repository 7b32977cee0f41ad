import assert from "node:assert/strict";
import { concat, unhexlify } from "../../../lib/bytes.ts";
import {
  LinkType,
  linkTypeName,
  PcapError,
  readPcap,
  writePcap,
} from "../../../tools/traffic/pcap.ts";

const PACKET_A = unhexlify("4500001c000040004011000001020304050607080001000200080000");
const PACKET_B = unhexlify("45000014000040004006000001020304050607");

Deno.test("readPcap reads a little-endian microsecond file written by hand", () => {
  const file = unhexlify(
    "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000" + // header: snaplen 65535, Ethernet
      "00f15365 40e20100 03000000 05000000 aabbcc", // 1700000000 s + 123456 µs, 3 of 5 bytes
  );
  const { header, records } = readPcap(file);
  assert.deepEqual(header, {
    byteOrder: "little",
    precision: "micro",
    versionMajor: 2,
    versionMinor: 4,
    snapLength: 65535,
    linkType: LinkType.ETHERNET,
    fcsLength: 0,
  });
  assert.equal(records.length, 1);
  const [record] = records;
  assert.equal(record.number, 1);
  assert.equal(record.fileOffset, 24);
  assert.equal(record.seconds, 1700000000);
  assert.equal(record.nanoseconds, 123456000);
  assert.equal(record.originalLength, 5);
  assert.deepEqual(record.data, unhexlify("aabbcc"));
});

Deno.test("readPcap reads a big-endian nanosecond file written by hand", () => {
  const file = unhexlify(
    "a1b23c4d 0002 0004 00000000 00000000 00040000 00000114" + // snaplen 262144, Linux cooked v2
      "6553f100 075bcd15 00000002 00000002 0102",
  );
  const { header, records } = readPcap(file);
  assert.equal(header.byteOrder, "big");
  assert.equal(header.precision, "nano");
  assert.equal(header.snapLength, 262144);
  assert.equal(header.linkType, LinkType.LINUX_SLL2);
  assert.equal(records[0].seconds, 1700000000);
  assert.equal(records[0].nanoseconds, 123456789);
});

for (const byteOrder of ["little", "big"] as const) {
  for (const precision of ["micro", "nano"] as const) {
    Deno.test(`writePcap and readPcap round-trip a ${byteOrder}-endian ${precision}second file`, () => {
      const file = writePcap({ linkType: LinkType.RAW, byteOrder, precision, snapLength: 100 }, [
        { seconds: 1, nanoseconds: 999_999_999, data: PACKET_A },
        { seconds: 2 ** 32 - 1, data: PACKET_B, originalLength: 1500 },
        { seconds: 3, nanoseconds: 1_500, data: new Uint8Array() },
      ]);
      assert.equal(file.length, 24 + 3 * 16 + PACKET_A.length + PACKET_B.length);
      const { header, records } = readPcap(file);
      assert.equal(header.byteOrder, byteOrder);
      assert.equal(header.precision, precision);
      assert.equal(header.snapLength, 100);
      assert.equal(header.linkType, LinkType.RAW);
      const nano = precision === "nano";
      assert.deepEqual(records.map((r) => [r.number, r.seconds, r.nanoseconds, r.originalLength]), [
        [1, 1, nano ? 999_999_999 : 999_999_000, PACKET_A.length],
        [2, 2 ** 32 - 1, 0, 1500],
        [3, 3, nano ? 1_500 : 1_000, 0],
      ]);
      assert.deepEqual(records[0].data, PACKET_A);
      assert.deepEqual(records[1].data, PACKET_B);
      assert.equal(records[2].data.length, 0);
      assert.deepEqual(records.map((r) => r.fileOffset), [
        24,
        24 + 16 + PACKET_A.length,
        24 + 32 + PACKET_A.length + PACKET_B.length,
      ]);
    });
  }
}

Deno.test("readPcap reads the FCS length from the link-type field", () => {
  const file = writePcap({ linkType: LinkType.ETHERNET }, []);
  file.set([0x01, 0x00, 0x00, 0x24], 20); // little-endian 0x24000001: FCS bit, 2 words, Ethernet
  const { header } = readPcap(file);
  assert.equal(header.linkType, LinkType.ETHERNET);
  assert.equal(header.fcsLength, 4);
});

Deno.test("readPcap never reports an original length below the captured one", () => {
  const file = writePcap({ linkType: LinkType.RAW }, [{
    seconds: 0,
    data: PACKET_A,
    originalLength: 3,
  }]);
  assert.equal(readPcap(file).records[0].originalLength, PACKET_A.length);
});

Deno.test("readPcap of a file with only a header has no records", () => {
  assert.deepEqual(readPcap(writePcap({ linkType: 1 }, [])).records, []);
});

Deno.test("readPcap explains every way a file can be unreadable", () => {
  const good = writePcap({ linkType: LinkType.RAW }, [{ seconds: 5, data: PACKET_A }]);
  const cases: [string, Uint8Array, RegExp][] = [
    [
      "empty",
      new Uint8Array(),
      /^truncated pcap file: the file header needs 24 bytes, the file has 0$/,
    ],
    ["short header", good.subarray(0, 23), /the file header needs 24 bytes, the file has 23/],
    [
      "text",
      new TextEncoder().encode("hello, this is not a capture file"),
      /^not a pcap file: it starts with 68656c6c/,
    ],
    [
      "pcapng",
      concat(unhexlify("0a0d0d0a 1c000000 4d3c2b1a"), new Uint8Array(20)),
      /pcapng file.*readCapture/,
    ],
    [
      "record header cut",
      good.subarray(0, 30),
      /^truncated pcap file: record 1 at byte 24 needs a 16-byte header, only 6 bytes are left$/,
    ],
    [
      "record data cut",
      good.subarray(0, good.length - 1),
      /^truncated pcap file: record 1 at byte 24 declares 28 captured bytes, only 27 are left$/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(() => readPcap(bytes), (error: Error) => {
      assert.ok(error instanceof PcapError, `${what}: ${error}`);
      assert.match(error.message, message, what);
      return true;
    });
  }
});

Deno.test("readPcap rejects impossible record fields", () => {
  const badFraction = writePcap({ linkType: LinkType.RAW }, [{ seconds: 5, data: PACKET_A }]);
  badFraction.set([0x40, 0x42, 0x0f, 0x00], 28); // 1_000_000 microseconds
  assert.throws(
    () => readPcap(badFraction),
    /corrupt pcap file: record 1 at byte 24 has 1000000 microseconds/,
  );

  const hugeLength = writePcap({ linkType: LinkType.RAW }, [{ seconds: 5, data: PACKET_A }]);
  hugeLength.set([0xff, 0xff, 0xff, 0x7f], 32);
  assert.throws(
    () => readPcap(hugeLength),
    /corrupt pcap file: record 1 at byte 24 declares 2147483647 captured bytes/,
  );

  const second = writePcap({ linkType: LinkType.RAW }, [
    { seconds: 5, data: PACKET_A },
    { seconds: 6, data: PACKET_B },
  ]);
  assert.throws(
    () => readPcap(second.subarray(0, second.length - 2)),
    /record 2 at byte 68 declares 19/,
  );
});

Deno.test("linkTypeName names the supported link types", () => {
  assert.equal(linkTypeName(0), "BSD loopback");
  assert.equal(linkTypeName(1), "Ethernet");
  assert.equal(linkTypeName(12), "raw IP");
  assert.equal(linkTypeName(14), "raw IP");
  assert.equal(linkTypeName(101), "raw IP");
  assert.equal(linkTypeName(113), "Linux cooked v1");
  assert.equal(linkTypeName(276), "Linux cooked v2");
  assert.equal(linkTypeName(999), "link type 999");
});
