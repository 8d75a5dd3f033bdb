import type { QueryResult } from '../core/lake.js';
import type { ReportTable } from './types.js';

export type QueryFn = (sql: string) => Promise<QueryResult>;
type Cell = string | number | boolean | null;

/** Lake values → report cells: bigint → number (counts fit), Date → ISO text. */
export function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** Rows kept per table at most (CSV/JSON); the HTML shows fewer (ReportOptions.maxRows). */
export const TABLE_ROW_CAP = 100_000;

/** Rows kept of a ranking ("top") table: the head of a long tail is what a reviewer reads. */
export const TOP_ROWS = 1000;

/**
 * Runs `sql` into a report table: at most `limit` rows (TABLE_ROW_CAP for complete lists such as every
 * user change, TOP_ROWS for rankings); `totalRows` is always the exact count.
 */
export async function table(q: QueryFn, id: string, title: string, sql: string, limit = TABLE_ROW_CAP): Promise<ReportTable> {
  // The total is counted from the same materialised result, so a capped table needs no second query
  // (and the rows keep the ORDER BY of `sql`).
  const r = await q(`WITH t AS MATERIALIZED (${sql}) SELECT t.*, (SELECT count(*) FROM t) AS __total FROM t LIMIT ${limit}`);
  const totalRows = r.rows.length ? Number(toCell(r.rows[0]?.[r.columns.length - 1])) : 0;
  const rows = r.rows.map((row) => row.slice(0, -1).map(toCell));
  return { id, title, columns: r.columns.slice(0, -1), rows, totalRows };
}
