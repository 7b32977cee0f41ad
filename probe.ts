import { decodePacket } from "./tools/traffic/packet.ts";
import { pack } from "./lib/struct.ts";
const ip = pack(">BBHHHBBH4s4s", 0x45, 0, 24, 0, 0x2000, 64, 17, 0, new Uint8Array([1,2,3,4]), new Uint8Array([5,6,7,8]));
const frame = new Uint8Array([...ip, 0, 1, 0, 2, 0, 8, 0, 0]);
const p = decodePacket(101, frame);
console.log(p.payloadLength, p.spans, p.udp);
