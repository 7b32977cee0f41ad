// What the bit explorer shows and reads, on top of lib/bits.ts. Kept out of BitExplorer.vue so
// that Deno type-checks it and site/tests/widgets_test.ts tests it.
import { fromTwosComplement, toBinary, toTwosComplement } from "../../../../lib/bits.ts";

export const WIDTHS = [8, 16, 32] as const;
export type Width = (typeof WIDTHS)[number];

/** The four ways the explorer writes a value; each is also a field the reader can type in. */
export const VIEWS = ["unsigned", "signed", "hex", "binary"] as const;
export type View = (typeof VIEWS)[number];

/** Text that is not a number in a view's notation (the page explains it in its language). */
export class NotationError extends Error {
  constructor(readonly view: View) {
    super(`not a ${view} number`);
    this.name = "NotationError";
  }
}

/** An unsigned `width`-bit pattern written in every view. */
export function views(bits: number, width: Width): Record<View, string> {
  const binary = toBinary(bits, width); // also checks that the pattern fits the width
  return {
    unsigned: String(bits),
    signed: String(fromTwosComplement(bits, width)),
    hex: `0x${bits.toString(16).padStart(width / 4, "0")}`,
    binary,
  };
}

/** Digits and an optional prefix; `_` and spaces may group digits, as in `0b0101_0011`. */
const NOTATIONS: Record<View, RegExp> = {
  unsigned: /^\+?(\d+)$/,
  signed: /^([+-]?\d+)$/,
  hex: /^(?:0x)?([0-9a-f]+)$/i,
  binary: /^(?:0b)?([01]+)$/i,
};

/**
 * Reads what the reader typed into one view as the unsigned `width`-bit pattern it stands for.
 * Throws a {@linkcode NotationError} for text in another notation, and lib/bits.ts's
 * `RangeError` (its message names the range) for a number that does not fit the width.
 */
export function parseView(view: View, text: string, width: Width): number {
  const digits = NOTATIONS[view].exec(text.trim().replace(/[_\s]/g, ""))?.[1];
  if (digits === undefined) throw new NotationError(view);
  if (view === "signed") return toTwosComplement(Number(digits), width);
  const value = view === "unsigned" ? Number(digits) : parseInt(digits, view === "hex" ? 16 : 2);
  toBinary(value, width); // throws the library's RangeError when it does not fit
  return value;
}

/** The pattern kept when the width changes: its low `width` bits. */
export function narrow(bits: number, width: Width): number {
  return bits % 2 ** width;
}
