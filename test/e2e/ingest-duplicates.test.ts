import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runBinSync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';
import { layOutFixtures } from '../helpers/redshift-fixtures.js';

/**
 * Issue 10 item 5, the exact repros: the real Redshift files ingested again under a second prefix, a Firehose
 * object re-delivered under a second name, and a Firehose object gzipped twice.
 */
const dir = mkdtempSync(join(tmpdir(), 'auditlake-dups-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FIREHOSE = join(repoRoot, 'test/fixtures/cloudwatch-firehose/firehose-rds.gz');
const fhKey = (h: string, id: string) => `rds-audit/2026/11/24/${h}/rds-audit-stream-1-2026-11-24-${h}-05-12-${id}-5d1a-4c9e-9f7a-2a1b3c4d5e6f`;

function put(root: string, key: string, body: Buffer): void {
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), body);
}

function rowsAndIds(home: string, view: string): [number, number] {
  const q = runBinSync(home, ['query', '--format', 'csv', `select count(*), count(distinct event_id) from ${view}`]);
  assert.equal(q.code, 0, q.out + q.err);
  const [rows, ids] = q.out.trim().split(/\r?\n/)[1].split(',').map(Number);
  return [rows, ids];
}

test('the same objects under a second prefix and a re-delivered Firehose object give no duplicate event_id in any view, before and after compact', async () => {
  const home = join(dir, 'home');
  await layOutFixtures(join(dir, 'in/a'));
  await layOutFixtures(join(dir, 'in/b'));
  put(join(dir, 'in/a'), fhKey('13', '0b7e2f3c'), readFileSync(FIREHOSE));
  put(join(dir, 'in/b'), fhKey('14', '1b7e2f3c'), readFileSync(FIREHOSE));
  for (const p of ['a', 'b']) {
    const r = runBinSync(home, ['ingest', join(dir, 'in', p), '--no-progress']);
    assert.equal(r.code, 0, r.out + r.err);
  }
  const views = ['events', 'connections', 'user_changes', 'activity'];
  for (const v of views) {
    const [rows, ids] = rowsAndIds(home, v);
    assert.ok(ids > 0 && rows === ids, `${v}: ${rows} rows, ${ids} distinct ids`);
  }
  const before = rowsAndIds(home, 'events');
  const c = runBinSync(home, ['compact']);
  assert.equal(c.code, 0, c.out + c.err);
  for (const v of views) {
    const [rows, ids] = rowsAndIds(home, v);
    assert.equal(rows, ids, `${v} after compact`);
  }
  assert.deepEqual(rowsAndIds(home, 'events'), before);
});

test('a Firehose object gzipped twice (Firehose GZIP over CloudWatch gzip members) decodes like the single one', () => {
  const once = join(dir, 'gz1');
  const twice = join(dir, 'gz2');
  put(once, fhKey('15', '2b7e2f3c'), readFileSync(FIREHOSE));
  put(twice, fhKey('15', '2b7e2f3c'), gzipSync(readFileSync(FIREHOSE)));
  const counts = [once, twice].map((input) => {
    const home = input + '-home';
    const r = runBinSync(home, ['ingest', input, '--no-progress']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, / 0 quarantined/);
    return rowsAndIds(home, 'events');
  });
  assert.ok(counts[0][0] > 20);
  assert.deepEqual(counts[1], counts[0]);
});

