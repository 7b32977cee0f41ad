/// <reference lib="dom" />
// Where VitePress's markup misses WCAG 2 and CSS cannot help. The search button shows "Search"
// and a "Ctrl K" hint but is named "Search" only, so part of its visible text, the "K", is not in
// its name (WCAG 2.5.3, axe's label-content-name-mismatch). VitePress already draws "Ctrl" (or
// ⌘) with CSS; the "K" is drawn the same way (custom.css), and the button declares the shortcut
// (aria-keyshortcuts) so that assistive technology can announce it.
import { nextTick, onMounted } from "vue";
import { useRouter } from "vitepress";

function fixSearchButtons(): void {
  for (const button of document.querySelectorAll(".DocSearch-Button")) {
    button.setAttribute("aria-keyshortcuts", "Control+K Meta+K");
    const key = button.querySelector(".DocSearch-Button-Key:last-child");
    if (key?.textContent) {
      key.setAttribute("data-key", key.textContent);
      key.textContent = "";
    }
  }
}

/** Call from the theme's `setup`: applies the fixes once mounted and after every navigation. */
export function useAccessibilityFixes(): void {
  const router = useRouter();
  onMounted(() => {
    fixSearchButtons();
    const after = router.onAfterRouteChange;
    router.onAfterRouteChange = async (to) => {
      await after?.(to);
      await nextTick();
      fixSearchButtons();
    };
  });
}
