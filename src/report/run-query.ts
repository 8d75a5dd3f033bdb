import type { QueryResult } from '../sinks/lake/types.js';
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

/** Runs `sql` (capped at TABLE_ROW_CAP rows, counted exactly) into a report table. */
export async function table(q: QueryFn, id: string, title: string, sql: string): Promise<ReportTable> {
  const r = await q(`SELECT * FROM (${sql}) LIMIT ${TABLE_ROW_CAP}`);
  const rows = r.rows.map((row) => row.map(toCell));
  const totalRows = rows.length < TABLE_ROW_CAP ? rows.length : await scalar(q, `SELECT count(*) FROM (${sql})`);
  return { id, title, columns: r.columns, rows, totalRows };
}

/** A single number from a one-row, one-column query. */
export async function scalar(q: QueryFn, sql: string): Promise<number> {
  const r = await q(sql);
  const v = toCell(r.rows[0]?.[0]);
  return typeof v === 'number' ? v : Number(v ?? 0);
}
