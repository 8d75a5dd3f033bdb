import { AuditlakeError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/**
 * Parses `90s`, `15m`, `1h`, `180d`, `52w`, `6y` into ms. A year is 365 days: retention minimums are stated in
 * days (PCI DSS "12 months" is enforced as 365 d), so leap days never shorten a rule.
 */
export function parseDuration(text: string, what: string): number {
  const m = /^\s*(\d+)\s*([smhdwy])\s*$/i.exec(text);
  if (!m) throw new AuditlakeError('E_USAGE', `${what}: "${text}" is not a duration like 15m, 1h, 180d or 6y`);
  const ms = Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
  if (!(ms > 0)) throw new AuditlakeError('E_USAGE', `${what}: "${text}" must be greater than zero`);
  return ms;
}

/** Parses an ISO date/time (`2026-11-24`, `2026-11-24T13:00Z`) into UTC ms. */
export function parseTime(text: string, what: string): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t)) throw new AuditlakeError('E_USAGE', `${what}: "${text}" is not an ISO date or time (e.g. 2026-11-24T13:00:00Z)`);
  return t;
}
