// What the struct playground shows, on top of lib/struct.ts, lib/values.ts and lib/bytes.ts:
// the bytes a format and values pack to, which field each byte belongs to, or the error the
// library throws. Kept out of StructPlayground.vue so that Deno type-checks and tests it.
import { hexlify } from "../../../../lib/bytes.ts";
import { Struct, StructError, type StructField } from "../../../../lib/struct.ts";
import { formatValue, parseValues } from "../../../../lib/values.ts";
import { UsageError } from "../../../../lib/errors.ts";

/** More bytes than this are not drawn (a format such as `1000000000x` is valid). */
export const MAX_BYTES = 1024;
export const BYTES_PER_ROW = 16;

/** One packed byte: its hex text and the index of its field, or `null` for padding. */
export interface ByteCell {
  offset: number;
  hex: string;
  field: number | null;
}

export interface PackedField extends StructField {
  /** The value as `unpack` gives it back, written as Python would (`2.700000047683716`). */
  value: string;
}

export type Outcome =
  | { kind: "packed"; bytes: Uint8Array; fields: PackedField[]; rows: ByteCell[][] }
  | { kind: "error"; name: string; message: string }
  | { kind: "too-large"; size: number };

/**
 * The values a reader typed: one per line, or separated by commas when all are on one line
 * (so a line of text for an `s` field may hold commas). Blank lines are skipped.
 */
export function splitValues(text: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  if (lines.length !== 1) return lines;
  return lines[0].split(",").map((word) => word.trim());
}

/** Packs the typed values with the format, or says what the library threw. */
export function packTyped(format: string, valuesText: string): Outcome {
  try {
    const struct = new Struct(format);
    if (struct.size > MAX_BYTES) return { kind: "too-large", size: struct.size };
    const bytes = struct.pack(...parseValues(struct.codes, splitValues(valuesText)));
    const unpacked = struct.unpack(bytes);
    const fields = struct.fields.map((field, index) => ({
      ...field,
      value: formatValue(field.code, unpacked[index]),
    }));
    return { kind: "packed", bytes, fields, rows: byteRows(bytes, fields) };
  } catch (error) {
    if (error instanceof StructError || error instanceof UsageError) {
      return { kind: "error", name: error.name, message: error.message };
    }
    throw error;
  }
}

function byteRows(bytes: Uint8Array, fields: readonly StructField[]): ByteCell[][] {
  const owner: (number | null)[] = Array.from(bytes, () => null);
  fields.forEach(({ offset, size }, index) => owner.fill(index, offset, offset + size));
  const hex = hexlify(bytes, " ").split(" ");
  const rows: ByteCell[][] = [];
  for (let offset = 0; offset < bytes.length; offset += BYTES_PER_ROW) {
    rows.push(
      hex.slice(offset, offset + BYTES_PER_ROW).map((pair, i) => ({
        offset: offset + i,
        hex: pair,
        field: owner[offset + i],
      })),
    );
  }
  return rows;
}
