import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import type { AuditEvent } from '../../core/event.js';
import type { DecodeResult } from '../../core/decode.js';
import { createPgLogDecoder, type PgLogDestination } from './decoder.js';
import { parseCsvRow } from './csv.js';
import { parsePgAuditMessage } from './parse-pgaudit.js';
import { createRecordSplitter } from './split-records.js';

const dir = join(repoRoot, 'test/fixtures/pgaudit');
const ctx = { server: 'pg-test', account: '', region: '', sourceObject: 'log/postgresql' };

function decodeFile(dest: PgLogDestination, file: string, chunk = 7): DecodeResult[] {
  const bytes = readFileSync(join(dir, file));
  const d = createPgLogDecoder(dest, { ...ctx, fileId: 'f1' });
  const out: DecodeResult[] = [];
  // small odd-sized chunks: records (and UTF-8 characters) split across pushes must still decode
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  return out;
}
const events = (r: DecodeResult[]): AuditEvent[] => r.map((x) => (x.kind === 'event' ? x.event : assert.fail(`malformed: ${x.reason}`)));

test('csvlog: 46 records (51 lines) of 26 columns; quoted newlines kept inside one record', () => {
  const s = createRecordSplitter('csv');
  const recs = [...s.push(readFileSync(join(dir, 'postgresql.csv'))), ...s.flush()];
  assert.equal(recs.length, 46);
  for (const r of recs) assert.equal(parseCsvRow(r.bytes.toString('utf8')).length, 26);
  // the multi-line SELECT starts on line 35 and spans 4 physical lines
  const multi = recs.find((r) => r.bytes.includes('SELECT id,'));
  assert.ok(multi);
  assert.equal(multi.line, 35);
  assert.equal(recs[recs.indexOf(multi) + 1].line, 39);
});

for (const [dest, file] of [['csvlog', 'postgresql.csv'], ['jsonlog', 'postgresql.json']] as const) {
  test(`${dest}: the exact events of the recorded workload`, () => {
    const ev = events(decodeFile(dest, file));
    const summary = ev.map((e) => `${e.logType}|${e.action}|${e.user}|${e.success}|${e.object ?? ''}`);
    assert.deepEqual(summary, [
      'connection|disconnecting session|postgres|true|',
      'connection|authenticated|postgres|true|',
      'activity|SELECT|postgres|true|',
      'connection|disconnecting session|postgres|true|',
      'connection|authenticated|postgres|true|',
      'user|CREATE ROLE|postgres|true|app_user',
      'connection|disconnecting session|postgres|true|',
      'connection|authenticated|postgres|true|',
      'user|ALTER ROLE|postgres|true|app_user',
      'connection|disconnecting session|postgres|true|',
      'connection|authentication failure|app_user|false|',
      'connection|authentication failure|no_such_user|false|',
      'connection|authenticated|postgres|true|',
      'activity|CREATE TABLE|postgres|true|public.accounts',
      'activity|CREATE INDEX|postgres|true|public.accounts_pkey',
      'user|GRANT|postgres|true|app_user',
      'activity|INSERT|postgres|true|public.accounts',
      'connection|disconnecting session|postgres|true|',
      'connection|authenticated|app_user|true|',
      'activity|SELECT|app_user|true|public.accounts',
      'activity|INSERT|app_user|true|public.accounts',
      'activity|SELECT|app_user|true|public.accounts',
      'activity|DELETE|app_user|false|',
      'connection|disconnecting session|app_user|true|',
      'connection|authenticated|postgres|true|',
      'user|REVOKE|postgres|true|app_user',
      'activity|DROP TABLE|postgres|true|public.accounts',
      'activity|DROP TABLE|postgres|true|accounts_pkey on public.accounts',
      'activity|DROP TABLE|postgres|true|public.accounts_pkey',
      'user|DROP ROLE|postgres|true|app_user',
      'connection|disconnecting session|postgres|true|',
    ]);
    const fail = ev.find((e) => e.action === 'authentication failure' && e.user === 'no_such_user');
    assert.equal(fail?.errorCode, '28P01');
    assert.equal(fail?.remoteHost, '127.0.0.1');
    assert.equal(fail?.remotePort, '49646');
    assert.match(String(fail?.details.detail), /Role "no_such_user" does not exist\.\nConnection matched/);
    const multi = ev.find((e) => e.statement?.startsWith('SELECT id,'));
    assert.equal(multi?.statement, "SELECT id,\n       name\n  FROM public.accounts\n WHERE name = 'O''Brien, Zoë';");
    const ins = ev.find((e) => e.statement?.includes('multi'));
    assert.equal(ins?.statement, `INSERT INTO public.accounts VALUES (2, 'multi\nline, "quoted" value', 'ü');`);
    const del = ev.find((e) => e.action === 'DELETE');
    assert.equal(del?.errorCode, '42501');
    assert.equal(del?.statement, 'DELETE FROM public.accounts WHERE id = 1;');
    assert.equal(ev[1].time, Date.parse('2026-11-22T23:11:51.464Z'));
    assert.equal(ev[1].session, '6b0376b7.3d5d');
    // stable ids: unique within the file, identical on a second decode with other chunking
    assert.equal(new Set(ev.map((e) => e.eventId)).size, ev.length);
    assert.deepEqual(events(decodeFile(dest, file, 4096)).map((e) => e.eventId), ev.map((e) => e.eventId));
    for (const e of ev) assert.ok(!/S3cr3t|N3w-pw/.test(JSON.stringify(e)));
  });
}

