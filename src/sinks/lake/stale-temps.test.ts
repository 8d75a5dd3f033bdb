import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeStaleTempDirs } from './stale-temps.js';

test('temp space: leftovers of dead processes are removed, those of live ones and unknown names kept', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-stale-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!; // exited: its pid is free
  for (const n of [`batch-${dead}-b1-x`, `duckdb-${dead}`, `duckdb-query-${dead}`, `batch-${process.pid}-b2`, `duckdb-${process.pid}`, 'report-abc']) {
    await mkdir(join(dir, n));
    await writeFile(join(dir, n, 's0.csv'), 'x');
  }
  assert.equal(await removeStaleTempDirs(dir), 3);
  assert.deepEqual((await readdir(dir)).sort(), [`batch-${process.pid}-b2`, `duckdb-${process.pid}`, 'report-abc'].sort());
});
