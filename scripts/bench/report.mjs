// Section "report": a month of REPORT_BENCH_EVENTS (default 10 M) synthetic events in the lake → the monthly
// report (every section's SQL + HTML + CSV + JSON), measured in a child process for wall time and peak RSS.
// Baseline in the same run: one DuckDB GROUP BY scan over the same month (the cheapest possible "report").
// Target: ≤ 10 s for 10 M events; memory bounded (aggregation happens in DuckDB).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, measure, table } from './lib.mjs';

const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const CLUSTERS = ['prod-dw', 'analytics', 'finance', 'staging'];
const USERS = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'admin' : i < 5 ? `etl_${i}` : `analyst_${i}`));
const TABLES = ['sales.orders', 'sales.customers', 'finance.invoices', 'events.page_views', 'public.refunds'];
const API = ['DescribeClusters', 'DescribeLoggingStatus', 'ModifyClusterParameterGroup', 'EnableLogging', 'DisableLogging', 'AssumeRole'];

/** Event i of n: deterministic (a multiplicative hash of i), no PRNG state, so chunks are independent. */
function monthEvent(i, n, eventIdFor) {
  const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const kind = h % 1000;
  const logType = kind < 880 ? 'activity' : kind < 995 ? 'connection' : kind < 996 ? 'user' : 'api';
  const user = USERS[(h >>> 10) % USERS.length];
  const account = ACCOUNTS[(h >>> 4) % ACCOUNTS.length];
  const table = TABLES[(h >>> 14) % TABLES.length];
  const failed = logType === 'connection' && (h >>> 20) % 20 === 0;
  const stmt = `select o.id, o.amount from ${table} o where o.id = ${h % 100000} order by 1 desc limit 100;`;
  return {
    eventId: eventIdFor(['bench-report', String(i)]),
    time: Date.UTC(2026, 9, 1) + Math.floor((i / n) * 31 * 86_400_000), logType,
    sourceFormat: logType === 'api' ? 'cloudtrail' : logType === 'connection' ? 'redshift-connectionlog' : logType === 'user' ? 'redshift-userlog' : 'redshift-useractivitylog',
    account, region: 'us-east-1', service: 'redshift', cluster: CLUSTERS[(h >>> 6) % CLUSTERS.length], database: 'dev',
    user: logType === 'user' ? null : user, session: String(1073741824 + (h % 100000)),
    remoteHost: logType === 'connection' ? `::ffff:10.${(h >>> 8) % 3}.${(h >>> 12) % 10}.${(h >>> 16) % 10}` : null,
    remotePort: logType === 'connection' ? String(1024 + (h % 60000)) : null,
    action: logType === 'activity' ? 'SELECT' : logType === 'connection' ? (failed ? 'authentication failure' : 'authenticated') : logType === 'user' ? 'alter' : API[h % API.length],
    statement: logType === 'activity' ? stmt : null,
    success: logType === 'connection' ? !failed : logType === 'api' ? true : null, errorCode: null,
    object: logType === 'activity' ? table : logType === 'user' ? user : null,
    details: logType === 'user' ? { usesuper: user === 'admin' ? '1' : '0' } : {},
    raw: logType === 'activity' ? `'2026-10-01T00:00:00Z UTC [ db=dev user=${user} pid=1073741824 userid=100 xid=1 ]' LOG: ${stmt}` : `${logType} ${user}`,
    sourceObject: 'bench', sourceLine: i + 1,
  };
}

export default {
  name: 'report',
  title: 'Monthly report: render a month of events (issue 5)',
  async run(ctx) {
    const n = Number(process.env.REPORT_BENCH_EVENTS ?? 10_000_000);
    const imp = (p) => import(pathToFileURL(join(ctx.dist, p)).href);
    const { openLake } = await imp('src/sinks/lake/index.js');
    const { eventIdFor } = await imp('src/core/event-id.js');
    const lakeDir = join(ctx.tmp, 'report-lake');
    const t0 = performance.now();
    const lake = await openLake({ root: lakeDir });
    // A realistic month: mostly statements, a tenth connections (5 % failed), a handful of user changes and
    // control-plane calls; 3 accounts × 4 clusters, 40 users, 300 source addresses, spread over October 2026.
    const perCommit = 1_000_000;
    for (let done = 0, c = 0; done < n; c++) {
      const batch = lake.beginBatch();
      const k = Math.min(perCommit, n - done);
      for (let i = done; i < done + k; i++) await batch.add(monthEvent(i, n, eventIdFor));
      await batch.commit([{ store: 'bench://report', key: `chunk-${c}`, etag: '1', size: k }]);
      done += k;
    }
    // As after an ingest (which compacts): one file per partition, not one per commit.
    await lake.compact();
    await lake.close();
    const buildMs = performance.now() - t0;
    const withPdf = existsSync('/usr/bin/chromium') ? '1' : '0';
    const m = await measure(process.execPath, [join(ctx.root, 'scripts/bench/report-child.mjs'), ctx.dist, lakeDir, join(ctx.tmp, 'report-out'), withPdf]);
    if (m.code !== 0) throw new Error(`report bench child failed: ${m.stderr}`);
    const r = JSON.parse(m.stdout.trim().split('\n').pop());
    const renderMs = r.queryMs + r.writeMs;
    const lines = [
      `lake: ${n.toLocaleString('en-US')} events written in ${fmt.s(buildMs)} s (${fmt.rate(n, buildMs)} events/s); report month holds ${r.events.toLocaleString('en-US')}`,
      table([
        ['step', 'seconds', 'vs one GROUP BY scan'],
        ['baseline: one GROUP BY scan of the month', fmt.s(r.scanMs), '1.00×'],
        ['report: all sections (SQL)', fmt.s(r.queryMs), fmt.ratio(r.queryMs, r.scanMs)],
        ['report: HTML + CSV + JSON', fmt.s(r.writeMs), ''],
        ['report total (target ≤ 10 s)', fmt.s(renderMs), fmt.ratio(renderMs, r.scanMs)],
        ['PDF via headless Chromium', r.pdfMs === null ? 'skipped' : fmt.s(r.pdfMs), ''],
      ]),
      `peak RSS of the report process: ${fmt.mb(m.peakRssMb)} MB`,
    ];
    return { lines, results: { events: n, lakeBuildMs: buildMs, ...r, renderMs, peakRssMb: m.peakRssMb } };
  },
};
