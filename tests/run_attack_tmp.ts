import { checks as lab1 } from "./checks/lab1/robustness_test.ts";
import { checks as lab2 } from "./checks/lab2/robustness_test.ts";
import { checks as lab3 } from "./checks/lab3/robustness_test.ts";
import { CheckContext, REFERENCE_DIR } from "./harness/checks.ts";
const filter = Deno.args[0] ?? "";
for (const check of [...lab1, ...lab2, ...lab3]) {
  if (!check.id.includes(filter)) continue;
  const t = performance.now();
  try {
    await check.run(new CheckContext(REFERENCE_DIR, check.lab));
    console.log("PASS", check.id, Math.round(performance.now() - t), "ms");
  } catch (e) {
    console.log(
      "FAIL",
      check.id,
      Math.round(performance.now() - t),
      "ms",
      String(e).slice(0, 4000),
    );
  }
}
