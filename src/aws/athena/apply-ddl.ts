import type { AthenaEngineOptions } from './run-athena-query.js';
import { runAthenaQuery } from './run-athena-query.js';

/**
 * `auditlake aws athena-ddl --apply`: runs the statements one by one, in order (the database before its tables).
 * Idempotent because every statement is `… IF NOT EXISTS`; a failure names the statement and Athena's reason.
 */
export async function applyAthenaDdl(o: AthenaEngineOptions, statements: string[], onStep: (s: string) => void = () => undefined): Promise<number> {
  let n = 0;
  for (const sql of statements) {
    onStep(sql.split('\n')[0] ?? sql);
    await runAthenaQuery(o, sql);
    n++;
  }
  return n;
}
