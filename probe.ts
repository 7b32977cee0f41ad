import { Struct } from "./lib/struct.ts";
const f = "@" + "bi".repeat(1 << 19);
for (let k = 0; k < 5; k++) {
const t = performance.now();
new Struct(f);
console.log("ms", (performance.now()-t).toFixed(0));
}
