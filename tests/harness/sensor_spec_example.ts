/**
 * The worked example of `labs/lab1/sensor_protocol.md`, byte for byte as the
 * specification prints it: what the traffic tests put in their synthetic captures, so
 * their expectations come from the specification and not from our encoder.
 *
 * @module
 */
import { unhexlify } from "../../lib/bytes.ts";

/** Sensor 7's first reading: 21.5 °C, 45.25 %, −67 dBm, 88 %, BATTERY, MOTION, note "café" (36 bytes). */
export const SPEC_READING = unhexlify(
  "53 54 01 01 00 24 00 00 00 01 00 07 00 00 01 94 1f 29 7c 00" +
    "41 ac 00 00 11 ad bd 58 01 04 05 63 61 66 c3 a9",
);

/** The server's answer: OK, ack 1, server time 1735689600042, SET_INTERVAL 2000 ms (24 bytes). */
export const SPEC_RESPONSE = unhexlify(
  "53 54 01 02 00 18 00 00 00 00 01 00 00 01 94 1f 29 7c 2a 01 00 00 07 d0",
);
