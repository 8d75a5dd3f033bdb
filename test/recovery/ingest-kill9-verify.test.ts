import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { generate } from '../../src/generate/generate.js';
import { finished, runCli, spawnCli } from '../helpers/cli.js';

const KILLS = 5;

async function countVaultObjects(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.alv')).length;
}

/**
 * Issue 10: a kill -9 between the vault put and its journal line left objects "[inserted]" for good. Each kill
 * here lands after a random number of vault puts (mid-batch, between put and record, during a checkpoint); after
 * every kill `verify` must be clean, and after the final run also for an auditor without the home state.
 */
test(`ingest into a vault killed with SIGKILL ${KILLS} times (--batch-objects 16): verify is clean after every kill and at the end`, { timeout: 240_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'auditlake-kill9-verify-'));
  try {
    const logs = join(work, 'logs');
    await generate({ out: logs, accounts: 1, days: 1, seed: 11, start: '2026-10-02', activityMb: 1, only: ['connectionlog', 'useractivitylog', 'userlog'] });
    const home = join(work, 'home');
    const env = { ...process.env, AUDITLAKE_PASSPHRASE: 'kill9-pass' };
    const keys = await runCli(['--home', home, 'keys', 'create', '--alias', 'alias/K'], { env });
    assert.equal(keys.code, 0, keys.stderr);
    const args = ['--home', home, 'ingest', logs, '--batch-objects', '16', '--no-compact', '--no-progress'];
    const vaultDir = join(home, 'vault');
    let killed = 0;
    const points: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const before = await countVaultObjects(vaultDir);
      const target = before + 1 + Math.floor(Math.random() * 20);
      const child = spawnCli(args, { env });
      const done = finished(child);
      const deadline = Date.now() + 60_000;
      while (child.exitCode === null && (await countVaultObjects(vaultDir)) < target && Date.now() < deadline) await sleep(2);
      if (child.exitCode === null) child.kill('SIGKILL');
      const r = await done;
      if (r.signal === 'SIGKILL') killed++;
      points.push(await countVaultObjects(vaultDir));
      const v = await runCli(['--home', home, 'verify'], { env });
      assert.equal(v.code, 0, `verify after kill ${i + 1} (vault objects ${points.join(',')}):\n${v.stdout}${v.stderr}`);
    }
    assert.ok(killed >= 3, `at least 3 runs were killed mid-way (killed ${killed}, vault objects after each: ${points.join(',')})`);

    const last = await runCli(args, { env });
    assert.equal(last.code, 0, last.stderr);
    const head = /Chain head: ([0-9a-f]{64})/.exec(last.stdout)?.[1];
    assert.ok(head, last.stdout);
    for (const extra of [[], ['--no-state']]) {
      const v = await runCli(['--home', home, 'verify', ...extra, '--expect-head', head], { env });
      assert.equal(v.code, 0, `verify ${extra.join(' ')} after the final run:\n${v.stdout}${v.stderr}`);
      assert.doesNotMatch(v.stdout, /inserted|INVALID/);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
