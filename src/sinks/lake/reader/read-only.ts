import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { AuditlakeError } from '../../../core/errors.js';

const ALLOWED = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

/**
 * Prepares `sql` and refuses anything but one SELECT / EXPLAIN (also WITH, FROM-first, DESCRIBE, SHOW,
 * SUMMARIZE, which DuckDB types as SELECT). The query DuckDB is also sandboxed to the lake directory,
 * but COPY … TO inside it would still write there, hence this check.
 */
export async function prepareReadOnly(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  const extracted = await conn.extractStatements(sql);
  if (extracted.count === 0) throw new AuditlakeError('E_QUERY', 'query: the SQL text is empty');
  if (extracted.count > 1) {
    throw new AuditlakeError('E_QUERY', `query: ${extracted.count} statements given; run one SELECT at a time (PIVOT counts as two: use PIVOT inside a SELECT … FROM (PIVOT …))`);
  }
  const prepared = await extracted.prepare(0);
  if (!ALLOWED.has(prepared.statementType)) {
    const kind = StatementType[prepared.statementType] ?? String(prepared.statementType);
    prepared.destroySync();
    throw new AuditlakeError('E_QUERY', `query: only read-only statements (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW) are allowed; this is a ${kind} statement`);
  }
  return prepared;
}
