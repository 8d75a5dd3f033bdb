import Table from 'cli-table3';
import type { QuarantineEntry } from './types.js';

/** One-line excerpt of a (already redacted) record: control characters shown, cut to `width`. */
export function excerpt(raw: string, width = 80): string {
  const flat = raw.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** The `auditlake quarantine list` table: file, line, reason, excerpt. */
export function formatQuarantineTable(entries: QuarantineEntry[]): string {
  const table = new Table({
    head: ['file', 'line', 'reason', 'excerpt'],
    colWidths: [40, 7, 48, 50],
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: [], border: [] },
  });
  for (const e of entries) table.push([e.key, String(e.line), e.reason, excerpt(e.raw, 140)]);
  return table.toString();
}
