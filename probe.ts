for (const n of [1024, 8192, 32768, 131072, 1048576]) {
  const text = "[".repeat(n/2) + "]".repeat(n/2);
  let best = Infinity;
  for (let k = 0; k < 5; k++) { const t = performance.now(); JSON.parse(text); best = Math.min(best, performance.now() - t); }
  console.log(n, (best / n * 1e6).toFixed(1), "ns/B");
}