test('pgaudit: PARAMETER is a third CSV layer; passwords in failing statements are redacted', () => {
  const a = parsePgAuditMessage(`AUDIT: SESSION,2,1,WRITE,INSERT,TABLE,public.t1,"INSERT INTO public.t1 VALUES ($1, $2)","42,""it's, a """"test""""\nnewline ✓""",1`);
  assert.deepEqual(a.parameter, ['42', `it's, a "test"\nnewline ✓`]);
  assert.equal(a.rows, '1');
  const line = `2026-11-22 23:20:00.000 UTC,"postgres","postgres",9,"[local]",6b.1,3,"CREATE ROLE",2026-11-22 23:20:00 UTC,3/9,0,ERROR,42710,"role ""x"" already exists",,,,,,"CREATE ROLE x LOGIN PASSWORD 'leaky-pw'",,,"psql","client backend",,0\n`;
  const d = createPgLogDecoder('csvlog', ctx);
  const [r] = [...d.push(Buffer.from(line)), ...d.end()];
  assert.equal(r.kind, 'event');
  const e = (r as { event: AuditEvent }).event;
  assert.equal(e.logType, 'user');
  assert.equal(e.action, 'CREATE ROLE');
  assert.equal(e.success, false);
  assert.equal(e.object, 'x');
  assert.ok(!JSON.stringify(e).includes('leaky-pw'), JSON.stringify(e));
});

test('a broken record is reported with its line and the records around it are kept', () => {
  const good = readFileSync(join(dir, 'postgresql.json'), 'utf8').split('\n');
  const text = [good[5], '{"timestamp": broken', good[6], ''].join('\n');
  const d = createPgLogDecoder('jsonlog', ctx);
  const r = [...d.push(Buffer.from(text)), ...d.end()];
  assert.deepEqual(r.map((x) => x.kind), ['event', 'malformed']);
  assert.equal(r[1].kind === 'malformed' && r[1].line, 2);
});

test('stderr format (Debian prefix): TAB continuation lines form one record; same audit events as csvlog', () => {
  const csv = events(decodeFile('csvlog', 'postgresql.csv')).filter((e) => e.logType !== 'connection' || e.action !== 'authentication failure');
  const err = events(decodeFile('stderr', 'postgresql.stderr.log', 13));
  // stderr has no SQLSTATE column and no command tag: failed logins are recognised by their text, the failing
  // DELETE's command is unknown; the rest matches the csvlog decode of the same workload
  const key = (e: AuditEvent) => `${e.logType}|${e.action}|${e.user}|${e.success}|${e.object ?? ''}|${e.statement ?? ''}`;
  const fails = err.filter((e) => e.action === 'authentication failure');
  assert.deepEqual(fails.map((e) => `${e.user}|${e.errorCode}`), ['app_user|28P01', 'no_such_user|28P01']);
  const multi = err.find((e) => e.statement?.startsWith('SELECT id,'));
  assert.equal(multi?.statement, "SELECT id,\n       name\n  FROM public.accounts\n WHERE name = 'O''Brien, Zoë';");
  const audit = (l: AuditEvent[]) => l.filter((e) => e.details.auditType).map(key);
  assert.deepEqual(audit(err), audit(csv));
  assert.equal(err.filter((e) => e.action === 'authenticated').length, csv.filter((e) => e.action === 'authenticated').length);
});
