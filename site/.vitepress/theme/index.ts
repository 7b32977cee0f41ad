// VitePress's default theme plus our styles (task boxes, snippet captions, run commands).
import DefaultTheme from "vitepress/theme";
import "./custom.css";

export default DefaultTheme;
