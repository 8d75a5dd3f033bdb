import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPgLogDecoder } from '../../src/formats/pgaudit/decoder.js';
import type { AuditEvent } from '../../src/core/event.js';
import { enablePostgres } from '../../src/sources/postgres/enable.js';
import { formatEnableResult } from '../../src/sources/postgres/enable-result.js';
import { hasErrorCode } from '../../src/core/errors.js';
import { pgSkip, startPostgres, PG_SUPERUSER_PASSWORD, type PgInstance } from '../helpers/postgres.js';

const skip = pgSkip();
const PASSWORDS = ['Pw-create-1x', 'Pw-alter-2x', 'Pw-wrong-3x', 'Pw-dup-4x', PG_SUPERUSER_PASSWORD];
let db: PgInstance;

before(async () => {
  if (!skip) db = await startPostgres();
});
after(async () => {
  await db?.stop();
});

test('enable refuses with the exact change when pgaudit is not preloaded', { skip }, async () => {
  const bare = await startPostgres({ preload: false });
  try {
    await assert.rejects(enablePostgres(bare.url), (err: Error) => {
      assert.ok(hasErrorCode(err, 'E_POLICY'));
      assert.match(err.message, /shared_preload_libraries = 'pgaudit'/);
      assert.match(err.message, /restart/);
      assert.ok(!err.message.includes(PG_SUPERUSER_PASSWORD));
      return true;
    });
  } finally {
    await bare.stop();
  }
});

