#!/usr/bin/env -S deno run
/**
 * Task 3.3 — bit fields: a game command (direction and player) in one byte.
 *
 * Four directions need 2 bits (00 Up, 01 Left, 10 Right, 11 Down); ten players need 4
 * (0000 is player 1 … 1001 is player 10): 6 bits in all, so a command fits in one byte,
 * laid out as `00 DD PPPP`.
 *
 * STARTER: the command line and the checks of its input are in place (the contract every
 * lab script keeps); each TODO is a step of the task, and the handout explains it:
 * /lab3/task-3-3#task-3-3.
 *
 * Run:   ./mywork/lab3/bit_fields.ts Right 10           (encode: prints the byte)
 *        ./mywork/lab3/bit_fields.ts --decode 0b00101001
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.3)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const DIRECTIONS = ["Up", "Left", "Right", "Down"];
const PLAYERS = 10;

const { values, positionals } = parseCommandLine({
  summary: "Packs a direction (2 bits) and a player (4 bits) into one byte, or unpacks one.",
  options: {
    decode: { valueName: "BYTE", description: "a command byte to unpack (41, 0b00101001, 0x29)" },
  },
  arguments: "[DIRECTION PLAYER]",
});

await runMain(() => {
  if (values.decode !== undefined) {
    // TODO(3.3): read the byte (`parseInteger` from ../../lib/input.ts takes 41, 0b…,
    // 0x…), refuse one whose top 2 bits are set or whose player id is not 0..9 (a
    // UsageError), and unpack it with shifts and masks: the direction is
    // `(byte >> 4) & 0b11`, the player id `byte & 0b1111`. Print the byte in binary, hex
    // and decimal, then `direction bits 10 = Right` and `player bits 1001 = player 10`.
    todo("/lab3/task-3-3#task-3-3", `unpack the command byte ${values.decode}`);
  }
  // TODO(3.3): read DIRECTION (one of DIRECTIONS, any case) and PLAYER (1..PLAYERS),
  // refusing anything else with a UsageError, and pack them: the direction shifted left
  // by 4, OR the player's id (player - 1). Print each field in binary and the command
  // byte in binary, hex and decimal (`toBinary` from ../../lib/bits.ts).
  todo(
    "/lab3/task-3-3#task-3-3",
    `pack ${positionals.join(" ") || "a direction and a player"} into one byte ` +
      `(${DIRECTIONS.length} directions, ${PLAYERS} players)`,
  );
});
