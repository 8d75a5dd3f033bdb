import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mariadb from 'mariadb';
import { resolveHome } from '../../src/core/home.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';
import { createServerAuditDecoder } from '../../src/formats/server-audit/decoder.js';
import { enableMariaDb } from '../../src/sources/mariadb/enable.js';
import { mariadbSkip, startMariaDb, MARIADB_ROOT_PASSWORD } from '../helpers/mariadb.js';
import { spawnHelper } from '../helpers/spawn-ts.js';

const KILLS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(`collector killed with SIGKILL ${KILLS} times during a live MariaDB workload with log rotation: nothing lost, nothing duplicated`, { skip: mariadbSkip(), timeout: 120_000 }, async () => {
  const db = await startMariaDb();
  const work = mkdtempSync(join(tmpdir(), 'kill9-'));
  try {
    const audit = join(db.dir, 'server_audit.log');
    await enableMariaDb(db.url, { auditFile: audit });
    const root = await db.root();
    await root.query('SET GLOBAL server_audit_file_rotate_size = 40000'); // rotate every ~300 lines
    await root.query('SET GLOBAL server_audit_file_rotations = 99');
    await root.query('CREATE DATABASE w');
    await root.query('CREATE TABLE w.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(200))');
    await root.end();
    const cfgFile = join(work, 'collect.yaml');
    writeFileSync(cfgFile, `sources:\n  - name: maria\n    type: mariadb\n    log: ${audit}\nbuffer:\n  maxEvents: 200\n  maxDelayMs: 150\npollMs: 50\n`);
    const homeDir = join(work, 'home');

    // workload: statements on fresh and long-lived connections, non-ASCII, multi-line, failures, until told to stop
    let running = true;
    let statements = 0;
    const workload = (async () => {
      const c = await mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'root', password: MARIADB_ROOT_PASSWORD, database: 'w' });
      for (let i = 0; running; i++) {
        await c.query(`INSERT INTO t (v) VALUES ('row ${i} — Zoë, 日本語\nline2')`);
        await c.query(`SELECT id,\n  v FROM t WHERE id = ${i}`);
        if (i % 10 === 0) await c.query('SELEC broken').catch(() => {});
        if (i % 25 === 0) {
          const s = await mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'root', password: MARIADB_ROOT_PASSWORD });
          await s.end();
        }
        statements += 3;
        await sleep(2);
      }
      await c.end();
    })().catch((err: Error) => {
      // name the server's state: a lost connection here means the server went away, not a collector bug
      let tail = '';
      try { tail = readFileSync(join(db.dir, 'error.log'), 'utf8').split('\n').slice(-8).join('\n'); } catch { /* none */ }
      throw new Error(`workload failed: ${err.message}; mariadb error.log tail:\n${tail}`);
    });

    const recovered: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const child = spawnHelper('collect-child', [cfgFile, homeDir]);
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      // kill at a random moment: mostly while it reads/buffers/delivers, sometimes while it is still starting
      const t0 = Date.now();
      while (!out.includes('ready') && Date.now() - t0 < 15_000 && Math.random() > 0.02) await sleep(10);
      await sleep(Math.floor(Math.random() * 800));
      child.kill('SIGKILL');
      await exited;
      if (err.includes('recovered')) recovered.push(err.trim());
      assert.ok(!/Error|error:/.test(err.replace(/recovered:.*/g, '')), `collector failed: ${err}`);
    }
    running = false;
    await workload;
    // a last, clean run: SIGTERM must flush everything buffered before exit
    const last = spawnHelper('collect-child', [cfgFile, homeDir]);
    let out = '';
    last.stdout!.on('data', (d) => (out += d));
    for (const t0 = Date.now(); !out.includes('ready') && Date.now() - t0 < 15_000; ) await sleep(20);
    await sleep(300);
    const done = new Promise((r) => last.once('exit', r));
    last.kill('SIGTERM');
    await done;
    assert.match(out, /"delivered"/);

    // ground truth: decode every audit file (rotated ones too) once, straight from disk
    const truth = new Map<string, number>();
    for (const f of readdirSync(db.dir).filter((n) => n.startsWith('server_audit.log'))) {
      const d = createServerAuditDecoder({ server: 'maria', account: '', region: '', sourceObject: f });
      for (const r of [...d.push(readFileSync(join(db.dir, f))), ...d.end()]) if (r.kind === 'event') truth.set(r.event.raw, (truth.get(r.event.raw) ?? 0) + 1);
    }
    const rotatedFiles = readdirSync(db.dir).filter((n) => /^server_audit\.log\.\d+$/.test(n)).length;
    const lake = await openHomeLake(resolveHome(homeDir));
    try {
      const got = await lake.query("SELECT raw, count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE source_format = 'mariadb-server-audit' GROUP BY raw");
      const lakeCount = new Map<string, number>();
      for (const [raw, n, ids] of got.rows as Array<[string, bigint | number, bigint | number]>) {
        assert.equal(Number(n), Number(ids), `duplicate event id for ${raw}`);
        lakeCount.set(raw, Number(n));
      }
      const missing = [...truth].filter(([raw, n]) => (lakeCount.get(raw) ?? 0) < n);
      const extra = [...lakeCount].filter(([raw, n]) => (truth.get(raw) ?? 0) < n);
      const total = [...truth.values()].reduce((a, b) => a + b, 0);
      assert.ok(total > 500, `workload too small: ${total} events`);
      assert.ok(rotatedFiles >= 2, `expected rotations during the test, saw ${rotatedFiles}`);
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} of ${total} records lost`);
      assert.deepEqual(extra.slice(0, 5), [], `${extra.length} records duplicated`);
      // nothing was half-read: a partial line taken as a record would have landed in the quarantine
      let quarantined = '';
      try { quarantined = readFileSync(join(homeDir, 'quarantine', 'collect-maria.jsonl'), 'utf8'); } catch { /* none: good */ }
      assert.equal(quarantined, '');
      process.stderr.write(`kill-9 test: ${total} events, ${statements} statements, ${rotatedFiles} rotations, ${KILLS} kills, ${recovered.length} recoveries\n`);
    } finally {
      await lake.close();
    }
  } finally {
    await db.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
