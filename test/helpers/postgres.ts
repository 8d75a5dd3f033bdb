import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGBIN, PG_FILES, skipUnless } from './engines.js';

export const pgSkip = (): string | false => skipUnless(PG_FILES, 'PostgreSQL 15 + pgaudit');
export const PG_SUPERUSER_PASSWORD = 'pg-super-Secret-1';

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function osUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(name + ':'));
  if (!line) throw new Error(`test helper: OS user ${name} not found`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface PgInstance {
  dir: string;
  port: number;
  logDir: string;
  /** postgres:// URL over TCP (SCRAM) as the superuser. */
  url: string;
  admin(): Promise<pg.Client>;
  stop(): Promise<void>;
}

export interface PgOptions {
  /** Preload pgaudit (default true). false reproduces "pgaudit not preloaded". */
  preload?: boolean;
  /** Extra -c settings at start. */
  settings?: Record<string, string>;
}

/**
 * A private PostgreSQL 15 on 127.0.0.1 in a temp dir, run as the `postgres` OS user when we are root
 * (PostgreSQL refuses root). Logging destination is left to `auditlake enable` unless `settings` say otherwise.
 */
export async function startPostgres(opts: PgOptions = {}): Promise<PgInstance> {
  const root = process.getuid?.() === 0;
  const as = root ? osUser('postgres') : {};
  const dir = mkdtempSync(join(tmpdir(), 'alpg-'));
  if (root) chownSync(dir, (as as { uid: number }).uid, (as as { gid: number }).gid);
  const pw = join(dir, 'pw');
  writeFileSync(pw, PG_SUPERUSER_PASSWORD + '\n', { mode: 0o600 });
  if (root) chownSync(pw, (as as { uid: number }).uid, (as as { gid: number }).gid);
  const data = join(dir, 'data');
  execFileSync(`${PGBIN}/initdb`, ['-D', data, '-U', 'postgres', `--pwfile=${pw}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...as, stdio: 'pipe' });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf: Record<string, string> = {
      listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dir,
      ...(opts.preload === false ? {} : { shared_preload_libraries: 'pgaudit' }),
      logging_collector: 'on', log_directory: 'log', log_filename: 'postgresql', log_timezone: 'UTC',
      fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', ...opts.settings,
    };
    const args = ['-D', data, ...Object.entries(conf).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const child: ChildProcess = spawn(`${PGBIN}/postgres`, args, { ...as, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    let ok = false;
    for (let i = 0; i < 500; i++) {
      const c = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
      try {
        await c.connect();
        await c.end();
        ok = true;
        break;
      } catch {
        await c.end().catch(() => {});
        if (child.exitCode !== null) break;
        await sleep(20);
      }
    }
    if (!ok) {
      child.kill('SIGKILL');
      if (attempt < 4) continue; // port race: retry
      throw new Error('test helper: postgres failed to start: ' + out);
    }
    return {
      dir, port, logDir: join(data, 'log'),
      url: `postgres://postgres:${PG_SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
      async admin() {
        const c = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
        await c.connect();
        return c;
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGINT'); // fast shutdown; SIGTERM would wait for every client
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
