import type { ReportTable } from './types.js';

/** RFC 4180: fields with comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(t: ReportTable): string {
  return [t.columns, ...t.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
