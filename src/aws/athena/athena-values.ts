import type { ColumnInfo, Datum } from '@aws-sdk/client-athena';

/** Athena's text of a TIMESTAMP (`2026-10-01 12:00:00.000`) → the lake's ISO-8601 UTC form (`…T12:00:00.000Z`). */
function isoTimestamp(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(s);
  if (!m) return s;
  const ms = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  return `${m[1]}T${m[2]}${ms}Z`;
}

/**
 * One Athena cell → the value DuckDB's engine gives for the same type (src/sinks/lake/reader/to-result.ts), so
 * `query` output and the report are the same whichever engine answered: bigint as bigint, other numbers as
 * number, boolean, TIMESTAMP as ISO text, DATE as `YYYY-MM-DD`; a Datum without a value is SQL NULL.
 */
export function athenaValue(d: Datum | undefined, col: ColumnInfo | undefined): unknown {
  const v = d?.VarCharValue;
  if (v === undefined) return null;
  const type = (col?.Type ?? 'varchar').toLowerCase();
  switch (type) {
    case 'bigint':
      return BigInt(v);
    case 'integer': case 'int': case 'smallint': case 'tinyint': case 'double': case 'float': case 'real': case 'decimal':
      return Number(v);
    case 'boolean':
      return v === 'true';
    case 'timestamp': case 'timestamp with time zone':
      return isoTimestamp(v);
    default:
      return v;
  }
}
