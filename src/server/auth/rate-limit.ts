/**
 * @module
 * Per-principal token bucket: `perMinute` requests refill continuously, bursts up to `burst`. In memory: limits
 * protect the process (DuckDB, CPU), they are not an accounting record.
 */
export interface RateLimiter {
  /** ms to wait before the next request is allowed; 0 = allowed now (and counted). */
  take(key: string, now?: number): number;
}

export function createRateLimiter(perMinute: number, burst = Math.max(1, Math.ceil(perMinute / 6))): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  return {
    take(key, now = Date.now()) {
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * ratePerMs);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / ratePerMs);
    },
  };
}
