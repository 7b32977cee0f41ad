/**
 * Running many slow things (processes) a few at a time.
 *
 * @module
 */

/**
 * Calls `work` on every item, at most `limit` at a time: a new one starts as soon as one
 * ends (not in batches, where each waits for its slowest). Rejects with the first error,
 * once every started call has settled.
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  const lanes = await Promise.allSettled(Array.from({ length: limit }, lane));
  for (const outcome of lanes) if (outcome.status === "rejected") throw outcome.reason;
}
