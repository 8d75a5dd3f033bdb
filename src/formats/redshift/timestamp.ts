/**
 * Redshift audit-log timestamps.
 *
 * Connection and user log: `Wed, 3 Jun 2020 16:39:42:756` — UTC, milliseconds after a *colon*, day of month not
 * zero-padded in real files (RTD 2020, SFX 2020 fixtures) but zero-padded in RTD's synthetic 2023 test
 * (`Sun, 01 Jan 2023`), so both are accepted. The weekday is ignored: IBM's real sample says `Mon, 16 Mar 2022`,
 * which was a Wednesday. See research/formats.md A.4.
 *
 * User activity log header: `2020-06-10T14:27:03Z` (second precision, followed by a literal ` UTC`).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTH_INDEX: Record<string, number> = Object.fromEntries(MONTHS.map((m, i) => [m, i]));

// Weekday: any three letters (not validated). Day 1–2 digits. Milliseconds exactly three digits after a colon.
const REDSHIFT_TS = /^[A-Za-z]{3}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const t = Date.UTC(y, mo, d, h, mi, s, ms);
  // Reject 31 Feb and friends: Date.UTC silently rolls them over into the next month.
  if (new Date(t).getUTCDate() !== d) return null;
  return t;
}

/** Parses `Wed, 3 Jun 2020 16:39:42:756` (UTC) to epoch ms; null when the text is not such a timestamp. */
export function parseRedshiftTimestamp(text: string): number | null {
  const m = REDSHIFT_TS.exec(text);
  if (!m) return null;
  const mo = MONTH_INDEX[m[2]];
  if (mo === undefined) return null;
  return utcMs(+m[3], mo, +m[1], +m[4], +m[5], +m[6], +m[7]);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats epoch ms the way Redshift writes it: `Wed, 3 Jun 2020 16:39:42:756` (day not zero-padded). */
export function formatRedshiftTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}:${pad(d.getUTCMilliseconds(), 3)}`
  );
}

const ISO_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Parses the activity-log header time `2020-06-10T14:27:03Z` to epoch ms; null when invalid. */
export function parseActivityTimestamp(text: string): number | null {
  const m = ISO_SECONDS.exec(text);
  if (!m) return null;
  return utcMs(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], 0);
}

/** Formats epoch ms as `2020-06-10T14:27:03Z` (milliseconds dropped: the header has second precision). */
export function formatActivityTimestamp(ms: number): string {
  // Called for every activity record the lake stores (derived-raw.ts): the date part is cached per day and the
  // time of day is integer arithmetic, about 5× cheaper than Date#toISOString() per call.
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const s = Math.floor((ms - day * 86_400_000) / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return `${cachedDate}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}Z`;
}
let cachedDay = NaN;
let cachedDate = '';
