import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { syntheticEvents } from '../helpers/lake-test-events.js';
import { runCli } from '../helpers/cli.js';

let home = '';

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'auditlake-cli-query-'));
  const h = resolveHome(home);
  const lake = await openLake({ root: h.lake, tmpDir: h.tmp });
  try {
    for (let i = 0; i < 3; i++) {
      const b = lake.beginBatch();
      for (const e of syntheticEvents(200, { seed: i, source: `s${i}`, logTypes: ['connection', 'activity'] })) {
        await b.add(i === 0 && e.sourceLine === 1 ? { ...e, logType: 'activity', statement: 'select "x",\nnext line', success: false } : e);
      }
      await b.commit([{ store: 'file:///t', key: `s${i}`, etag: '1', size: 1 }]);
    }
  } finally {
    await lake.close();
  }
});
after(() => rm(home, { recursive: true, force: true }));

test('query --format table prints a table with a row count', async () => {
  const r = await runCli(['--home', home, 'query', 'select log_type, count(*) as n from events group by 1 order by 1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /log_type/);
  assert.match(r.stdout, /activity/);
  assert.match(r.stdout, /\(2 rows\)/);
});

test('query --format json prints JSON lines with exact values', async () => {
  const r = await runCli(['--home', home, 'query', 'select count(*) as n, min(time) as first from events', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows, [{ n: 600, first: rows[0].first }]);
  assert.match(rows[0].first, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test('query --format csv is RFC 4180 (quotes doubled, multi-line field quoted, CRLF)', async () => {
  const r = await runCli(['--home', home, 'query', "select source_line, statement from activity where source_object = 's0' and source_line = 1", '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'source_line,statement\r\n1,"select ""x"",\nnext line"\r\n');
});

test('bad SQL: exit 5, DuckDB message, the views and columns, a hint', async () => {
  const r = await runCli(['--home', home, 'query', 'select usr from connections']);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /Referenced column "usr" not found/);
  assert.match(r.stderr, /connections/);
  assert.match(r.stderr, /user_changes/);
  assert.match(r.stderr, /"user"/);
  assert.match(r.stderr, /Hint:/);
});

test('write statements are refused with a clear message', async () => {
  for (const sql of ["copy (select 1) to 'x.csv'", 'create table t (a int)', 'install httpfs', "attach 'x.db'", 'select 1; select 2']) {
    const r = await runCli(['--home', home, 'query', sql]);
    assert.equal(r.code, 5, `${sql}: ${r.stderr}`);
    assert.match(r.stderr, /read-only|statements given|file system operations are disabled/, sql);
  }
});

test('compact merges the small files and queries give the same answer', async () => {
  const q = ['--home', home, 'query', 'select count(*) as n, count(distinct event_id) as d from events', '--format', 'json'];
  const before = await runCli(q);
  const c = await runCli(['--home', home, 'compact']);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /compact: \d+ → \d+ files/);
  const [, b, a] = /compact: (\d+) → (\d+)/.exec(c.stdout)!;
  assert.ok(Number(a) < Number(b));
  const afterQ = await runCli(q);
  assert.equal(afterQ.stdout, before.stdout);
});
