import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runBinSync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';
import { detectDbLog } from '../../src/formats/object-key/detect-db-log.js';

/**
 * Issue 10 item 4: database logs downloaded from RDS (`aws rds download-db-log-file-portion`, the console) keep
 * names that are no AWSLogs key; `auditlake ingest DIR` recognises them by content and labels them.
 */
const dir = mkdtempSync(join(tmpdir(), 'auditlake-dbdl-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FX = join(repoRoot, 'test/fixtures');

test('downloaded pgaudit (stderr, csvlog, jsonlog, RDS prefix) and server_audit files are ingested by content, labelled', () => {
  const input = join(dir, 'orders-db');
  mkdirSync(join(input, 'audit'), { recursive: true });
  copyFileSync(join(FX, 'pgaudit/postgresql.stderr.log'), join(input, 'postgresql.log.2026-11-22-23'));
  copyFileSync(join(FX, 'pgaudit/postgresql.csv'), join(input, 'postgresql.log.2026-11-22-22.csv'));
  const json = readFileSync(join(FX, 'pgaudit/postgresql.json'));
  writeFileSync(join(input, 'export-json.txt.gz'), gzipSync(json.subarray(0, json.length - 1))); // no final newline
  copyFileSync(join(FX, 'cloudwatch-firehose/rds-postgresql.stderr.log'), join(input, 'error-postgresql.log.2026-11-22-23'));
  const audit = readFileSync(join(FX, 'server-audit/server_audit.log.1'));
  writeFileSync(join(input, 'audit/server_audit.log.1'), audit.subarray(0, audit.length - 1)); // as RDS serves it
  writeFileSync(join(input, 'notes.txt'), 'not a log\n');
  const home = join(dir, 'home');
  const r = runBinSync(home, ['ingest', input, '--no-progress', '--account', '111122223333', '--region', 'eu-west-1', '--instance', 'orders-db', '--verbose']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /5 ingested, 0 skipped \(already ingested\), 1 unknown/);
  const q = runBinSync(home, ['query', '--format', 'csv', "select source_format, account, region, cluster, count(*) from events group by all order by 1"]);
  assert.equal(q.code, 0, q.out + q.err);
  const rows = q.out.trim().split(/\r?\n/).slice(1);
  assert.equal(rows.length, 2, q.out);
  assert.match(rows[0], /^mariadb-server-audit,111122223333,eu-west-1,orders-db,80$/, 'every server_audit line, the unterminated last one too');
  assert.match(rows[1], /^postgres-pgaudit,111122223333,eu-west-1,orders-db,\d+$/);
  const again = runBinSync(home, ['ingest', input, '--no-progress']);
  assert.match(again.out, /0 ingested, 5 skipped/);
});

test('content detection: each destination, and text that only looks similar is not taken', () => {
  const head = (f: string) => readFileSync(join(FX, f), 'utf8').slice(0, 4000);
  assert.equal(detectDbLog(head('pgaudit/postgresql.stderr.log'))?.pgLog, 'stderr');
  assert.equal(detectDbLog(head('pgaudit/postgresql.csv'))?.pgLog, 'csvlog');
  assert.equal(detectDbLog(head('pgaudit/postgresql.json'))?.pgLog, 'jsonlog');
  assert.equal(detectDbLog(head('cloudwatch-firehose/rds-postgresql.stderr.log'))?.pgLog, 'stderr');
  assert.equal(detectDbLog(head('server-audit/commas.log'))?.format, 'mariadb-server-audit');
  assert.equal(detectDbLog('2026-11-22 23:11:51 just a note\n'), null);
  assert.equal(detectDbLog('{"time":"x"}\n'), null);
});
