// The format-code table on the Lab 3 pages is built from lib/struct.ts's own data.
import assert from "node:assert/strict";
import { calcsize, formatCodes } from "../../lib/struct.ts";
import { formatCodesTable } from "../.vitepress/plugins/format-codes.ts";

/** The table's rows as arrays of cell texts (tags removed). */
function cells(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<t[dh]>(.*?)<\/t[dh]>/g)].map(([, cell]) => cell.replace(/<[^>]+>/g, ""))
  );
}

Deno.test("site markdown: the format-code table has one row per code, sizes from calcsize", () => {
  const [head, ...rows] = cells(formatCodesTable("en"));
  assert.equal(head[0], "Code");
  assert.equal(rows.length, formatCodes.length);
  for (const [code, cType, , , standard, native] of rows) {
    const row = formatCodes.find((candidate) => candidate.code === code);
    assert.ok(row, `unknown code ${code}`);
    assert.equal(cType, row.cType);
    assert.equal(native, String(calcsize(code)), `native size of ${code}`);
    if (row.standardSize === null) assert.equal(standard, "native only");
    else assert.equal(standard, String(calcsize(`!${code}`)), `standard size of ${code}`);
  }
  const q = rows.find(([code]) => code === "Q");
  assert.deepEqual(q?.slice(4), ["8", "8"]);
});

Deno.test("site markdown: the format-code table speaks the page's language", () => {
  const spanish = formatCodesTable("es");
  assert.match(spanish, /<th>Código<\/th>/);
  assert.match(spanish, /solo nativo/);
  assert.doesNotMatch(spanish, /native only/);
});
