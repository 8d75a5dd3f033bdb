// Child process for test/recovery/lake-kill9.test.ts: commits batches (and compacts now and then) into
// the lake at argv[2] until it is killed. Batch i holds `per` events of source `src-<i>`; it prints
// `committed <i>` after each commit returns.
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { syntheticEvents } from './lake-test-events.js';

const [root, perArg, keyArg] = process.argv.slice(2);
const per = Number(perArg);
const lake = await openLake({ root, parquetKey: keyArg ? Buffer.from(keyArg, 'hex') : undefined, tuning: { spillBytes: 200_000, threads: 1 } });
let i = 0;
while (lake.isIngested({ store: 'crash', key: `src-${i}`, etag: '1', size: 0 })) i++;
process.stdout.write(`ready ${i}\n`);
for (;; i++) {
  const b = lake.beginBatch();
  const api = i % 3 === 0; // every third batch is "CloudTrail": overlapping partitions, de-duplicated at read
  for (const e of syntheticEvents(per, { seed: i, source: `src-${i}`, logTypes: api ? ['api'] : ['activity', 'connection'], start: Date.UTC(2026, 9, 1) + (i % 4) * 86_400_000 })) {
    const p = b.add(e);
    if (p) await p;
  }
  await b.commit([{ store: 'crash', key: `src-${i}`, etag: '1', size: 0 }]);
  process.stdout.write(`committed ${i}\n`);
  if (i % 4 === 3) {
    await lake.compact();
    process.stdout.write(`compacted ${i}\n`);
  }
}
