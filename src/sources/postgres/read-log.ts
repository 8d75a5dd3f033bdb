import type pg from 'pg';
import { AuditlakeError } from '../../core/errors.js';

/**
 * Reads the server's current csvlog/jsonlog through SQL (`pg_current_logfile`, `pg_stat_file`, `pg_read_file`),
 * so verification works without file access to the server (superuser or pg_read_server_files needed).
 */
export interface PgLogHandle {
  path: string;
  size(): Promise<number>;
  read(from: number, to: number): Promise<string>;
}

export async function currentPgLog(c: pg.Client, dest: 'csvlog' | 'jsonlog'): Promise<PgLogHandle> {
  const r = await c.query<{ f: string | null }>('SELECT pg_current_logfile($1) AS f', [dest]);
  const path = r.rows[0]?.f;
  if (!path) throw new AuditlakeError('E_DB', `postgres: no current ${dest} file (log_destination lacks ${dest}, or logging_collector is off)`);
  return {
    path,
    async size() {
      const s = await c.query<{ size: string }>('SELECT size FROM pg_stat_file($1)', [path]);
      return Number(s.rows[0].size);
    },
    async read(from, to) {
      if (to <= from) return '';
      const s = await c.query<{ t: Buffer }>('SELECT pg_read_binary_file($1, $2, $3) AS t', [path, from, to - from]);
      return s.rows[0].t.toString('utf8');
    },
  };
}
