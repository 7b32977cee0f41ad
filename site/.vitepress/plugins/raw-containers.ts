// A container (`::: warning Title` … `:::`) only works when its opening line stands alone, with
// a blank line after it (the title may be long, but it must not run on into the text). `deno fmt`
// joins an opening line that runs on into the next one, and the page then shows a literal `:::`
// with everything up to the next container inside the wrong box. This rule fails the build
// instead, naming the page and the text.
import type { Md } from "./types.ts";
import { pageOf } from "./types.ts";

const RAW = /(^|\s):::(?=\s|$)/;

export function rawContainersPlugin(md: Md): void {
  md.core.ruler.push("raw_containers", (state) => {
    for (const token of state.tokens) {
      if (token.type !== "inline") continue;
      // Only text: `:::` written as inline code (`` `:::` ``) is fine.
      const text = (token.children ?? []).filter((child) => child.type === "text")
        .map((child) => child.content).join(" ");
      if (RAW.test(text)) {
        throw new Error(
          `${pageOf(state.env)}: a literal ":::" in "${token.content.slice(0, 80)}…": a ` +
            `container's opening line must stand alone, followed by a blank line ` +
            `("::: warning Title", blank line, text, blank line, ":::")`,
        );
      }
    }
  });
}
