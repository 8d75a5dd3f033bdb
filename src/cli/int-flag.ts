import { AuditlakeError } from '../core/errors.js';

/**
 * A whole-number flag value, or E_USAGE (exit 2) naming the command and the flag:
 * `query: --max-width "x" is not an integer ≥ 4`. Only plain decimal digits are accepted (no `1e3`, `0x10`).
 */
export function intFlag(command: string, flag: string, value: string, min = 0): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    const want = min === 0 ? 'a whole number' : min === 1 ? 'a positive integer' : Number.isFinite(min) ? `an integer ≥ ${min}` : 'an integer';
    throw new AuditlakeError('E_USAGE', `${command}: ${flag} "${value}" is not ${want}`);
  }
  return n;
}
