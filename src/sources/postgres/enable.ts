import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AuditlakeError } from '../../core/errors.js';
import { connectPostgres } from './connect.js';
import { maskUrl, type EnableResult, type SettingChange } from './enable-result.js';
import { DEFAULT_PGAUDIT_LOG } from './defaults.js';
import { currentPgLog } from './read-log.js';

export { DEFAULT_PGAUDIT_LOG };

export interface PgEnableOptions {
  /** pgaudit.log classes (default ddl,role,read,write,misc_set). */
  pgauditLog?: string;
  /** Log destination the collector reads (default csvlog; RDS documents only stderr and csvlog). */
  logFormat?: 'csvlog' | 'jsonlog';
  dryRun?: boolean;
  /** How long to wait for the canary to appear in the audit log (default 10 s). */
  verifyTimeoutMs?: number;
  /** Keep the text of failing statements in the log (log_min_error_statement=error): may log passwords in clear. */
  keepErrorStatements?: boolean;
  /**
   * Told the audit-log session id (and pid) of every connection enable opens, as soon as it is known — also when
   * enable then fails — so the watcher can keep its own traffic off the silence clock.
   */
  onSession?: (ids: string[]) => void;
}

/** The session id as csvlog/jsonlog write it (`%c`: hex start time '.' hex pid), and the pid (stderr prefixes). */
async function reportSession(c: pg.Client, o: PgEnableOptions): Promise<number> {
  const r = await c.query<{ sid: string; pid: number }>("SELECT to_hex(trunc(extract(epoch FROM backend_start))::bigint) || '.' || to_hex(pid) AS sid, pid FROM pg_stat_activity WHERE pid = pg_backend_pid()");
  const { sid, pid } = r.rows[0];
  o.onSession?.([sid, String(pid)]);
  return pid;
}

/**
 * Settings auditlake requires, with why. Values compared as pg_settings shows them. The last four are what keeps
 * PostgreSQL itself from writing passwords in clear (db-audit-engines.md §2.10): log_statement and duration
 * logging print statement text unredacted; log_min_error_statement=error prints every failing statement
 * (`CREATE ROLE … PASSWORD '…'` with a typo) into the log.
 */
function required(o: PgEnableOptions, current: Map<string, string>): Array<{ name: string; value: string; ok: (v: string) => boolean }> {
  const dest = o.logFormat ?? 'csvlog';
  const destNow = (current.get('log_destination') ?? 'stderr').split(',').map((s) => s.trim()).filter(Boolean);
  const classes = (o.pgauditLog ?? DEFAULT_PGAUDIT_LOG).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return [
    { name: 'pgaudit.log', value: classes.join(','), ok: (v) => sameSet(v, classes) },
    { name: 'pgaudit.log_catalog', value: 'off', ok: (v) => v === 'off' },
    { name: 'pgaudit.log_relation', value: 'on', ok: (v) => v === 'on' },
    { name: 'log_connections', value: 'on', ok: (v) => v === 'on' },
    { name: 'log_disconnections', value: 'on', ok: (v) => v === 'on' },
    { name: 'log_destination', value: destNow.includes(dest) ? destNow.join(',') : [...destNow, dest].join(','), ok: (v) => v.split(',').map((s) => s.trim()).includes(dest) },
    { name: 'log_timezone', value: 'UTC', ok: (v) => v === 'UTC' || v === 'Etc/UTC' || v === 'GMT' },
    { name: 'log_statement', value: 'none', ok: (v) => v === 'none' },
    { name: 'log_min_duration_statement', value: '-1', ok: (v) => v === '-1' },
    { name: 'log_min_duration_sample', value: '-1', ok: (v) => v === '-1' },
    ...(o.keepErrorStatements ? [] : [{ name: 'log_min_error_statement', value: 'panic', ok: (v: string) => v === 'panic' }]),
  ];
}

function sameSet(v: string, want: string[]): boolean {
  const have = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return have.length === want.length && want.every((w) => have.includes(w));
}

/**
 * Checks and switches on auditing on a PostgreSQL server, then verifies it by effect: a canary statement run on a
 * fresh connection must show up as a pgaudit record (and its login as a `connection authorized` line) in the
 * server's log, read back through SQL. Idempotent: a second run changes nothing.
 * Fails (E_POLICY) with the exact change when pgaudit is not preloaded or logging_collector is off — both need a
 * restart, which enable never does on its own.
 */
