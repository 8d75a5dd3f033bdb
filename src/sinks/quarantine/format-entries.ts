import Table from 'cli-table3';
import type { QuarantineEntry } from './types.js';

/** One-line excerpt of a (already redacted) record: control characters shown, cut to `width`. */
export function excerpt(raw: string, width = 80): string {
  const flat = raw.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/**
 * The `auditlake quarantine list` table: file (the key's last segment; `--format json` has the full
 * key and store), line, reason, excerpt.
 */
export function formatQuarantineTable(entries: QuarantineEntry[]): string {
  const file = (e: QuarantineEntry) => e.key.slice(e.key.lastIndexOf('/') + 1);
  const fileWidth = Math.min(Math.max(6, ...entries.map((e) => file(e).length)), 90) + 2;
  const table = new Table({
    head: ['file', 'line', 'reason', 'excerpt'],
    colWidths: [fileWidth, 7, 46, 46],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const e of entries) table.push([file(e), String(e.line), e.reason, excerpt(e.raw, 130)]);
  return table.toString();
}
