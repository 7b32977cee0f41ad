/// <reference lib="dom" />
// The copy buttons that plugins/inline-commands.ts puts after inline commands: a click (or Enter
// or Space, since they are buttons) copies the command beside it, the button shows a tick for two
// seconds, and a status line tells screen readers "Copied" in the page's language.
import { inBrowser } from "vitepress";

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API (a page served over plain http from another host): the old way.
    const area = Object.assign(document.createElement("textarea"), { value: text });
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

/** The live region that announces a copy, created on first use. */
function status(): HTMLElement {
  let region = document.getElementById("copy-inline-status");
  if (!region) {
    region = Object.assign(document.createElement("div"), { id: "copy-inline-status" });
    region.setAttribute("role", "status");
    region.className = "visually-hidden";
    document.body.append(region);
  }
  return region;
}

/** Listens for clicks on inline copy buttons, on every page (one listener for the whole app). */
export function enableInlineCopy(): void {
  if (!inBrowser) return;
  const timers = new WeakMap<Element, ReturnType<typeof setTimeout>>();
  addEventListener("click", async (event) => {
    const button = (event.target as Element | null)?.closest?.("button.copy-inline");
    const code = button?.previousElementSibling;
    if (!button || !code) return;
    await copy(code.textContent ?? "");
    button.classList.add("copied");
    status().textContent = button.getAttribute("data-copied") ?? "";
    clearTimeout(timers.get(button));
    timers.set(
      button,
      setTimeout(() => {
        button.classList.remove("copied");
        status().textContent = "";
      }, 2000),
    );
  });
}
