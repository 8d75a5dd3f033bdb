/**
 * Lake write-path benchmark: N synthetic events → batch.add → commit (Parquet zstd, Hive-partitioned).
 * Run: npx tsx src/sinks/lake/write.bench.ts [events=1000000] [--encrypt]
 * Prints events/s for the generator alone and for generator + lake, the lake's own rate, and peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLake } from './open-lake.js';
import { syntheticEvents } from './test-events.js';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const encrypt = process.argv.includes('--encrypt');
const gen = () => syntheticEvents(n, { accounts: ['111122223333', '444455556666'], stepMs: 300 });

let t = performance.now();
let count = 0;
for (const e of gen()) if (e.time > 0) count++;
const genS = (performance.now() - t) / 1000;

const dir = await mkdtemp(join(tmpdir(), 'auditlake-bench-'));
let peak = 0;
const tick = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
try {
  const lake = await openLake({ root: join(dir, 'lake'), parquetKey: encrypt ? Buffer.alloc(32, 7) : undefined });
  t = performance.now();
  const batch = lake.beginBatch();
  for (const e of gen()) {
    const p = batch.add(e);
    if (p) await p;
  }
  const stats = await batch.commit([{ store: 'bench', key: 'x', etag: '1', size: 0 }]);
  const totalS = (performance.now() - t) / 1000;
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
    countQueryS: +qS.toFixed(3), counted: String(r.rows[0][0]), peakRssMB: Math.round(peak / 1e6),
  }));
} finally {
  clearInterval(tick);
  await rm(dir, { recursive: true, force: true });
}
