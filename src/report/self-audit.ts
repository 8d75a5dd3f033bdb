import type { QueryFn } from './run-query.js';
import { lit } from '../sinks/lake/schema.js';

/** auditlake's own access trail for a month: API calls and audited CLI commands (log type api, service auditlake). */
export interface SelfAuditFacts {
  records: number;
  /** Calls that read audit data (search, query, report, …). */
  reads: number;
  /** Calls refused (no/bad token, wrong role or account, limits). */
  refused: number;
  principals: number;
}

export async function loadSelfAudit(q: QueryFn, range: { from: string; to: string }): Promise<SelfAuditFacts> {
  const t = (iso: string) => `TIMESTAMP ${lit(iso.slice(0, 19).replace('T', ' '))}`;
  const r = await q(`SELECT count(*), count(*) FILTER (WHERE coalesce(try_cast(json_extract_string(raw, '$.readOnly') AS BOOLEAN), false)),
    count(*) FILTER (WHERE success = false), count(DISTINCT "user")
    FROM events WHERE log_type = 'api' AND service = 'auditlake' AND time >= ${t(range.from)} AND time < ${t(range.to)}`);
  const [records, reads, refused, principals] = (r.rows[0] ?? []).map((v) => Number(v ?? 0));
  return { records, reads, refused, principals };
}
