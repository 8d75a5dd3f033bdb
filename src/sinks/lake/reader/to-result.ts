import { DuckDBTypeId, type DuckDBResultReader } from '@duckdb/node-api';
import type { QueryResult } from '../../../core/lake.js';

/** Types whose JS form (bigint micros, objects) reads worse than DuckDB's own text. */
const AS_TEXT = new Set<DuckDBTypeId>([DuckDBTypeId.TIME, DuckDBTypeId.TIME_TZ, DuckDBTypeId.TIME_NS, DuckDBTypeId.INTERVAL, DuckDBTypeId.BIT]);

function fixDates(v: unknown, dateOnly: boolean): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : dateOnly ? v.toISOString().slice(0, 10) : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => fixDates(x, false));
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = fixDates(x, false);
    return o;
  }
  return v;
}

/**
 * DuckDB rows → QueryResult: strings, numbers, booleans, null; BIGINT/HUGEINT as bigint (ids and
 * counts can pass 2^53); TIMESTAMP as ISO-8601 UTC text (`2026-10-01T12:00:00.000Z`); DATE as
 * `YYYY-MM-DD`; TIME and INTERVAL as DuckDB prints them.
 */
export function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const columns = reader.columnNames();
  const types = reader.columnTypes();
  const js = reader.getRowsJS();
  const textCols = types.map((t, i) => (AS_TEXT.has(t.typeId) ? i : -1)).filter((i) => i >= 0);
  const raw = textCols.length ? reader.getRows() : null;
  const rows = js.map((row, r) =>
    row.map((v, i) => {
      if (raw && textCols.includes(i)) return raw[r][i] === null ? null : String(raw[r][i]);
      return fixDates(v, types[i].typeId === DuckDBTypeId.DATE);
    }),
  );
  // JSON is VARCHAR with an alias; a JSON column's values stay text here, JSON output nests them.
  const jsonColumns = types.map((t, i) => (t.typeId === DuckDBTypeId.VARCHAR && t.alias === 'JSON' ? i : -1)).filter((i) => i >= 0);
  return jsonColumns.length ? { columns, rows, jsonColumns } : { columns, rows };
}