export async function enablePostgres(url: string, o: PgEnableOptions = {}): Promise<EnableResult> {
  const target = maskUrl(url);
  const c = await connectPostgres(url, 'auditlake-enable');
  try {
    await reportSession(c, o);
    const su = await c.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    if (!su.rows[0]?.rolsuper) throw new AuditlakeError('E_DB', `postgres ${target}: enable needs a superuser (ALTER SYSTEM, CREATE EXTENSION, pg_read_file)`);
    const res: EnableResult = { engine: 'postgres', target, dryRun: !!o.dryRun, changes: [], unchanged: [], notes: [] };

    const spl = (await c.query<{ s: string }>('SELECT current_setting($1) AS s', ['shared_preload_libraries'])).rows[0].s;
    const libs = spl.split(',').map((s) => s.trim()).filter(Boolean);
    const collector = (await c.query<{ s: string }>("SELECT current_setting('logging_collector') AS s")).rows[0].s;
    const restartNeeded: string[] = [];
    if (!libs.includes('pgaudit')) restartNeeded.push(`shared_preload_libraries = '${[...libs, 'pgaudit'].join(',')}'  (now '${spl}')`);
    if (collector !== 'on') restartNeeded.push(`logging_collector = on  (now '${collector}')`);
    if (restartNeeded.length) {
      throw new AuditlakeError(
        'E_POLICY',
        `postgres ${target}: pgaudit cannot be enabled without a restart. Make this change, then restart the server and run enable again:\n` +
          restartNeeded.map((s) => `    ${s}`).join('\n') +
          `\n  e.g. ALTER SYSTEM SET ${restartNeeded.map((s) => s.split('  ')[0]).join('; ALTER SYSTEM SET ')}; then restart` +
          ` (on RDS: set it in the DB parameter group; it stays "pending-reboot" until the instance reboots)`,
      );
    }

    const ext = await c.query('SELECT extversion FROM pg_extension WHERE extname = $1', ['pgaudit']);
    if (ext.rowCount === 0) {
      res.changes.push({ setting: 'extension pgaudit', from: 'absent', to: 'installed', applied: !o.dryRun });
      if (!o.dryRun) await c.query('CREATE EXTENSION IF NOT EXISTS pgaudit');
    } else res.unchanged.push('extension pgaudit');

    const names = ['pgaudit.log', 'pgaudit.log_catalog', 'pgaudit.log_relation', 'log_connections', 'log_disconnections', 'log_destination', 'log_timezone', 'log_statement', 'log_min_duration_statement', 'log_min_duration_sample', 'log_min_error_statement'];
    const cur = new Map<string, string>();
    for (const r of (await c.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [names])).rows) cur.set(r.name, r.setting);
    for (const want of required(o, cur)) {
      const now = cur.get(want.name) ?? '';
      if (want.ok(now)) {
        res.unchanged.push(`${want.name}=${now}`);
        continue;
      }
      const ch: SettingChange = { setting: want.name, from: now, to: want.value, applied: !o.dryRun };
      res.changes.push(ch);
      if (!o.dryRun) await c.query(`ALTER SYSTEM SET ${quoteIdentPath(want.name)} = ${quoteLiteral(want.value)}`);
    }
    if (!o.dryRun && res.changes.some((ch) => ch.setting !== 'extension pgaudit')) await c.query('SELECT pg_reload_conf()');
    const overrides = await c.query<{ setconfig: string[] }>("SELECT setconfig FROM pg_db_role_setting WHERE array_to_string(setconfig, ',') ~ '(^|,)(pgaudit\\.log|log_statement)='");
    for (const r of overrides.rows) res.notes.push(`a database/role-level override may weaken auditing: ${r.setconfig.join(', ')}`);

    if (!o.dryRun) res.verified = await verifyPostgres(c, url, o);
    return res;
  } finally {
    await c.end().catch(() => {});
  }
}

/** A canary that the configured pgaudit classes log. */
function canaryStatement(classes: string, tag: string): string {
  const cl = classes.toLowerCase().split(',').map((s) => s.trim());
  if (cl.includes('all') || cl.includes('read')) return `SELECT '${tag}' AS auditlake_canary`;
  if (cl.includes('misc_set') || cl.includes('misc')) return `SET application_name = '${tag}'`;
  if (cl.includes('ddl')) return `CREATE TEMP TABLE "${tag}" ()`;
  throw new AuditlakeError('E_USAGE', `postgres enable: pgaudit.log '${classes}' has no class (read, misc_set, ddl, all) a canary statement can use`);
}

async function verifyPostgres(admin: pg.Client, url: string, o: PgEnableOptions): Promise<NonNullable<EnableResult['verified']>> {
  const dest = o.logFormat ?? 'csvlog';
  const timeout = o.verifyTimeoutMs ?? 10_000;
  const t0 = Date.now();
  // log_destination may just have changed: the syslogger opens the new file on reload, asynchronously
  let log = null;
  for (;;) {
    try {
      log = await currentPgLog(admin, dest);
      break;
    } catch (err) {
      if (Date.now() - t0 > timeout) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const start = await log.size();
  const tag = `auditlake-canary-${randomUUID()}`;
  const probe = await connectPostgres(url, 'auditlake-canary');
  let pid: number;
  try {
    pid = await reportSession(probe, o);
    await probe.query(canaryStatement(o.pgauditLog ?? DEFAULT_PGAUDIT_LOG, tag));
  } finally {
    await probe.end().catch(() => {});
  }
  for (;;) {
    const text = await log.read(start, await log.size());
    const hasCanary = text.includes(tag) && text.includes('AUDIT: ');
    const hasLogin = new RegExp(`(^|\\n)[^\\n]*${dest === 'csvlog' ? `,${pid},` : `"pid":${pid},`}[^\\n]*connection authorized`).test(text);
    if (hasCanary && hasLogin) return { canary: tag, ms: Date.now() - t0, logFile: log.path };
    if (Date.now() - t0 > timeout) {
      throw new AuditlakeError(
        'E_INTEGRITY',
        `postgres enable: verification failed: after ${timeout} ms ${hasCanary ? '' : `the canary statement (${tag}) is not in ${log.path}`}${!hasCanary && !hasLogin ? ' and ' : ''}${hasLogin ? '' : `the canary login (pid ${pid}) was not logged as "connection authorized"`} — settings look right but auditing does not work`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
/** `pgaudit.log` must be written as is (a dotted GUC name), plain names too; only [a-z0-9_.] are allowed here. */
function quoteIdentPath(name: string): string {
  if (!/^[a-z0-9_.]+$/.test(name)) throw new AuditlakeError('E_INTERNAL', `postgres enable: bad setting name ${name}`);
  return name;
}
