/// <reference lib="dom" />
// Old links keep working: `/lab1.html#task-1-4` (from when Lab 1 was one page) opens
// `/lab1/task-1-4.html#task-1-4`. config.ts gives each overview page the anchors that left it
// (../moved-anchors.ts) as `frontmatter.movedAnchors`; when the address's #anchor is one of them,
// the address is replaced (so Back does not return to it) and the page it moved to is opened.
import { type Router, useRouter, withBase } from "vitepress";
import { onMounted } from "vue";

function follow(router: Router): void {
  const moved = router.route.data.frontmatter.movedAnchors as Record<string, string> | undefined;
  const anchor = decodeURIComponent(location.hash.slice(1));
  const target = anchor ? moved?.[anchor] : undefined;
  if (!target) return;
  const href = withBase(`/${target}`);
  history.replaceState(history.state, "", href);
  router.go(href);
}

/** Call from the theme's `setup`: follows moved anchors on load, navigation and hash changes. */
export function useMovedAnchors(): void {
  const router = useRouter();
  // After mounting, so that the page served for the old address hydrates first.
  onMounted(() => {
    follow(router);
    addEventListener("hashchange", () => follow(router));
    const after = router.onAfterRouteChange;
    router.onAfterRouteChange = async (to) => {
      await after?.(to);
      follow(router);
    };
  });
}
