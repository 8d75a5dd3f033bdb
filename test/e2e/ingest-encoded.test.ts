import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { FIXTURE_COUNTS, layOutFixtures } from '../helpers/redshift-fixtures.js';

// Decode workers encode events for the lake themselves (encode-events.ts) and hand the main thread CSV
// bytes: the lake must end up exactly as when the main thread decodes and encodes every event.

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-encoded-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

const EVERY_COLUMN =
  'select event_id, "time", source_format, service, cluster, database, "user", session, remote_host, remote_port, action, ' +
  'statement, success, error_code, object, details, raw, source_object, source_line, log_type, account, region, "date" from events order by event_id';

async function ingestFixtures(name: string, workers: number, batch: { maxObjects: number }) {
  const logs = join(work, 'logs');
  const home = resolveHome(join(work, name));
  // Small spills and few partitions per spill, so chunks cross spill boundaries and partition limits.
  const lake = await openLake({ root: home.lake, tmpDir: home.tmp, tuning: { spillBytes: 256 << 10, spillPartitions: 2 } });
  try {
    const summary = await ingest({ store: createFsStore({ root: logs }), lake, home, workers, batch });
    const rows = (await lake.query(EVERY_COLUMN)).rows;
    return { summary, rows };
  } finally {
    await lake.close();
  }
}

test('workers that encode for the lake write the same rows, every column, as decoding on the main thread', async () => {
  await layOutFixtures(join(work, 'logs'));
  const total = Object.values(FIXTURE_COUNTS).reduce((a, b) => a + b, 0);
  const inProcess = await ingestFixtures('home-0', 0, { maxObjects: 64 });
  const encoded = await ingestFixtures('home-2', 2, { maxObjects: 2 });
  assert.equal(inProcess.rows.length, total);
  assert.equal(encoded.rows.length, total, 'README record counts');
  assert.equal(encoded.summary.events, total);
  assert.equal(encoded.summary.records, inProcess.summary.records);
  assert.deepEqual(encoded.summary.eventsByLogType, inProcess.summary.eventsByLogType);
  assert.equal(encoded.summary.eventsWritten, total);
  for (let i = 0; i < total; i++) assert.deepEqual(encoded.rows[i], inProcess.rows[i], `row ${i} (${String(inProcess.rows[i][0])})`);
});
