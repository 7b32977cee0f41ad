/**
 * A zip archive writer, enough for an autograder bundle: files compressed with deflate,
 * their Unix permissions kept (so `run_autograder` stays executable), no other feature.
 * Any `unzip` reads it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zipArchive } from "./zip.ts";
 *
 * const zip = zipArchive([{ path: "run.sh", data: new TextEncoder().encode("echo hi\n"), mode: 0o755 }]);
 * assert.deepEqual([...zip.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]); // "PK\3\4"
 * ```
 *
 * @module
 */
import { crc32, deflateRawSync } from "node:zlib";

/** One file of an archive. */
export interface ZipEntry {
  /** Its path inside the archive, with `/` between folders. */
  path: string;
  /** Its contents. */
  data: Uint8Array;
  /** Unix permissions (default 0o644). */
  mode?: number;
}

/** The bytes of a zip archive holding `entries`. */
export function zipArchive(entries: ZipEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.path);
    const compressed = new Uint8Array(deflateRawSync(entry.data));
    const crc = crc32(entry.data) >>> 0;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    local.setUint16(8, 8, true); // method: deflate
    local.setUint16(12, 0x21, true); // date 1980-01-01 (a fixed one: same input, same bytes)
    local.setUint32(14, crc, true);
    local.setUint32(18, compressed.length, true);
    local.setUint32(22, entry.data.length, true);
    local.setUint16(26, name.length, true);
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, (3 << 8) | 20, true); // made by Unix, so the permissions are read
    header.setUint16(6, 20, true);
    header.setUint16(10, 8, true);
    header.setUint16(14, 0x21, true);
    header.setUint32(16, crc, true);
    header.setUint32(20, compressed.length, true);
    header.setUint32(24, entry.data.length, true);
    header.setUint16(28, name.length, true);
    header.setUint32(38, ((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, true);
    header.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, compressed);
    central.push(new Uint8Array(header.buffer), name);
    offset += 30 + name.length + compressed.length;
  }
  const size = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const bytes = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of all) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
