// VitePress's default theme plus our styles (task boxes, snippet captions, run commands) and
// the interactive widgets a page can use anywhere (`<BitExplorer />`, `<StructPlayground />`).
import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import { defineAsyncComponent } from "vue";
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
  },
} satisfies Theme;
