import { randomUUID } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Connection } from 'mariadb';
import { AuditlakeError } from '../../core/errors.js';
import { maskUrl } from '../../core/mask-url.js';
import type { EnableResult, SettingChange } from '../postgres/enable-result.js';
import { connectMariaDb } from './connect.js';

export interface MariaDbEnableOptions {
  /** server_audit_file_path to set (default: keep the server's, `server_audit.log` in the datadir). */
  auditFile?: string;
  dryRun?: boolean;
  verifyTimeoutMs?: number;
  /** Told the connection id of every connection enable opens (see PgEnableOptions.onSession). */
  onSession?: (ids: string[]) => void;
}

/**
 * QUERY is required: with only QUERY_DCL/QUERY_DDL the plugin does not log ALTER USER, SET PASSWORD,
 * SET DEFAULT ROLE or ACCOUNT LOCK (db-audit-engines.md §3.4). TABLE gives the tables a statement touched.
 * query_log_limit: statements longer than the limit are cut (RDS keeps 1024).
 */
const REQUIRED: Array<{ name: string; value: string; ok: (v: string) => boolean }> = [
  { name: 'server_audit_output_type', value: 'file', ok: (v) => v.toLowerCase() === 'file' },
  { name: 'server_audit_events', value: 'CONNECT,QUERY,TABLE', ok: (v) => ['CONNECT', 'QUERY', 'TABLE'].every((e) => v.toUpperCase().split(',').includes(e)) },
  { name: 'server_audit_file_rotate_size', value: '1000000', ok: (v) => Number(v) > 0 },
  { name: 'server_audit_file_rotations', value: '9', ok: (v) => Number(v) > 0 },
  { name: 'server_audit_query_log_limit', value: '65536', ok: (v) => Number(v) >= 65536 },
  { name: 'server_audit_excl_users', value: '', ok: (v) => v === '' },
  { name: 'server_audit_logging', value: 'ON', ok: (v) => v.toUpperCase() === 'ON' },
];

/**
 * Checks and switches on server_audit (MariaDB, or MySQL with the MariaDB plugin), then verifies by effect:
 * a canary statement on a fresh connection must appear, with that connection's CONNECT row, in the audit file.
 * `INSTALL SONAME` persists; `SET GLOBAL server_audit_*` does not survive a restart — reported, and the drift
 * check of `auditlake watch` re-applies them.
 */
export async function enableMariaDb(url: string, o: MariaDbEnableOptions = {}): Promise<EnableResult> {
  const target = maskUrl(url);
  const c = await connectMariaDb(url);
  try {
    await reportConnection(c, o);
    const res: EnableResult = { engine: 'mariadb', target, dryRun: !!o.dryRun, changes: [], unchanged: [], notes: [] };
    const plug = await c.query<Array<{ s: string }>>("SELECT PLUGIN_STATUS AS s FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'SERVER_AUDIT'");
    if (plug.length === 0) {
      res.changes.push({ setting: 'plugin server_audit', from: 'absent', to: 'installed', applied: !o.dryRun });
      if (!o.dryRun) {
        try {
          await c.query("INSTALL SONAME 'server_audit'");
        } catch (err) {
          throw new AuditlakeError('E_DB', `mariadb ${target}: INSTALL SONAME 'server_audit' failed: ${(err as Error).message}`, { cause: err });
        }
      }
    } else if (plug[0].s !== 'ACTIVE') {
      throw new AuditlakeError('E_DB', `mariadb ${target}: plugin server_audit is ${plug[0].s}; it must be ACTIVE (check plugin_load/--server-audit options)`);
    } else res.unchanged.push('plugin server_audit');

    const cur = await globals(c);
    const wants = [...REQUIRED];
    if (o.auditFile) wants.unshift({ name: 'server_audit_file_path', value: o.auditFile, ok: (v) => v === o.auditFile });
    for (const w of wants) {
      const now = cur.get(w.name) ?? (o.dryRun && plug.length === 0 ? '(plugin not installed)' : '');
      if (cur.has(w.name) && w.ok(now)) {
        res.unchanged.push(`${w.name}=${now}`);
        continue;
      }
      const ch: SettingChange = { setting: w.name, from: now, to: w.value, applied: !o.dryRun, note: 'SET GLOBAL: not persistent across restarts' };
      res.changes.push(ch);
      // server_audit_logging last (REQUIRED order), so logging starts with the final file and events
      if (!o.dryRun) {
        try {
          // numeric system variables refuse a string parameter (ER_WRONG_TYPE_FOR_VAR)
          await c.query(`SET GLOBAL ${w.name} = ?`, [/^\d+$/.test(w.value) ? Number(w.value) : w.value]);
        } catch (err) {
          throw new AuditlakeError('E_DB', `mariadb ${target}: SET GLOBAL ${w.name} failed: ${(err as Error).message}`, { cause: err });
        }
      }
    }
    if (res.changes.some((ch) => ch.setting.startsWith('server_audit_'))) {
      res.notes.push(
        'SET GLOBAL does not survive a restart; to persist add to the [mariadbd] section of my.cnf: ' +
          ['plugin_load_add = server_audit', ...wants.map((w) => `${w.name} = ${w.name === 'server_audit_logging' ? 'ON' : w.value || "''"}`)].join('; '),
      );
    }
    if (!o.dryRun) res.verified = await verifyMariaDb(c, url, o);
    return res;
  } finally {
    await c.end().catch(() => {});
  }
}

