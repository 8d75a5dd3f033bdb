/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"; the SDK v3
 * retry strategy does the same): the delay before attempt n+1 is uniform in [0, min(cap, base·2^n)], which
 * spreads retries of many databases instead of synchronising them.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
