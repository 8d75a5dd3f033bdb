import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHome } from '../../src/core/home.js';
import { loadFleetConfig } from '../../src/config/fleet.js';
import { createWatcher } from '../../src/fleet/watcher.js';
import { fullJitterDelay } from '../../src/fleet/backoff.js';
import { pgSkip, startPostgres, PG_SUPERUSER_PASSWORD } from '../helpers/postgres.js';
import { freePort } from '../helpers/postgres.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';
import { startWebhookSink } from '../helpers/webhook-sink.js';

test('fleet watch: new entry → enable+verify; drift re-enforced + webhook; unreachable → full-jitter retries → failed', { skip: pgSkip(), timeout: 60_000 }, async () => {
  const db = await startPostgres();
  const work = mkdtempSync(join(tmpdir(), 'fleet-'));
  const sink = await startWebhookSink({ path: '/alerts' });
  const hooks = sink.hooks;
  const hookUrl = sink.url;
  process.env.AL_TEST_PG_PW = PG_SUPERUSER_PASSWORD;
  const deadPort = await freePort();
  try {
    const fleetFile = join(work, 'fleet.yaml');
    const header = `webhook: ${hookUrl}\ndriftCheckSeconds: 0\nretry: { attempts: 3, baseMs: 10, maxMs: 40 }\ndatabases:\n`;
    writeFileSync(fleetFile, header);
    let clock = 1_000_000;
    const lines: string[] = [];
    const w = createWatcher({ home: resolveHome(join(work, 'home')), loadConfig: () => loadFleetConfig(fleetFile), now: () => clock, random: () => 0.5, write: (s) => lines.push(s) });
    assert.deepEqual(await w.cycle(), []);

    // a new database appears in the fleet file: noticed on the next cycle, enabled and verified
    writeFileSync(fleetFile, header + `  - name: pg1\n    url: postgres://postgres@127.0.0.1:${db.port}/postgres\n    passwordEnv: AL_TEST_PG_PW\n`);
    let out = await w.cycle();
    assert.deepEqual(out.map((o) => `${o.database}:${o.event}:${o.ok}`), ['pg1:discovered:true', 'pg1:enable:true']);
    assert.ok(out[1].changes!.some((c) => c.startsWith('pgaudit.log')));
    assert.ok(out[1].verifiedMs! < 10_000);

    // drift: someone turns connection logging off → re-enforced and alerted (stderr line + webhook)
    const c = await db.admin();
    await c.query('ALTER SYSTEM SET log_connections = off');
    await c.query("ALTER SYSTEM SET pgaudit.log = 'ddl'");
    await c.query('SELECT pg_reload_conf()');
    clock += 1000;
    out = await w.cycle();
    assert.deepEqual(out.map((o) => `${o.event}:${o.ok}`), ['drift:false']);
    assert.match(out[0].message, /log_connections: off -> on/);
    assert.match(out[0].message, /pgaudit\.log: ddl -> ddl,role,read,write,misc_set/);
    assert.equal((await c.query('SHOW log_connections')).rows[0].log_connections, 'on');
    await c.end();
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0].type, 'drift');
    assert.equal(hooks[0].database, 'pg1');
    assert.ok(lines.some((l) => l.startsWith('auditlake watch: ALERT drift pg1')));
    clock += 1000;
    out = await w.cycle();
    assert.deepEqual(out.map((o) => `${o.event}:${o.ok}:${o.message}`), ['drift:true:no drift']);

    // an unreachable database: retries with full-jitter backoff (random 0.5 → half the ceiling), then failed + alert
    writeFileSync(fleetFile, header + `  - name: pg1\n    url: postgres://postgres@127.0.0.1:${db.port}/postgres\n    passwordEnv: AL_TEST_PG_PW\n  - name: gone\n    url: postgres://postgres@127.0.0.1:${deadPort}/postgres\n`);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock += 100;
      for (const o of await w.cycle()) if (o.database === 'gone') seen.push(`${o.event}:${o.attempt ?? ''}:${o.retryInMs ?? ''}`);
    }
    // after giving up it is retried at each drift check (0 s here), alerting only once
    assert.deepEqual(seen, ['discovered::', 'retry:1:5', 'retry:2:10', 'failed:3:', 'failed:4:', 'failed:5:', 'failed:6:']);
    assert.deepEqual(hooks.map((h) => h.type), ['drift', 'failed']);
    const recorded = readFileSync(w.store.outcomesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    assert.ok(recorded.length >= 8);
    // no password in outcomes, alerts or state
    const everything = readFileSync(w.store.outcomesFile, 'utf8') + JSON.stringify(hooks) + lines.join('');
    assert.ok(!everything.includes(PG_SUPERUSER_PASSWORD));
    await w.stop();
  } finally {
    await sink.close();
    await db.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

test('fleet watch with collection: events reach the lake; silence past the threshold raises one alert', { skip: pgSkip(), timeout: 60_000 }, async () => {
  const db = await startPostgres();
  const work = mkdtempSync(join(tmpdir(), 'fleet-'));
  const sink = await startWebhookSink();
  const hooks = sink.hooks;
  const home = resolveHome(join(work, 'home'));
  const lake = await openHomeLake(home);
  try {
    const fleetFile = join(work, 'fleet.yaml');
    writeFileSync(fleetFile, `webhook: ${sink.url}\ndriftCheckSeconds: 3600\ndatabases:\n  - name: pg1\n    url: postgres://postgres@127.0.0.1:${db.port}/postgres?host=${db.dir}\n    log: ${db.logDir}/postgresql*.csv\n    silenceMinutes: 0.05\n`);
    const lines: string[] = [];
    const w = createWatcher({ home, lake, loadConfig: () => loadFleetConfig(fleetFile), write: (s) => lines.push(s) });
    let out = await w.cycle();
    assert.deepEqual(out.map((o) => `${o.event}:${o.ok}`), ['discovered:true', 'enable:true']);
    const c = await db.admin();
    await c.query("SELECT 'fleet-collected' AS x");
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      out = await w.cycle();
      const r = await lake.query("SELECT count(*) FROM activity WHERE statement LIKE '%fleet-collected%'");
      if (Number(r.rows[0][0]) === 1) break;
    }
    assert.equal(Number((await lake.query("SELECT count(*) FROM activity WHERE statement LIKE '%fleet-collected%'")).rows[0][0]), 1);
    assert.equal(hooks.length, 0);
    // nothing happens for longer than the threshold (3 s): one silence alert, not one per cycle
    await new Promise((r) => setTimeout(r, 3500));
    out = await w.cycle();
    assert.deepEqual(out.map((o) => o.event), ['silence']);
    assert.deepEqual(hooks.map((h) => `${h.type}:${h.database}`), ['silence:pg1']);
    assert.deepEqual((await w.cycle()).map((o) => o.event), []);
    await c.end();
    await w.stop();
  } finally {
    await lake.close();
    await sink.close();
    await db.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

test('full jitter stays within [0, min(cap, base·2^n)]', () => {
  for (let n = 0; n < 10; n++) {
    assert.equal(fullJitterDelay(n, 100, 5000, () => 0), 0);
    assert.equal(fullJitterDelay(n, 100, 5000, () => 0.999999), Math.floor(0.999999 * Math.min(5000, 100 * 2 ** n)));
  }
});
