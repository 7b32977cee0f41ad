#!/usr/bin/env -S deno run
/**
 * Task 3.3 — bit fields: a game command (direction and player) in one byte.
 *
 * Four directions need 2 bits (00 Up, 01 Left, 10 Right, 11 Down); ten players need 4
 * (0000 is player 1 … 1001 is player 10): 6 bits in all, so a command fits in one byte,
 * laid out as `00 DD PPPP`. n possibilities need ⌈log2 n⌉ bits. Encoding shifts each
 * field into place; decoding shifts it back down and masks off the bits that are not its own.
 *
 * Run: ./labs/lab3/bit_fields.ts Right 10           (encode: prints the byte)
 *      ./labs/lab3/bit_fields.ts --decode 0b00101001
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { bitLength, packBitFields, toBinary } from "../../lib/bits.ts";
import { parseInteger } from "../../lib/input.ts";

const DIRECTIONS = ["Up", "Left", "Right", "Down"];
const PLAYERS = 10;
const DIRECTION_BITS = bitLength(DIRECTIONS.length - 1); // 2
const PLAYER_BITS = bitLength(PLAYERS - 1); // 4

const { values, positionals } = parseCommandLine({
  summary: "Packs a direction (2 bits) and a player (4 bits) into one byte, or unpacks one.",
  options: {
    decode: { valueName: "BYTE", description: "a command byte to unpack (41, 0b00101001, 0x29)" },
  },
  arguments: "[DIRECTION PLAYER]",
});

function describe(byte: number): string {
  return `0b${toBinary(byte, 8)} = 0x${byte.toString(16).padStart(2, "0")} = ${byte}`;
}

await runMain(() => {
  if (values.decode !== undefined) {
    const byte = parseInteger(values.decode, "--decode");
    if (byte < 0 || byte >= 2 ** (DIRECTION_BITS + PLAYER_BITS)) {
      throw new UsageError(`--decode needs a byte whose top 2 bits are 0 (0..63), got ${byte}`);
    }
    // #region decode
    const direction = (byte >> PLAYER_BITS) & 0b11; // shift the field down, keep its 2 bits
    const playerId = byte & 0b1111; // the low 4 bits
    // #endregion decode
    if (playerId >= PLAYERS) throw new UsageError(`player id ${playerId} is not 0..9`);
    console.log(`byte ${describe(byte)}`);
    console.log(`direction bits ${toBinary(direction, DIRECTION_BITS)} = ${DIRECTIONS[direction]}`);
    console.log(`player bits ${toBinary(playerId, PLAYER_BITS)} = player ${playerId + 1}`);
    return;
  }
  if (positionals.length !== 2) throw new UsageError("give DIRECTION and PLAYER, or --decode");
  const direction = DIRECTIONS.findIndex((name) =>
    name.toLowerCase() === positionals[0].toLowerCase()
  );
  if (direction < 0) throw new UsageError(`direction must be one of ${DIRECTIONS.join(", ")}`);
  const player = parseInteger(positionals[1], "PLAYER");
  if (player < 1 || player > PLAYERS) throw new UsageError(`PLAYER must be 1..${PLAYERS}`);
  // #region encode
  const byte = packBitFields([
    { value: direction, width: DIRECTION_BITS },
    { value: player - 1, width: PLAYER_BITS },
  ]); // the same as (direction << 4) | (player - 1)
  // #endregion encode
  console.log(`direction ${DIRECTIONS[direction]} = ${toBinary(direction, DIRECTION_BITS)}`);
  console.log(`player ${player} = id ${player - 1} = ${toBinary(player - 1, PLAYER_BITS)}`);
  console.log(`command byte ${describe(byte)} (${DIRECTION_BITS + PLAYER_BITS} of 8 bits used)`);
});
