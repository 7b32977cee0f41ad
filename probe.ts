import { deflateRawSync, inflateRawSync } from "node:zlib";
const packed = deflateRawSync(new Uint8Array(100));
const withJunk = new Uint8Array([...packed, 1, 2, 3]);
// deno-lint-ignore no-explicit-any
const r = inflateRawSync(withJunk, { info: true } as any) as any;
console.log(packed.length, withJunk.length, r.buffer?.length, r.engine?.bytesWritten);
