import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import type { AuditEvent } from '../../core/event.js';
import type { DecodeResult } from '../../core/decode.js';
import { createServerAuditDecoder } from './decoder.js';
import { parseServerAuditLine } from './parse-line.js';

const dir = join(repoRoot, 'test/fixtures/server-audit');
const ctx = { server: 'my-test', account: '', region: '', sourceObject: 'server_audit.log' };
function decode(file: string): DecodeResult[] {
  const d = createServerAuditDecoder({ ...ctx, fileId: file });
  const b = readFileSync(join(dir, file));
  const out: DecodeResult[] = [];
  for (let i = 0; i < b.length; i += 11) out.push(...d.push(b.subarray(i, i + 11)));
  return [...out, ...d.end()];
}
const events = (r: DecodeResult[]): AuditEvent[] => r.map((x) => (x.kind === 'event' ? x.event : assert.fail(`malformed: ${x.reason}`)));

test('every recorded line parses (anchored regex), commas in names do not shift fields', () => {
  for (const f of ['server_audit.log.1', 'commas.log', 'passwords.log']) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean)) parseServerAuditLine(line);
  }
  const c = parseServerAuditLine('20261122 23:20:05,vm,we,ird,127.0.0.1,6,0,CONNECT,d,b,,0');
  assert.deepEqual([c.username, c.host, c.connectionId, c.database, c.retcode], ['we,ird', '127.0.0.1', '6', 'd,b', '0']);
  const q = parseServerAuditLine(`20261122 23:20:05,vm,we,ird,127.0.0.1,6,13,QUERY,d,b,'SELECT \\'x\\'\\',0\\' AS a, \\'ok\\' AS b',0`);
  assert.equal(q.query, "SELECT 'x'',0' AS a, 'ok' AS b");
  assert.equal(q.database, 'd,b');
  const t = parseServerAuditLine('20261122 23:20:05,vm,root,localhost,5,9,CREATE,d,b,t,1,');
  assert.equal(t.table, null); // ambiguous split: kept joined rather than guessed
  assert.equal(t.database, 'd,b,t,1');
});

test('server_audit.log.1: users, grants, failed logins, multi-line and non-ASCII statements', () => {
  const ev = events(decode('server_audit.log.1'));
  const user = ev.filter((e) => e.logType === 'user').map((e) => `${e.action}|${e.object}|${e.success}`);
  assert.deepEqual(user.slice(0, 7), [
    "ALTER USER|root@127.0.0.1|true",
    'CREATE USER|app_user@%|true',
    'ALTER USER|app_user@%|true',
    'SET PASSWORD|app_user@%|true',
    'GRANT|app_user@%|true',
    'CREATE USER|u2@%|true',
    'GRANT|u3@%|true',
  ]);
  const failed = ev.filter((e) => e.action === 'authentication failure');
  assert.deepEqual(failed.map((e) => `${e.user}|${e.errorCode}|${e.success}`), ['app_user|1045|false', 'no_such_user|1045|false', 'node_user|1045|false', 'node_user|1045|false']);
  const multi = ev.find((e) => e.statement?.includes('multi'));
  assert.equal(multi?.statement, `INSERT INTO accounts VALUES (2, 'multi\nline, "quoted" value', 'ü')`);
  const sel = ev.find((e) => e.statement?.startsWith('SELECT id,'));
  assert.equal(sel?.statement, "SELECT id,\n       name\n  FROM accounts\n WHERE name = 'O\\'Brien, Zoë'");
  assert.equal(ev[0].time, Date.parse('2026-11-22T23:13:42Z'));
  // grant-table rows on the mysql schema are skipped; the QUERY row carries the statement
  assert.ok(!ev.some((e) => e.object === 'mysql.global_priv'));
  assert.equal(new Set(ev.map((e) => e.eventId)).size, ev.length);
});

test('passwords: masked ones stay masked, plaintext in a syntax error and PASSWORD() is redacted, raw too', () => {
  const ev = events(decode('passwords.log'));
  const s = JSON.stringify(ev);
  assert.ok(!s.includes('typo-pw') && !s.includes('fn-pw'), s);
  const typo = ev.find((e) => e.statement?.startsWith('CREATE USSER'));
  assert.equal(typo?.success, false);
  assert.equal(typo?.errorCode, '1064');
  assert.match(typo!.raw, /^20261122 23:23:28,vm,root,localhost,7,11,QUERY,,'CREATE USSER .*',1064$/);
  assert.equal(ev.find((e) => e.errorCode === '1396')?.action, 'CREATE USER');
});

test('a line that is not server_audit is quarantined with its line number', () => {
  const d = createServerAuditDecoder(ctx);
  const r = [...d.push(Buffer.from('20261122 23:20:05,vm,root,localhost,5,0,CONNECT,,,0\ngarbage here\n')), ...d.end()];
  assert.deepEqual(r.map((x) => x.kind), ['event', 'malformed']);
  assert.equal(r[1].kind === 'malformed' && r[1].line, 2);
});

test('DDL parity with pgaudit (issue 10 item 6): CREATE/ALTER/DROP get the command as action and the schema.table object', () => {
  const ddl = [...events(decode('server_audit.log.1')), ...events(decode('commas.log'))]
    .filter((e) => e.logType === 'activity' && e.details.class === 'DDL')
    .map((e) => `${e.action}|${e.object}|${e.details.objectType}`);
  assert.deepEqual(ddl, [
    'CREATE DATABASE|appdb|DATABASE',
    'CREATE TABLE|appdb.accounts|TABLE',
    'DROP TABLE|appdb.accounts|TABLE',
    'DROP DATABASE|appdb|DATABASE',
    'CREATE DATABASE|nodedb|DATABASE',
    'CREATE TABLE|nodedb.t1|TABLE',
    'DROP DATABASE|nodedb|DATABASE',
    'CREATE DATABASE|d,b|DATABASE',
    'CREATE TABLE|d,b.t,1|TABLE',
  ]);
});
