// Bench section "freshness" (issue 4): statement executed → visible in a lake query, p50/p99 over N statements, for
// PostgreSQL (pgaudit, csvlog) and MariaDB (server_audit); plus collector throughput over a pgbench-generated
// pgaudit log. Needs the Debian engines (scripts/install-system-deps.sh) and a built dist/.
//   import section, { benchFreshness } from './bench/freshness.mjs'
//   await benchFreshness({ dist, tmp, statements: 1000 })  → { postgres: {n, p50Ms, p99Ms, maxMs}, mariadb: …, pgbench: … }
// Env when run through scripts/bench.mjs: BENCH_FRESHNESS_N (default 1000).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function load(dist) {
  const imp = (p) => import(pathToFileURL(join(dist, p)).href);
  return {
    pgh: await imp('test/helpers/postgres.js'),
    myh: await imp('test/helpers/mariadb.js'),
    home: await imp('src/core/home.js'),
    cfg: await imp('src/config/collect.js'),
    coll: await imp('src/pipeline/collector.js'),
    lake: await imp('src/sinks/lake/open-lake.js'),
    pgEnable: await imp('src/sources/postgres/enable.js'),
    myEnable: await imp('src/sources/mariadb/enable.js'),
  };
}

/** Runs `exec(i)` N times at ~`perSecond`, measuring exec-return → lake-commit per statement. */
async function measureEngine(m, { name, sourceYaml, exec, statements, perSecond, tmp }) {
  const home = m.home.resolveHome(join(tmp, `fresh-${name}`));
  const lake = await m.lake.openHomeLakeForCollect(home);
  const execAt = new Map();
  const visibleAt = new Map();
  const re = new RegExp(`fresh-${name}-(\\d+)`);
  const cfg = m.cfg.parseCollectConfig(`sources:\n${sourceYaml}\nbuffer:\n  maxDelayMs: 100\n  maxEvents: 2000\npollMs: 25\n`);
  const c = await m.coll.createCollector(cfg, home, lake, {
    onCommit: (events, at) => {
      for (const e of events) {
        const mm = re.exec(e.statement ?? '');
        if (mm && !visibleAt.has(Number(mm[1]))) visibleAt.set(Number(mm[1]), at);
      }
    },
  });
  const loop = c.run();
  const gap = 1000 / perSecond;
  const t0 = performance.now();
  for (let i = 0; i < statements; i++) {
    await exec(`SELECT 'fresh-${name}-${i}' AS marker`);
    execAt.set(i, Date.now());
    const ahead = t0 + (i + 1) * gap - performance.now();
    if (ahead > 0) await sleep(ahead);
  }
  const deadline = Date.now() + 30_000;
  while (visibleAt.size < statements && Date.now() < deadline) await sleep(50);
  await c.stop();
  await loop;
  // what the hook says must be what a query sees
  const q = await lake.query(`SELECT count(DISTINCT statement) FROM activity WHERE statement LIKE '%fresh-${name}-%'`);
  const inLake = Number(q.rows[0][0]);
  await lake.close();
  const lat = [...execAt].filter(([i]) => visibleAt.has(i)).map(([i, t]) => Math.max(0, visibleAt.get(i) - t)).sort((a, b) => a - b);
  return { n: statements, visible: visibleAt.size, inLake, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: lat[lat.length - 1], stats: c.stats() };
}

