import { existsSync } from 'node:fs';

/** Paths of the Debian database engines the live-database tests start privately. */
export const PGBIN = '/usr/lib/postgresql/15/bin';
export const PG_FILES = [`${PGBIN}/initdb`, `${PGBIN}/postgres`, '/usr/lib/postgresql/15/lib/pgaudit.so'];
export const MARIADB_FILES = ['/usr/sbin/mariadbd', '/usr/bin/mariadb-install-db', '/usr/lib/mysql/plugin/server_audit.so'];

/** A skip reason when an engine is not installed (CI installs them with scripts/install-system-deps.sh), else false. */
export function skipUnless(files: string[], what: string): string | false {
  const missing = files.filter((f) => !existsSync(f));
  return missing.length ? `${what} not installed (missing ${missing.join(', ')}); run: bash scripts/install-system-deps.sh` : false;
}
