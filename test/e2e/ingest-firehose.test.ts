import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createFirehoseDecoder, type FirehoseDecodeStats } from '../../src/formats/cloudwatch-firehose/decoder.js';
import { isUnknownKey, parseObjectKey } from '../../src/formats/object-key/parse-object-key.js';
import { runBinSync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';

/**
 * RDS audit logs that reach a bucket through CloudWatch Logs → Firehose: `auditlake ingest` recognises the
 * Firehose object names and decodes the concatenated gzip members into the lake, like any other object.
 */
const dir = mkdtempSync(join(tmpdir(), 'auditlake-firehose-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(repoRoot, 'test/fixtures/cloudwatch-firehose/firehose-rds.gz');
const KEY = 'rds-audit/2026/11/24/13/rds-audit-stream-1-2026-11-24-13-05-12-0b7e2f3c-5d1a-4c9e-9f7a-2a1b3c4d5e6f';

test('Firehose object names are recognised; other names are still reported, not guessed', () => {
  const info = parseObjectKey(KEY);
  assert.ok(!isUnknownKey(info));
  assert.equal(info.format, 'cloudwatch-firehose');
  assert.equal(info.keyDate, '2026-11-24');
  assert.ok(isUnknownKey(parseObjectKey('rds-audit/2026/11/24/13/rds-audit-stream-1-2026-13-24-13-05-12-0b7e2f3c-5d1a-4c9e-9f7a-2a1b3c4d5e6f')));
  assert.ok(isUnknownKey(parseObjectKey('rds-audit/2026/11/24/13/notes.txt')));
});

test('auditlake ingest reads a CloudWatch Logs → Firehose object into the lake', () => {
  // Independent expectation: the decoder run directly over the whole gunzipped fixture.
  const stats: FirehoseDecodeStats = { messages: 0, controlMessages: 0, logEvents: 0 };
  const d = createFirehoseDecoder({ account: '', region: '', sourceObject: KEY }, stats);
  const all = [...d.push(gunzipSync(readFileSync(fixture))), ...d.end()];
  const expected = all.filter((r) => r.kind === 'event').length;
  assert.ok(expected > 20 && stats.controlMessages >= 1, `fixture decodes to ${expected} events, ${stats.controlMessages} control message(s)`);

  const input = join(dir, 'in');
  mkdirSync(join(input, 'rds-audit/2026/11/24/13'), { recursive: true });
  copyFileSync(fixture, join(input, KEY));
  const home = join(dir, 'home');
  const r = runBinSync(home, ['ingest', input, '--no-progress']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /1 ingested, 0 skipped \(already ingested\), 0 unknown/);
  const q = runBinSync(home, ['query', '--format', 'csv', 'select source_format, count(*) from events group by 1 order by 1']);
  assert.equal(q.code, 0, q.out + q.err);
  const rows = q.out.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((x) => x[0]), ['mariadb-server-audit', 'postgres-pgaudit']);
  assert.equal(rows.reduce((s, x) => s + Number(x[1]), 0), expected);
  const again = runBinSync(home, ['ingest', input, '--no-progress']);
  assert.match(again.out, /0 ingested, 1 skipped/);
});
