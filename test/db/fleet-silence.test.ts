import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mariadb from 'mariadb';
import { resolveHome } from '../../src/core/home.js';
import { loadFleetConfig } from '../../src/config/fleet.js';
import { createWatcher, type Watcher } from '../../src/fleet/watcher.js';
import type { FleetOutcome } from '../../src/fleet/state.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';
import { pgSkip, startPostgres, PG_SUPERUSER_PASSWORD } from '../helpers/postgres.js';
import { mariadbSkip, startMariaDb, MARIADB_ROOT_PASSWORD } from '../helpers/mariadb.js';
import { startWebhookSink } from '../helpers/webhook-sink.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DBS = ['pg', 'maria'];

/**
 * Issue 10 item 3: a real PostgreSQL+pgaudit and a real MariaDB+server_audit go quiet while the watcher's drift check
 * (enable + canary on a fresh connection) keeps running every second. The canary traffic is recorded in the lake but
 * must not reset the silence clock (threshold 4 s): exactly one silence alert per database per episode, a `resumed`
 * notice when real activity returns, and a second alert when it stops again.
 */
test('fleet watch: canaries do not hide silence; one alert per episode, re-armed by real activity (PostgreSQL + MariaDB)', { skip: pgSkip() || mariadbSkip(), timeout: 180_000 }, async (t) => {
  const [pgdb, mydb] = await Promise.all([startPostgres(), startMariaDb()]);
  const work = mkdtempSync(join(tmpdir(), 'fleet-silence-'));
  const sink = await startWebhookSink();
  const home = resolveHome(join(work, 'home'));
  const lake = await openHomeLake(home);
  process.env.AL_TEST_SIL_PG = PG_SUPERUSER_PASSWORD;
  process.env.AL_TEST_SIL_MY = MARIADB_ROOT_PASSWORD;
  const audit = join(mydb.dir, 'server_audit.log');
  const fleetFile = join(work, 'fleet.yaml');
  writeFileSync(fleetFile, [
    `webhook: ${sink.url}`, 'driftCheckSeconds: 1', 'silenceMinutes: 0.0667', 'databases:',
    `  - name: pg`, `    url: postgres://postgres@127.0.0.1:${pgdb.port}/postgres`, '    passwordEnv: AL_TEST_SIL_PG', `    log: ${pgdb.logDir}/postgresql*.csv`,
    `  - name: maria`, `    url: mariadb://root@127.0.0.1:${mydb.port}/`, '    passwordEnv: AL_TEST_SIL_MY', `    log: ${audit}`, `    auditFile: ${audit}`, '',
  ].join('\n'));
  const outcomes: FleetOutcome[] = [];
  let w: Watcher | null = null;
  try {
    w = createWatcher({ home, lake, loadConfig: () => loadFleetConfig(fleetFile), write: () => {} });
    const watcher = w;
    const count = (event: string, db: string) => outcomes.filter((o) => o.event === event && o.database === db).length;
    /** Cycles (every 200 ms, as `watch` does at most every second) until `done`, failing after `ms`. */
    const cycleUntil = async (what: string, done: () => boolean, ms = 60_000) => {
      const t0 = Date.now();
      while (!done()) {
        if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}; outcomes: ${outcomes.map((o) => `${o.database}:${o.event}`).join(' ')}`);
        outcomes.push(...(await watcher.cycle()));
        await sleep(200);
      }
    };
    const activity = async (tag: string) => {
      const p = await pgdb.admin();
      await p.query(`SELECT '${tag}' AS real_activity`);
      await p.end();
      const m = await mariadb.createConnection({ host: '127.0.0.1', port: mydb.port, user: 'root', password: MARIADB_ROOT_PASSWORD });
      await m.query(`SELECT '${tag}' AS real_activity`);
      await m.end();
    };
    const silenceAlerts = (db: string) => sink.hooks.filter((h) => h.type === 'silence' && h.database === db).length;

    await cycleUntil('both databases enabled', () => DBS.every((db) => count('enable', db) === 1));
    await activity('before-quiet');
    await cycleUntil('the real statements in the lake', () => DBS.every((db) => (watcher.collector()?.lastRecordAt(db) ?? null) !== null));

    // episode 1: the databases go quiet; drift checks (and their canaries) continue every second
    const drift0 = DBS.map((db) => count('drift', db));
    await cycleUntil('a silence alert for both', () => DBS.every((db) => silenceAlerts(db) >= 1));
    // the silence lasts: more drift checks, still exactly one alert each
    const drift1 = DBS.map((db) => count('drift', db));
    await cycleUntil('three more drift checks each', () => DBS.every((db, i) => count('drift', db) >= drift1[i] + 3));
    for (const [i, db] of DBS.entries()) {
      assert.ok(count('drift', db) - drift0[i] >= 4, `${db}: drift checks ran during the silence`);
      assert.equal(silenceAlerts(db), 1, `${db}: one silence alert for the first episode`);
    }

    // activity resumes: one resumed notice each, no new silence alert
    await activity('resumed');
    await cycleUntil('resumed for both', () => DBS.every((db) => count('resumed', db) === 1));
    for (const db of DBS) assert.equal(silenceAlerts(db), 1);

    // episode 2: quiet again → the rule was re-armed, a second alert each
    await cycleUntil('a second silence alert for both', () => DBS.every((db) => silenceAlerts(db) >= 2));
    const drift2 = DBS.map((db) => count('drift', db));
    await cycleUntil('two more drift checks each', () => DBS.every((db, i) => count('drift', db) >= drift2[i] + 2));
    for (const db of DBS) {
      assert.equal(silenceAlerts(db), 2, `${db}: exactly one alert per episode`);
      assert.equal(count('silence', db), 2);
    }
    t.diagnostic(`silence alerts per database over 2 episodes: ${DBS.map((db) => `${db}=${silenceAlerts(db)}`).join(' ')}; drift checks: ${DBS.map((db) => `${db}=${count('drift', db)}`).join(' ')}`);

    // the canaries are still recorded, marked as auditlake's own traffic
    await w.stop();
    w = null;
    const own = await lake.query("SELECT service, count(*) FROM events WHERE json_extract_string(details, '$.auditlakeOwn') = 'true' GROUP BY ALL ORDER BY 1");
    const byService = new Map(own.rows.map((r) => [String(r[0]), Number(r[1])]));
    assert.ok((byService.get('postgres') ?? 0) >= 8, `postgres canary records kept: ${byService.get('postgres')}`);
    assert.ok((byService.get('mariadb') ?? 0) >= 8, `mariadb canary records kept: ${byService.get('mariadb')}`);
    const real = await lake.query("SELECT count(*) FROM events WHERE statement LIKE '%real_activity%' AND json_extract_string(details, '$.auditlakeOwn') IS NULL");
    assert.equal(Number(real.rows[0][0]), 4, 'the real statements are not marked as own');
  } finally {
    await w?.stop();
    await lake.close();
    await sink.close();
    await Promise.all([pgdb.stop(), mydb.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
});
