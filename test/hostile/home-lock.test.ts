import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HOME_LOCK_NAME, lockHome } from '../../src/buffer/home-lock.js';
import { AuditlakeError } from '../../src/core/errors.js';
import { finished, runCli, spawnCli } from '../helpers/cli.js';
import { layOutFixtures } from '../helpers/redshift-fixtures.js';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-homelock-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A live process standing in for another auditlake run (killed by the test). */
function holder() {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

async function plantLock(home: string, pid: number, host = hostname()): Promise<void> {
  await writeFile(join(home, HOME_LOCK_NAME), JSON.stringify({ pid, host, startedAt: '2026-10-01T01:02:03.000Z', command: 'ingest' }));
}

describe('home lock', () => {
  test('a second run says who holds the home; --wait queues; release lets the next one in', async () => {
    const home = join(work, 'a');
    const release = await lockHome(home, { command: 'ingest' });
    await assert.rejects(lockHome(home, { command: 'ingest' }), (e: unknown) =>
      e instanceof AuditlakeError && e.code === 'E_LOCKED' && e.message.includes(`pid ${process.pid} on ${hostname()}, ingest started 20`) && /--wait/.test(e.message));
    let waited: number | undefined;
    const queued = lockHome(home, { command: 'ingest', wait: true, pollMs: 20, onWait: (h) => (waited = h.pid) });
    await new Promise((r) => setTimeout(r, 100));
    await release();
    const second = await queued;
    assert.equal(waited, process.pid);
    assert.equal(JSON.parse(await readFile(join(home, HOME_LOCK_NAME), 'utf8')).pid, process.pid);
    await second();
  });

  test('a lock left by a process killed with -9 is recovered; one from another host is reported, not taken', async () => {
    const home = join(work, 'b');
    await lockHome(home, { command: 'x' }).then((r) => r());
    const child = holder();
    await new Promise((r) => child.once('spawn', r));
    await plantLock(home, child.pid as number);
    await assert.rejects(lockHome(home, { command: 'ingest' }), /in use by another run \(pid \d+ on .*, ingest started 2026-10-01T01:02:03.000Z\)/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const release = await lockHome(home, { command: 'ingest' });
    await release();
    await plantLock(home, 1, 'other-host.example');
    await assert.rejects(lockHome(home, { command: 'ingest' }), /other-host\.example.*If that host is gone, remove/);
  });

  test('CLI: a concurrent ingest stops with rc 13 naming the holder; with --wait it runs once the holder dies', async () => {
    const src = join(work, 'src');
    await layOutFixtures(src);
    const home = join(work, 'cli-home');
    await lockHome(home, { command: 'x' }).then((r) => r());
    const child = holder();
    await new Promise((r) => child.once('spawn', r));
    await plantLock(home, child.pid as number);
    const r = await runCli(['--home', home, 'ingest', src, '--no-progress']);
    assert.equal(r.code, 13, r.stderr);
    assert.match(r.stderr, new RegExp(`in use by another run \\(pid ${child.pid} on ${hostname()}, ingest started 2026-10-01T01:02:03.000Z\\)`));
    const proc = spawnCli(['--home', home, 'ingest', src, '--no-progress', '--wait']);
    const waiting = finished(proc);
    // The holder dies (kill -9) once the second run says it is waiting for it.
    proc.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('waiting for pid')) child.kill('SIGKILL');
    });
    const w = await waiting;
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, new RegExp(`waiting for pid ${child.pid}`));
    assert.match(w.stdout, /6 ingested/);
  });
});
