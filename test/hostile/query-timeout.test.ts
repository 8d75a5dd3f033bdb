import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('query --timeout interrupts DuckDB (a 10^12-row cross join) and exits 9 with the reason', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'auditlake-qtimeout-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const started = Date.now();
  const r = await runCli(['--home', home, 'query', 'select count(*) from range(1000000) a, range(1000000) b', '--timeout', '1']);
  assert.equal(r.code, 9, r.stdout + r.stderr);
  assert.match(r.stderr, /query: stopped after 1000 ms \(the time limit\)/);
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  const bad = await runCli(['--home', home, 'query', 'select 1', '--timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--timeout "soon" is not a whole number/);
});
