// VitePress's default theme plus our styles (task boxes, snippet captions, run commands), the
// interactive widgets a page can use anywhere (`<BitExplorer />`, `<StructPlayground />`), copy
// buttons on inline commands, the forwarding of anchors that moved to other pages, and fixes
// for WCAG 2 AA (here, in custom.css and in plugins/contrast.ts).
import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import { defineAsyncComponent } from "vue";
import { useAccessibilityFixes } from "./accessibility.ts";
import { enableInlineCopy } from "./inline-copy.ts";
import { useMovedAnchors } from "./moved-anchors.ts";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    // Registered everywhere, loaded only by the pages that show them (a chunk of their own).
    app.component("BitExplorer", defineAsyncComponent(() => import("./widgets/BitExplorer.vue")));
    app.component(
      "StructPlayground",
      defineAsyncComponent(() => import("./widgets/StructPlayground.vue")),
    );
    enableInlineCopy();
  },
  setup() {
    useMovedAnchors();
    useAccessibilityFixes();
  },
} satisfies Theme;
