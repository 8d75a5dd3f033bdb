import mariadb, { type Connection } from 'mariadb';
import { AuditlakeError } from '../../core/errors.js';
import { maskUrl } from '../../core/mask-url.js';

/**
 * Connects to `mariadb://user:pass@host:port/db` (also `mysql://`; `?socket=/path/mysqld.sock` for a unix socket).
 * The password is never part of an error message.
 */
export async function connectMariaDb(url: string): Promise<Connection> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AuditlakeError('E_USAGE', 'mariadb: the target is not a valid URL');
  }
  if (u.protocol !== 'mariadb:' && u.protocol !== 'mysql:') throw new AuditlakeError('E_USAGE', `mariadb: "${maskUrl(url)}" is not a mariadb:// URL`);
  const socket = u.searchParams.get('socket');
  try {
    return await mariadb.createConnection({
      ...(socket ? { socketPath: socket } : { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 3306 }),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
      connectTimeout: 10_000,
    });
  } catch (err) {
    throw new AuditlakeError('E_DB', `mariadb ${maskUrl(url)}: cannot connect: ${(err as Error).message}`, { cause: err });
  }
}