async function globals(c: Connection): Promise<Map<string, string>> {
  const rows = await c.query<Array<{ Variable_name: string; Value: string }>>("SHOW GLOBAL VARIABLES LIKE 'server_audit%'");
  return new Map(rows.map((r) => [r.Variable_name, String(r.Value)]));
}

/** Absolute path of the audit file: server_audit_file_path, relative to the datadir when not absolute. */
export async function mariaDbAuditFile(c: Connection): Promise<string> {
  const cur = await globals(c);
  const p = cur.get('server_audit_file_path') || 'server_audit.log';
  if (isAbsolute(p)) return p;
  const d = await c.query<Array<{ d: string }>>('SELECT @@datadir AS d');
  return join(d[0].d, p);
}

/** server_audit names a session by its connection id: tell the caller (the watcher keeps its own traffic apart). */
async function reportConnection(c: Connection, o: MariaDbEnableOptions): Promise<number> {
  const id = Number((await c.query<Array<{ id: bigint | number }>>('SELECT CONNECTION_ID() AS id'))[0].id);
  o.onSession?.([String(id)]);
  return id;
}

async function verifyMariaDb(admin: Connection, url: string, o: MariaDbEnableOptions): Promise<NonNullable<EnableResult['verified']>> {
  const file = await mariaDbAuditFile(admin);
  const timeout = o.verifyTimeoutMs ?? 10_000;
  const t0 = Date.now();
  // read the file locally when enable runs on the database host; otherwise through LOAD_FILE (needs FILE privilege)
  const local = existsSync(file);
  const sizeNow = async (): Promise<number> => (local ? statSync(file).size : Buffer.byteLength(await remoteRead(admin, file)));
  const start = await sizeNow();
  const tag = `auditlake-canary-${randomUUID()}`;
  const probe = await connectMariaDb(url);
  let connId: number;
  try {
    connId = await reportConnection(probe, o);
    await probe.query(`SELECT '${tag}' AS auditlake_canary`);
  } finally {
    await probe.end().catch(() => {});
  }
  for (;;) {
    const text = local ? readFrom(file, start) : (await remoteRead(admin, file)).slice(start);
    const hasCanary = text.includes(tag);
    // a rotation during verification moves the CONNECT row to the rotated file: accept the canary alone then
    const hasConnect = new RegExp(`,${connId},0,CONNECT,`).test(text) || start > (local ? statSync(file).size : Infinity);
    if (hasCanary && hasConnect) return { canary: tag, ms: Date.now() - t0, logFile: file };
    if (Date.now() - t0 > timeout) {
      throw new AuditlakeError('E_INTEGRITY', `mariadb enable: verification failed: after ${timeout} ms ${hasCanary ? `the CONNECT row of connection ${connId}` : `the canary statement (${tag})`} is not in ${file} — settings look right but auditing does not work`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readFrom(file: string, start: number): string {
  const size = statSync(file).size;
  if (size <= start) return '';
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function remoteRead(c: Connection, file: string): Promise<string> {
  const r = await c.query<Array<{ t: Buffer | null }>>('SELECT LOAD_FILE(?) AS t', [file]);
  const t = r[0]?.t;
  if (t === null || t === undefined) throw new AuditlakeError('E_DB', `mariadb enable: cannot read ${file} (not local, and LOAD_FILE returned NULL: needs the FILE privilege and secure_file_priv)`);
  return Buffer.isBuffer(t) ? t.toString('utf8') : String(t);
}
