import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mariadb from 'mariadb';
import { resolveHome } from '../../src/core/home.js';
import { parseCollectConfig } from '../../src/config/collect.js';
import { createCollector } from '../../src/pipeline/collector.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';
import { enablePostgres } from '../../src/sources/postgres/enable.js';
import { enableMariaDb } from '../../src/sources/mariadb/enable.js';
import { pgSkip, startPostgres, PG_SUPERUSER_PASSWORD } from '../helpers/postgres.js';
import { mariadbSkip, startMariaDb, MARIADB_ROOT_PASSWORD } from '../helpers/mariadb.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SECRETS = ['Live-pg-pw-1', 'Live-pg-pw-2', 'Live-my-pw-1', 'Live-my-pw-2', 'Live-my-typo-3', PG_SUPERUSER_PASSWORD, MARIADB_ROOT_PASSWORD];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

test('collect: live PostgreSQL + MariaDB → lake; all three log types; statement visible within seconds; no password anywhere', { skip: pgSkip() || mariadbSkip(), timeout: 60_000 }, async () => {
  const [pgdb, mydb] = await Promise.all([startPostgres(), startMariaDb()]);
  const work = mkdtempSync(join(tmpdir(), 'collect-'));
  const home = resolveHome(join(work, 'home'));
  const lake = await openHomeLake(home);
  try {
    await enablePostgres(pgdb.url);
    await enableMariaDb(mydb.url, { auditFile: join(mydb.dir, 'server_audit.log') });
    const cfg = parseCollectConfig(`sources:\n  - name: pg\n    type: postgres\n    log: ${pgdb.logDir}/postgresql*.csv\n  - name: maria\n    type: mariadb\n    log: ${mydb.dir}/server_audit.log\nbuffer:\n  maxDelayMs: 100\npollMs: 50\n`);
    const c = await createCollector(cfg, home, lake);
    const loop = c.run();

    const p = new pg.Client({ host: '127.0.0.1', port: pgdb.port, user: 'postgres', password: PG_SUPERUSER_PASSWORD, database: 'postgres' });
    await p.connect();
    await p.query(`CREATE ROLE live_user LOGIN PASSWORD '${SECRETS[0]}'`);
    await p.query(`ALTER ROLE live_user PASSWORD '${SECRETS[1]}'`);
    await p.query("SELECT 'pg-marker-ü' AS m");
    await p.end();
    const bad = new pg.Client({ host: '127.0.0.1', port: pgdb.port, user: 'live_user', password: 'nope', database: 'postgres' });
    await bad.connect().catch(() => {});
    await bad.end().catch(() => {});
    const m = await mariadb.createConnection({ host: '127.0.0.1', port: mydb.port, user: 'root', password: MARIADB_ROOT_PASSWORD });
    await m.query(`CREATE USER 'live_my'@'%' IDENTIFIED BY '${SECRETS[2]}'`);
    await m.query(`SET PASSWORD FOR 'live_my'@'%' = PASSWORD('${SECRETS[3]}')`);
    await m.query(`CREATE USSER 'x'@'%' IDENTIFIED BY '${SECRETS[4]}'`).catch(() => {});
    await m.query("SELECT 'my-marker-ü' AS m");
    await m.end();
    await mariadb.createConnection({ host: '127.0.0.1', port: mydb.port, user: 'live_my', password: 'nope' }).catch(() => {});
    const t0 = Date.now();

    // freshness: both markers queryable in the lake
    let rows: unknown[][] = [];
    while (Date.now() - t0 < 15_000) {
      rows = (await lake.query("SELECT cluster FROM activity WHERE statement LIKE '%-marker-ü%' ORDER BY 1")).rows;
      if (rows.length === 2) break;
      await sleep(50);
    }
    const visibleMs = Date.now() - t0;
    assert.deepEqual(rows, [['maria'], ['pg']]);
    assert.ok(visibleMs < 5000, `markers visible after ${visibleMs} ms`);
    await sleep(500);
    await c.stop();
    await loop;

    const q = async (sql: string) => (await lake.query(sql)).rows.map((r) => r.map(String).join('|'));
    // ordered by action, not time: MariaDB's timestamps have 1-second resolution
    assert.deepEqual(await q("SELECT cluster, action, object FROM user_changes WHERE object LIKE 'live%' ORDER BY cluster, action"), [
      'maria|CREATE USER|live_my@%',
      'maria|SET PASSWORD|live_my@%',
      'pg|ALTER ROLE|live_user',
      'pg|CREATE ROLE|live_user',
    ]);
    assert.deepEqual(await q("SELECT cluster, \"user\", error_code FROM connections WHERE action = 'authentication failure' ORDER BY cluster"), ['maria|live_my|1045', 'pg|live_user|28P01']);
    assert.deepEqual(await q("SELECT count(*) FROM events GROUP BY event_id HAVING count(*) > 1"), []);
    // no secret in any column of the lake, in the write-ahead buffer or the quarantine
    const dump = (await lake.query('SELECT * FROM events')).rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).join('\n');
    const buffers = filesUnder(home.buffer).concat(filesUnder(home.quarantine)).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const s of SECRETS) {
      assert.ok(!dump.includes(s), `secret ${s.slice(0, 4)}… in the lake`);
      assert.ok(!buffers.includes(s), `secret ${s.slice(0, 4)}… in the buffer/quarantine`);
    }
    assert.ok(statSync(home.buffer).isDirectory());
    process.stderr.write(`collect-live: markers visible in the lake after ${visibleMs} ms\n`);
  } finally {
    await lake.close();
    await Promise.all([pgdb.stop(), mydb.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
});
