// Code colours that pass WCAG 2 AA. VitePress highlights code with Shiki's github-light and
// github-dark themes, several of whose colours are too faint on VitePress's code background
// (github-light's keywords #d73a49 reach 4.23:1 on #f6f6f7, its comments #6a737d 4.45:1;
// github-dark's comments 3.75:1 on #161618), where AA asks for 4.5:1. This Shiki transformer
// darkens (light mode) or lightens (dark mode) each such colour just enough, keeping its hue, so
// that the highlighting looks the same and every token is readable.

/** The code block backgrounds (VitePress's `--vp-code-block-bg`, i.e. `--vp-c-bg-alt`). */
const BACKGROUND = { light: "#f6f6f7", dark: "#161618" } as const;

/** AA asks for 4.5:1 for text; a little more keeps rounding in the browser on the right side. */
const MINIMUM = 4.6;

function channels(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(channels(a)), luminance(channels(b))].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * `colour`, mixed towards black (on a light background) or white (on a dark one) in steps of 1 %
 * until it reaches the minimum contrast with `background`; unchanged when it already does.
 */
export function readableColour(colour: string, background: string): string {
  const towards = luminance(channels(background)) > 0.5 ? 0 : 255;
  const rgb = channels(colour);
  for (let step = 0; step <= 100; step++) {
    const mixed = rgb.map((c) => Math.round(c + (towards - c) * step / 100));
    const hex = `#${mixed.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
    if (contrastRatio(hex, background) >= MINIMUM) return step === 0 ? colour : hex;
  }
  return towards === 0 ? "#000000" : "#ffffff";
}

/** The Shiki transformer: rewrites `--shiki-light:#…` and `--shiki-dark:#…` token colours. */
export const readableCodeColours = {
  name: "course:readable-code-colours",
  postprocess(html: string): string {
    return html.replace(
      /--shiki-(light|dark):(#[0-9a-fA-F]{6})\b/g,
      (_, mode: "light" | "dark", colour: string) =>
        `--shiki-${mode}:${readableColour(colour.toLowerCase(), BACKGROUND[mode])}`,
    );
  },
};
