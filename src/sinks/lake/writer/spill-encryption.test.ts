import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLake } from '../open-lake.js';
import { syntheticEvents } from '../../../../test/helpers/lake-test-events.js';

/** Every regular file under `dir` (FIFOs and sockets are skipped: they hold nothing at rest). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (d.isFile()) out.push(join(d.parentPath, d.name));
  }
  return out;
}

async function grep(dir: string, marker: string): Promise<string[]> {
  const hits: string[] = [];
  for (const f of await filesUnder(dir)) {
    const b = await readFile(f).catch(() => Buffer.alloc(0));
    if (b.includes(marker)) hits.push(f);
  }
  return hits;
}

test('encrypted lake: batch spills hold no statement in clear, and still land whole through the FIFO', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-spill-'));
  const tmp = join(dir, 'tmp');
  const marker = 'SpillMarkerQ7x';
  const lake = await openLake({ root: join(dir, 'lake'), tmpDir: tmp, parquetKey: Buffer.alloc(32, 7), tuning: { spillBytes: 200_000 } });
  try {
    const b = lake.beginBatch();
    let n = 0;
    let checks = 0;
    for (const e of syntheticEvents(3000, { seed: 9, logTypes: ['activity'] })) {
      await b.add({ ...e, statement: `select '${marker}${n}'`, raw: `LOG: select '${marker}${n}'` });
      // Look at the temp space while the batch is open (spills written, conversions in flight).
      if (++n % 700 === 0) {
        assert.deepEqual(await grep(tmp, marker), [], `plaintext spill after ${n} events`);
        checks++;
      }
    }
    assert.ok(checks >= 4);
    const stats = await b.commit([{ store: 'fs:/x', key: 'a.gz', etag: 'e', size: 1 }]);
    assert.equal(stats.events, 3000);
    assert.ok(stats.files >= 2, `several spills were converted (${stats.files} files)`);
    const r = await lake.query(`select count(*) as n, count(distinct statement) as d from activity where statement like '%${marker}%'`);
    assert.equal(Number(r.rows[0][0]), 3000);
    assert.equal(Number(r.rows[0][1]), 3000);
    assert.deepEqual(await grep(dir, marker), []);
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
