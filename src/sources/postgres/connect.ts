import pg from 'pg';
import { AuditlakeError } from '../../core/errors.js';
import { maskUrl } from '../../core/mask-url.js';

/**
 * Connects to `postgres://user:pass@host:port/db` (also `postgresql://`; `?host=/socket/dir` for a unix socket).
 * Errors never carry the password: the URL is masked and the driver's message is kept as the cause.
 */
export async function connectPostgres(url: string, applicationName = 'auditlake'): Promise<pg.Client> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new AuditlakeError('E_USAGE', `postgres: "${maskUrl(url)}" is not a postgres:// URL`);
  // pg parses the URL in the constructor: a malformed one would escape as an internal error.
  if (!URL.canParse(url)) throw new AuditlakeError('E_USAGE', 'postgres: the target is not a valid URL');
  const c = new pg.Client({ connectionString: url, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (err) {
    await c.end().catch(() => {});
    throw new AuditlakeError('E_DB', `postgres ${maskUrl(url)}: cannot connect: ${(err as Error).message}`, { cause: err });
  }
  return c;
}
