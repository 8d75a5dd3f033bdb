import { createHash } from 'node:crypto';

/**
 * Stable event id: 32 hex chars of SHA-256 over the identifying parts, joined with U+001F
 * (a separator no part contains). The same record always yields the same id, which is what
 * lets the lake drop duplicates after a re-run or a crash.
 */
export function eventIdFor(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}
