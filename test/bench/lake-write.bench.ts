/**
 * Lake write-path benchmark: N synthetic events → batch.add → commit (Parquet zstd, Hive-partitioned).
 * Run: npx tsx test/bench/lake-write.bench.ts [events=1000000] [--encrypt]
 * Prints events/s for the generator alone and for generator + lake, the lake's own rate, and peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { syntheticEvents } from '../helpers/lake-test-events.js';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const encrypt = process.argv.includes('--encrypt');
// --spread: events over many days and partitions (worst case for the partitioned writer's memory).
const spread = process.argv.includes('--spread');
const gen = () => syntheticEvents(n, { accounts: ['111122223333', '444455556666'], stepMs: spread ? 60_000 : 300, logTypes: ['activity', 'connection', 'user', 'api'] });

let t = performance.now();
let cpu = process.cpuUsage();
let count = 0;
for (const e of gen()) if (e.time > 0) count++;
const genS = (performance.now() - t) / 1000;
const genCpu = process.cpuUsage(cpu);

const dir = await mkdtemp(join(tmpdir(), 'auditlake-bench-'));
let peak = 0;
let atPeak = process.memoryUsage();
const tick = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peak) { peak = m.rss; atPeak = m; }
}, 25);
try {
  const lake = await openLake({ root: join(dir, 'lake'), parquetKey: encrypt ? Buffer.alloc(32, 7) : undefined, tuning: {
    ...(process.env.LAKE_ML ? { memoryLimit: process.env.LAKE_ML } : {}),
    ...(process.env.LAKE_SPILL_MB ? { spillBytes: Number(process.env.LAKE_SPILL_MB) << 20 } : {}),
    ...(process.env.LAKE_RG_MB ? { rowGroupBytes: Number(process.env.LAKE_RG_MB) << 20 } : {}),
    ...(process.env.LAKE_THREADS ? { threads: Number(process.env.LAKE_THREADS) } : {}),
    ...(process.env.LAKE_PARTS ? { spillPartitions: Number(process.env.LAKE_PARTS) } : {}),
  } });
  t = performance.now();
  cpu = process.cpuUsage();
  const batch = lake.beginBatch();
  for (const e of gen()) {
    const p = batch.add(e);
    if (p) await p;
  }
  const stats = await batch.commit([{ store: 'bench', key: 'x', etag: '1', size: 0 }]);
  const totalS = (performance.now() - t) / 1000;
  const allCpu = process.cpuUsage(cpu);
  const peakWriteMB = Math.round(Math.max(peak, process.memoryUsage.rss()) / 1e6);
  // CPU seconds (all threads: JS + DuckDB) spent by the lake alone, per million events — robust when the machine is shared.
  const lakeCpuS = (allCpu.user + allCpu.system - genCpu.user - genCpu.system) / 1e6;
  const q0 = performance.now();
  const r = await lake.query('select count(*) from events');
  const qS = (performance.now() - q0) / 1000;
  await lake.close();
  clearInterval(tick);
  peak = Math.max(peak, process.memoryUsage.rss());
  const lakeS = Math.max(totalS - genS, 1e-9);
  console.log(JSON.stringify({
    events: count, encrypt, generatorS: +genS.toFixed(2), generatorPlusLakeS: +totalS.toFixed(2),
    eventsPerS: Math.round(n / totalS), lakeOnlyEventsPerS: Math.round(n / lakeS), files: stats.files, parquetMB: +(stats.bytes / 1e6).toFixed(1),
    lakeCpuSPerMillion: +(lakeCpuS / (n / 1e6)).toFixed(2), lakeEventsPerCpuS: Math.round(n / lakeCpuS), countQueryS: +qS.toFixed(3), counted: String(r.rows[0][0]), peakRssMB: Math.round(peak / 1e6), peakRssDuringWriteMB: peakWriteMB, heapAtPeakMB: Math.round(atPeak.heapTotal / 1e6), externalAtPeakMB: Math.round((atPeak.external + atPeak.arrayBuffers) / 1e6),
  }));
} finally {
  clearInterval(tick);
  await rm(dir, { recursive: true, force: true });
}
