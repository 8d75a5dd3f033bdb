import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mariadb, { type Connection } from 'mariadb';
import { MARIADB_FILES, skipUnless } from './engines.js';
import { freePort } from './postgres.js';

export const mariadbSkip = (): string | false => skipUnless(MARIADB_FILES, 'MariaDB server (server_audit)');
export const MARIADB_ROOT_PASSWORD = 'my-root-Secret-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MariaDbInstance {
  dir: string;
  port: number;
  socket: string;
  /** mariadb:// URL over TCP as root. */
  url: string;
  root(): Promise<Connection>;
  stop(): Promise<void>;
}

/**
 * A private MariaDB on 127.0.0.1 in a temp dir (`--no-defaults` first, `--user=root`). server_audit is NOT
 * loaded: `auditlake enable` installs it. root gets a password for TCP; the unix socket stays passwordless.
 */
export async function startMariaDb(): Promise<MariaDbInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'almy-'));
  const common = ['--no-defaults', `--datadir=${dir}/data`, '--user=root', '--skip-name-resolve', '--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];
  // own tmpdir: concurrent bootstraps in /tmp collide on temp-table file names (`Error on delete of '/tmp/#sql-temptable-…'`)
  execFileSync('mariadb-install-db', [...common, `--tmpdir=${dir}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'pipe' });
  const socket = join(dir, 'mysqld.sock');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn('mariadbd', [...common, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${socket}`, `--pid-file=${dir}/mysqld.pid`, `--log-error=${dir}/error.log`, `--tmpdir=${dir}`, '--character-set-server=utf8mb4', '--default-time-zone=+00:00'], { stdio: 'ignore' });
    let ok = false;
    for (let i = 0; i < 500; i++) {
      try {
        const c = await mariadb.createConnection({ socketPath: socket, user: 'root' });
        await c.query(`ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD}'`).catch(async () => {
          await c.query(`CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD}'`);
          await c.query(`GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`);
        });
        await c.end();
        ok = true;
        break;
      } catch {
        if (child.exitCode !== null) break;
        await sleep(25);
      }
    }
    if (!ok) {
      child.kill('SIGKILL');
      if (attempt < 4) continue;
      let log = '';
      try { log = readFileSync(join(dir, 'error.log'), 'utf8'); } catch { /* no log */ }
      throw new Error('test helper: mariadbd failed to start: ' + log);
    }
    return {
      dir, port, socket,
      url: `mariadb://root:${MARIADB_ROOT_PASSWORD}@127.0.0.1:${port}/`,
      root: () => mariadb.createConnection({ socketPath: socket, user: 'root' }),
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
