import { AuditlakeError } from '../core/errors.js';
import type { ReportOptions } from './types.js';

/**
 * The UTC intervals of a month that fall outside business hours in `timeZone`, as [startMs, endMs) pairs.
 * Computed here with Intl at 15-minute resolution (every real zone offset is a multiple of 15 minutes),
 * so SQL compares plain timestamps instead of converting every row's time zone (ICU per row is ~10× slower).
 */
export function outsideBusinessHours(range: { from: string; to: string }, hours: ReportOptions['businessHours'], timeZone: string): [number, number][] {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: '2-digit' });
  } catch (err) {
    throw new AuditlakeError('E_USAGE', `report: --timezone "${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin)`, { cause: err });
  }
  const dayNo: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
  const step = 15 * 60_000;
  const out: [number, number][] = [];
  for (let t = Date.parse(range.from), end = Date.parse(range.to); t < end; t += step) {
    const parts = fmt.formatToParts(new Date(t));
    const wd = dayNo[parts.find((p) => p.type === 'weekday')?.value ?? ''] ?? 0;
    const h = Number(parts.find((p) => p.type === 'hour')?.value);
    const inside = hours.days.includes(wd) && h >= hours.startHour && h < hours.endHour;
    if (inside) continue;
    const last = out[out.length - 1];
    if (last && last[1] === t) last[1] = t + step;
    else out.push([t, t + step]);
  }
  return out;
}

/** SQL predicate: `time` lies in one of the intervals. */
export function inIntervalsSql(intervals: [number, number][]): string {
  if (intervals.length === 0) return 'false';
  const ts = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;
  return `(${intervals.map(([a, b]) => `(time >= ${ts(a)} AND time < ${ts(b)})`).join(' OR ')})`;
}
