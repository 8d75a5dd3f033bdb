import pg from 'pg';
import type { MasterLogin } from './master-secret.js';

export interface SqlTarget {
  host: string;
  port: number;
  database: string;
}

/** Runs statements as the master user (setup.ts); tests pass a recording one. */
export type SqlRunner = (target: SqlTarget, login: MasterLogin, statements: string[]) => Promise<void>;

/**
 * The SqlRunner of the Lambda: one pg connection over verified TLS (the function sets NODE_EXTRA_CA_CERTS to the
 * Lambda runtime's /var/runtime/ca-cert.pem, which carries the RDS certificate authorities), a short connect timeout (an unreachable private database must not eat the step's 2 minutes), then close.
 */
export const pgRunner: SqlRunner = async (target, login, statements) => {
  const client = new pg.Client({ host: target.host, port: target.port, database: target.database, user: login.username, password: login.password, ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 8000, statement_timeout: 30_000 });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
};
