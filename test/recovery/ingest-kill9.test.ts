import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { generate } from '../../src/generate/generate.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { finished, runCli, spawnCli } from '../helpers/cli.js';

const KILLS = 4;

async function eventIds(homeDir: string): Promise<{ ids: string[]; count: number }> {
  const h = resolveHome(homeDir);
  const lake = await openLake({ root: h.lake, tmpDir: h.tmp });
  try {
    const r = await lake.query('select event_id from events order by 1');
    return { ids: r.rows.map((row) => String(row[0])), count: r.rows.length };
  } finally {
    await lake.close();
  }
}

async function manifestMtime(homeDir: string): Promise<number> {
  return (await stat(join(resolveHome(homeDir).lake, '_auditlake_manifest.json')).catch(() => null))?.mtimeMs ?? 0;
}

test(`ingest killed with SIGKILL ${KILLS} times mid-run, then re-run: the same events as one clean run (no loss, no duplicates)`, { timeout: 180_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'auditlake-kill9-'));
  try {
    const logs = join(work, 'logs');
    await generate({ out: logs, accounts: 1, days: 1, seed: 7, start: '2026-10-01', activityMb: 2, only: ['connectionlog', 'useractivitylog', 'userlog'] });
    const args = ['ingest', logs, '--batch-objects', '5', '--no-compact', '--no-progress'];

    const clean = await runCli(['--home', join(work, 'clean'), ...args]);
    assert.equal(clean.code, 0, clean.stderr);
    const expected = await eventIds(join(work, 'clean'));
    assert.ok(expected.count > 5_000, `clean run wrote ${expected.count} events`);

    const home = join(work, 'killed');
    let killed = 0;
    const delays: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const before = await manifestMtime(home);
      const child = spawnCli(['--home', home, ...args]);
      const done = finished(child);
      // Wait for this run's first commit, so every kill lands in the middle of real work, then a random moment.
      const deadline = Date.now() + 30_000;
      while (child.exitCode === null && (await manifestMtime(home)) === before && Date.now() < deadline) await sleep(20);
      const delay = Math.floor(Math.random() * 400);
      delays.push(delay);
      await sleep(delay);
      if (child.exitCode === null) child.kill('SIGKILL');
      const r = await done;
      if (r.signal === 'SIGKILL') killed++;
      else assert.equal(r.code, 0, `run ${i} failed: ${r.stderr}`);
    }
    assert.ok(killed >= 2, `at least 2 runs were killed mid-way (killed ${killed}, delays ${delays.join(',')} ms)`);

    const last = await runCli(['--home', home, ...args]);
    assert.equal(last.code, 0, last.stderr);
    const got = await eventIds(home);
    assert.equal(got.count, expected.count, 'same number of events as a clean run');
    assert.equal(new Set(got.ids).size, got.count, 'no duplicate event ids');
    assert.deepEqual(got.ids, expected.ids, 'the same set of event ids');

    // And once more: nothing left to do.
    const again = await runCli(['--home', home, ...args]);
    assert.match(again.stdout, / 0 ingested, 100 skipped/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
