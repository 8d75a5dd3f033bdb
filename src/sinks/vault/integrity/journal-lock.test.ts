import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LOCK_DIR, withLock } from './journal.js';

test('a digest lock left by a process killed with SIGKILL is taken over at once, a live holder is waited for', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-journal-lock-'));
  try {
    // The pid of a process that has exited: what a kill -9 leaves behind.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await mkdir(join(dir, LOCK_DIR));
    await writeFile(join(dir, LOCK_DIR, 'pid'), String(dead));
    const t0 = Date.now();
    assert.equal(await withLock(dir, async () => 'ran'), 'ran');
    assert.ok(Date.now() - t0 < 2_000, `took ${Date.now() - t0} ms`);

    // A live holder (this process) is not taken over before the stale age.
    await mkdir(join(dir, LOCK_DIR));
    await writeFile(join(dir, LOCK_DIR, 'pid'), String(process.pid));
    let ran = false;
    const waiting = withLock(dir, async () => { ran = true; }, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ran, false, 'waited for the live holder');
    await rm(join(dir, LOCK_DIR), { recursive: true, force: true });
    await waiting;
    assert.equal(ran, true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
