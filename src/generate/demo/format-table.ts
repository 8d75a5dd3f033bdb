import type { QueryResult } from '../../core/lake.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/**
 * A plain, borderless table (two-space gutters, numbers right-aligned) — easy to read in a terminal and
 * easy for the demo's end-to-end test to check line by line.
 */
export function formatTable(r: QueryResult, indent = '  '): string {
  if (r.rows.length === 0) return `${indent}(no rows)`;
  const text = [r.columns, ...r.rows.map((row) => row.map(cell))];
  const numeric = r.columns.map((_, i) => r.rows.every((row) => typeof row[i] === 'number' || typeof row[i] === 'bigint' || row[i] === null));
  const widths = r.columns.map((_, i) => Math.max(...text.map((row) => row[i].length)));
  return text
    .map((row) => indent + row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}
