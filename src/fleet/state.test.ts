import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHome } from '../core/home.js';
import { openFleetStore, type DbState } from './state.js';

const st = (attempts: number): DbState => ({ step: 'pending', attempts, nextAttemptAt: 0 });

test('two stores on one home (serve + watch) never lose each other\'s updates and see them at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-fleet-state-'));
  try {
    const home = resolveHome(join(dir, 'home'));
    const serve = openFleetStore(home);
    const watch = openFleetStore(home);
    serve.set('rds-orders', st(1));
    watch.set('pg-main', st(2));
    serve.set('rds-orders', { ...st(3), step: 'enabled' });
    assert.equal(watch.get('rds-orders')?.step, 'enabled', 'watch sees serve\'s progress without reopening');
    const again = openFleetStore(home);
    assert.deepEqual(again.get('pg-main'), st(2));
    assert.equal(again.get('rds-orders')?.attempts, 3);
    // names that are not file-name safe stay apart and inside the directory
    again.set('../escape', st(4));
    again.set('a/b', st(5));
    again.set('a%2Fb', st(6));
    assert.equal(again.get('../escape')?.attempts, 4);
    assert.equal(again.get('a/b')?.attempts, 5);
    assert.equal(again.get('a%2Fb')?.attempts, 6);
    assert.ok(!existsSync(join(home.state, 'escape.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a home with the earlier single state.json is split on open, nothing lost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-fleet-state-'));
  try {
    const home = resolveHome(join(dir, 'home'));
    mkdirSync(join(home.state, 'fleet'), { recursive: true });
    writeFileSync(join(home.state, 'fleet', 'state.json'), JSON.stringify({ a: st(1), b: { ...st(2), step: 'failed', lastError: 'x' } }));
    const s = openFleetStore(home);
    assert.equal(s.get('a')?.attempts, 1);
    assert.equal(s.get('b')?.lastError, 'x');
    assert.ok(existsSync(join(home.state, 'fleet', 'state.json.migrated')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two processes writing the fleet state of one home at the same time: every last update survives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-fleet-state-'));
  try {
    const homeDir = join(dir, 'home');
    const mod = new URL('./state.js', import.meta.url).href;
    const homeMod = new URL('../core/home.js', import.meta.url).href;
    const writer = (tag: string): Promise<number | null> => new Promise((resolve) => {
      const code = `const { openFleetStore } = await import(${JSON.stringify(mod)}); const { resolveHome } = await import(${JSON.stringify(homeMod)});
        const s = openFleetStore(resolveHome(${JSON.stringify(homeDir)}));
        for (let i = 0; i < 60; i++) { s.set('${tag}-' + (i % 12), { step: 'pending', attempts: i, nextAttemptAt: 0 }); s.record({ database: '${tag}', event: 'retry', ok: false, message: 'm'.repeat(200) }); }`;
      const c = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' });
      c.on('exit', (rc) => resolve(rc));
    });
    const rcs = await Promise.all([writer('serve'), writer('watch')]);
    assert.deepEqual(rcs, [0, 0]);
    const s = openFleetStore(resolveHome(homeDir));
    for (const tag of ['serve', 'watch']) for (let k = 0; k < 12; k++) assert.equal(s.get(`${tag}-${k}`)?.attempts, 48 + k, `${tag}-${k}`);
    const lines = readFileSync(s.outcomesFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 120);
    for (const l of lines) JSON.parse(l); // no interleaved half-lines
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