test('enable: dry run plans, real run changes and verifies by effect, second run changes nothing', { skip }, async () => {
  const plan = await enablePostgres(db.url, { dryRun: true });
  assert.ok(plan.changes.some((c) => c.setting === 'extension pgaudit' && !c.applied));
  const c = await db.admin();
  assert.equal((await c.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname='pgaudit'")).rows[0].n, 0);
  const res = await enablePostgres(db.url);
  const text = formatEnableResult(res);
  assert.match(text, /set pgaudit\.log: .* -> ddl,role,read,write,misc_set/);
  assert.match(text, /set log_connections: off -> on/);
  assert.match(text, /set log_min_error_statement: error -> panic/);
  assert.ok(res.verified && res.verified.ms < 10_000, text);
  assert.ok(!text.includes(PG_SUPERUSER_PASSWORD));
  assert.equal((await c.query("SELECT current_setting('pgaudit.log') AS s")).rows[0].s, 'ddl,role,read,write,misc_set');
  const again = await enablePostgres(db.url);
  assert.deepEqual(again.changes, []);
  assert.ok(again.verified);
  await c.end();
});

test('real workload: the exact connection, user and activity events, and no password anywhere', { skip }, async () => {
  const csv = join(db.logDir, 'postgresql.csv');
  // enable's own sessions log their disconnections asynchronously: start once the file stopped growing
  let start = statSync(csv).size;
  for (let quiet = 0; quiet < 6; ) {
    await new Promise((r) => setTimeout(r, 50));
    const now = statSync(csv).size;
    quiet = now === start ? quiet + 1 : 0;
    start = now;
  }
  const tcp = (user: string, password: string) => new pg.Client({ host: '127.0.0.1', port: db.port, user, password, database: 'postgres', application_name: 'wl' });
  const su = tcp('postgres', PG_SUPERUSER_PASSWORD);
  await su.connect();
  await su.query(`CREATE ROLE app_user LOGIN PASSWORD '${PASSWORDS[0]}'`);
  await su.query(`ALTER ROLE app_user WITH PASSWORD '${PASSWORDS[1]}' CONNECTION LIMIT 5`);
  await assert.rejects(async () => { const x = tcp('app_user', PASSWORDS[2]); try { await x.connect(); } finally { await x.end().catch(() => {}); } }, /password authentication failed/);
  await assert.rejects(async () => { const x = tcp('nobody', 'x'); try { await x.connect(); } finally { await x.end().catch(() => {}); } }, /password authentication failed/);
  await su.query('CREATE TABLE public.accounts (id int PRIMARY KEY, name text)');
  await su.query('GRANT SELECT, INSERT ON public.accounts TO app_user');
  await su.query(`INSERT INTO public.accounts VALUES (1, 'O''Brien, Zoë 日本語')`);
  await assert.rejects(su.query(`CREATE ROLE app_user LOGIN PASSWORD '${PASSWORDS[3]}'`), /already exists/);
  const app = tcp('app_user', PASSWORDS[1]);
  await app.connect();
  await app.query("SELECT id,\n       name\n  FROM public.accounts\n WHERE name LIKE '%ë%'");
  await assert.rejects(app.query('DELETE FROM public.accounts WHERE id = 1'), /permission denied/);
  await app.end();
  await su.query('REVOKE ALL ON public.accounts FROM app_user');
  await su.query('DROP TABLE public.accounts');
  await su.query('DROP ROLE app_user');
  await su.end();

  // the syslogger writes asynchronously: wait for the last record (su's disconnection)
  const deadline = Date.now() + 10_000;
  let ev: AuditEvent[] = [];
  for (;;) {
    const bytes = readFileSync(csv).subarray(start);
    const d = createPgLogDecoder('csvlog', { server: 'pgtest', account: '', region: '', sourceObject: csv });
    ev = [...d.push(bytes), ...d.end()].map((r) => (r.kind === 'event' ? r.event : assert.fail(r.reason))).filter((e) => e.user !== null && (e.details.applicationName === 'wl' || e.logType === 'connection'));
    if (ev.filter((e) => e.action === 'disconnecting session').length >= 2 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const summary = ev.map((e) => `${e.logType}|${e.action}|${e.user}|${e.success}|${e.object ?? ''}|${e.errorCode ?? ''}`);
  assert.deepEqual(summary, [
    'connection|authenticated|postgres|true||',
    'user|CREATE ROLE|postgres|true|app_user|',
    'user|ALTER ROLE|postgres|true|app_user|',
    'connection|authentication failure|app_user|false||28P01',
    'connection|authentication failure|nobody|false||28P01',
    'activity|CREATE TABLE|postgres|true|public.accounts|',
    'activity|CREATE INDEX|postgres|true|public.accounts_pkey|',
    'user|GRANT|postgres|true|app_user|',
    'activity|INSERT|postgres|true|public.accounts|',
    'user|CREATE ROLE|postgres|false||42710',
    'connection|authenticated|app_user|true||',
    'activity|SELECT|app_user|true|public.accounts|',
    'activity|DELETE|app_user|false||42501',
    'connection|disconnecting session|app_user|true||',
    'user|REVOKE|postgres|true|app_user|',
    'activity|DROP TABLE|postgres|true|public.accounts|',
    'activity|DROP TABLE|postgres|true|accounts_pkey on public.accounts|',
    'activity|DROP TABLE|postgres|true|public.accounts_pkey|',
    'user|DROP ROLE|postgres|true|app_user|',
    'connection|disconnecting session|postgres|true||',
  ]);
  assert.equal(ev.find((e) => e.action === 'INSERT')?.statement, "INSERT INTO public.accounts VALUES (1, 'O''Brien, Zoë 日本語')");
  assert.equal(ev.find((e) => e.action === 'SELECT')?.statement, "SELECT id,\n       name\n  FROM public.accounts\n WHERE name LIKE '%ë%'");
  assert.equal(ev[0].remoteHost, '127.0.0.1');
  // no password in the events nor in any file PostgreSQL wrote (enable turned off the core logging that leaks them)
  const all = JSON.stringify(ev) + readdirSync(db.logDir).map((f) => readFileSync(join(db.logDir, f), 'utf8')).join('');
  for (const p of PASSWORDS) assert.ok(!all.includes(p), `password ${p.slice(0, 3)}… leaked`);
});