async function pgbenchThroughput(m, pg, tmp) {
  const bin = '/usr/lib/postgresql/15/bin/pgbench';
  const env = { ...process.env, PGPASSWORD: m.pgh.PG_SUPERUSER_PASSWORD };
  const args = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres'];
  execFileSync(bin, [...args, '-i', '-s', '2', '-q', 'postgres'], { env, stdio: 'pipe' });
  const before = readdirSync(pg.logDir).filter((f) => f.endsWith('.csv')).reduce((n, f) => n + statSync(join(pg.logDir, f)).size, 0);
  const out = execFileSync(bin, [...args, '-c', '4', '-j', '2', '-T', '8', '-M', 'extended', 'postgres'], { env, stdio: 'pipe' }).toString();
  const tps = /tps = ([\d.]+)/.exec(out)?.[1];
  // then collect the whole log in one pass and time it (throughput of parse → map → buffer → lake)
  const home = m.home.resolveHome(join(tmp, 'fresh-pgbench'));
  const lake = await m.lake.openHomeLakeForCollect(home);
  const cfg = m.cfg.parseCollectConfig(`sources:\n  - name: pgbench\n    type: postgres\n    log: ${pg.logDir}/postgresql*.csv\nbuffer:\n  maxEvents: 50000\n  maxBytes: 64MiB\n`);
  const bytes = readdirSync(pg.logDir).filter((f) => f.endsWith('.csv')).reduce((n, f) => n + statSync(join(pg.logDir, f)).size, 0);
  const t0 = performance.now();
  const c = await m.coll.createCollector(cfg, home, lake);
  await c.stop();
  const s = (performance.now() - t0) / 1000;
  await lake.close();
  const st = c.stats();
  return { pgbenchTps: Number(tps), logMb: +(bytes / 1e6).toFixed(1), logMbDuringPgbench: +((bytes - before) / 1e6).toFixed(1), records: st.records, events: st.delivered, seconds: +s.toFixed(2), recordsPerS: Math.round(st.records / s), mbPerS: +(bytes / 1e6 / s).toFixed(1) };
}

/** Measures freshness for both engines (and pgbench throughput). */
export async function benchFreshness({ dist, tmp, statements = 1000, perSecond = 200 }) {
  const m = await load(dist);
  mkdirSync(tmp, { recursive: true });
  const result = {};
  const pg = await m.pgh.startPostgres();
  try {
    await m.pgEnable.enablePostgres(pg.url);
    const client = await pg.admin();
    result.postgres = await measureEngine(m, { name: 'pg', tmp, statements, perSecond, exec: (sql) => client.query(sql), sourceYaml: `  - name: pg\n    type: postgres\n    log: ${pg.logDir}/postgresql*.csv` });
    await client.end();
    result.pgbench = await pgbenchThroughput(m, pg, tmp);
  } finally {
    await pg.stop();
  }
  const my = await m.myh.startMariaDb();
  try {
    await m.myEnable.enableMariaDb(my.url, { auditFile: join(my.dir, 'server_audit.log') });
    const conn = await my.root();
    result.mariadb = await measureEngine(m, { name: 'my', tmp, statements, perSecond, exec: (sql) => conn.query(sql), sourceYaml: `  - name: my\n    type: mariadb\n    log: ${my.dir}/server_audit.log` });
    await conn.end();
  } finally {
    await my.stop();
  }
  rmSync(join(tmp, 'fresh-pg'), { recursive: true, force: true });
  return result;
}

export default {
  name: 'freshness',
  title: 'Live databases: statement → visible in a lake query (p50/p99), collector throughput under pgbench',
  async run(ctx) {
    const n = Number(process.env.BENCH_FRESHNESS_N ?? 1000);
    const r = await benchFreshness({ dist: ctx.dist, tmp: join(ctx.tmp, 'freshness'), statements: n });
    const line = (k, v) => `${k.padEnd(10)} n=${v.n} visible=${v.visible} in-lake=${v.inLake}  p50 ${v.p50Ms} ms  p99 ${v.p99Ms} ms  max ${v.maxMs} ms`;
    return {
      lines: [
        line('postgres', r.postgres),
        line('mariadb', r.mariadb),
        `pgbench    ${r.pgbench.pgbenchTps} tps while auditing; collector: ${r.pgbench.records} records (${r.pgbench.logMb} MB csvlog) in ${r.pgbench.seconds} s = ${r.pgbench.recordsPerS} records/s, ${r.pgbench.mbPerS} MB/s`,
      ],
      results: r,
    };
  },
};
