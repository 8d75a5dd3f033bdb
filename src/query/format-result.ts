import Table from 'cli-table3';
import type { QueryResult } from '../core/lake.js';

import type { OutputFormat } from './output-formats.js';

export { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';

/** A value as text for table and CSV cells: null → '', bigint exact, objects as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return JSON.stringify(v, jsonReplacer);
}

/** BIGINT in JSON: a number while exact (|n| ≤ 2^53 − 1), else a string, so no reader loses digits. */
export function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** RFC 4180: fields with `"`, `,`, CR or LF are quoted, quotes doubled; records end with CRLF. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* formatCsv(r: QueryResult): Generator<string> {
  yield r.columns.map(csvField).join(',') + '\r\n';
  for (const row of r.rows) yield row.map((v) => csvField(cellText(v))).join(',') + '\r\n';
}

/** A JSON column's text as the value it encodes (`details` nests as an object, not a quoted string). */
function nestedJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v; // not JSON after all (DuckDB validated it, so this is not expected): keep the text, lose nothing
  }
}

/** JSON Lines: one object per row (stream-friendly, `jq`-friendly); column names are the keys; JSON columns nested. */
export function* formatJsonLines(r: QueryResult): Generator<string> {
  const json = new Set(r.jsonColumns ?? []);
  for (const row of r.rows) {
    const o: Record<string, unknown> = {};
    r.columns.forEach((c, i) => (o[c] = json.has(i) ? nestedJson(row[i]) : row[i]));
    yield JSON.stringify(o, jsonReplacer) + '\n';
  }
}

/** Shortens to `max` characters (one line) — table mode only; JSON and CSV always carry full values. */
export function truncateCell(s: string, max: number): string {
  const one = s.replace(/\r?\n/g, '⏎');
  return one.length > max ? one.slice(0, Math.max(1, max - 1)) + '…' : one;
}

export function formatTable(r: QueryResult, maxCell = 60): string {
  const t = new Table({ head: r.columns, style: { head: [], border: [] } });
  for (const row of r.rows) t.push(row.map((v) => (v === null ? 'NULL' : truncateCell(cellText(v), maxCell))));
  return `${t.toString()}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})\n`;
}

/** The whole output for `format`, as chunks to write in order. */
export function* formatResult(r: QueryResult, format: OutputFormat, maxCell = 60): Generator<string> {
  if (format === 'csv') yield* formatCsv(r);
  else if (format === 'json') yield* formatJsonLines(r);
  else yield formatTable(r, maxCell);
}
