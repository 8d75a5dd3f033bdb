import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { resolveHome } from '../../src/core/home.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { createQuarantine } from '../../src/sinks/quarantine/quarantine.js';
import type { QuarantineEntry } from '../../src/sinks/quarantine/types.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { FIXTURE_COUNTS, FIXTURE_DIR, FIXTURE_KEY_DIR, layOutFixtures } from '../helpers/redshift-fixtures.js';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-ingest-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function countsByObject(lakeRoot: string): Promise<Record<string, number>> {
  const lake = await openLake({ root: lakeRoot });
  try {
    const r = await lake.query('select source_object, count(*) as n, count(distinct event_id) as ids from events group by 1 order by 1');
    const out: Record<string, number> = {};
    for (const [obj, n, ids] of r.rows) {
      assert.equal(Number(n), Number(ids), `duplicate event ids in ${String(obj)}`);
      out[String(obj).slice(String(obj).lastIndexOf('/') + 1)] = Number(n);
    }
    return out;
  } finally {
    await lake.close();
  }
}

describe('ingest: the real Redshift files from a folder in the AWSLogs layout', () => {
  test('every record lands in the lake (README counts); a re-run ingests nothing new', async () => {
    const logs = join(work, 'logs');
    await layOutFixtures(logs);
    await writeFile(join(logs, 'notes.txt'), 'not a log\n');
    const home = resolveHome(join(work, 'home'));
    const store = createFsStore({ root: logs });

    let lake = await openLake({ root: home.lake, tmpDir: home.tmp });
    const first = await ingest({ store, lake, home, batch: { maxObjects: 4 } });
    await lake.close();
    assert.equal(first.objects.ingested, 6);
    assert.equal(first.objects.unknown, 1);
    assert.deepEqual(first.unknownKeys.map((u) => u.key), ['notes.txt']);
    assert.equal(first.events, 4396);
    assert.deepEqual(first.eventsByLogType, { connection: 87, activity: 4309 });
    assert.equal(first.quarantined, 0);
    assert.equal(first.batches, 2);
    assert.deepEqual(await countsByObject(home.lake), FIXTURE_COUNTS);

    lake = await openLake({ root: home.lake, tmpDir: home.tmp });
    const second = await ingest({ store, lake, home });
    await lake.close();
    assert.equal(second.objects.ingested, 0);
    assert.equal(second.objects.skipped, 6);
    assert.equal(second.events, 0);
    assert.deepEqual(await countsByObject(home.lake), FIXTURE_COUNTS);
  });
});

describe('ingest: malformed records in the middle of a file', () => {
  for (const workers of [0, 2]) {
    test(`keeps the good records and quarantines the bad ones with file, line and reason (workers: ${workers})`, async () => {
      const logs = join(work, `bad-${workers}`);
      const name = 'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T15_24.gz';
      const lines = gunzipSync(await readFile(join(FIXTURE_DIR, name))).toString('utf8').split('\n');
      // Lines 11 and 31 (1-based) become garbage: one with too few fields, one with a bad date.
      lines.splice(10, 0, "this is not a connection log record: create user eve password 'Sup3rS3cretPw'");
      lines.splice(30, 0, lines[31].replace(/\|[^|]*\d{4} \d\d:\d\d:\d\d:\d{3}/, '|Wed, 10 Jux 2020 15:20:00:000'));
      await mkdir(join(logs, FIXTURE_KEY_DIR), { recursive: true });
      const key = `${FIXTURE_KEY_DIR}/${name}`;
      // Two gzip members, as concatenating tools produce: the decoder must see one stream.
      const text = Buffer.from(lines.join('\n'));
      await writeFile(join(logs, key), Buffer.concat([gzipSync(text.subarray(0, 5000)), gzipSync(text.subarray(5000))]));
      const home = resolveHome(join(work, `home-bad-${workers}`));
      const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
      const s = await ingest({ store: createFsStore({ root: logs }), lake, home, workers });
      await lake.close();
      assert.equal(s.events, 51, 'all 51 good records kept');
      assert.equal(s.quarantined, 2);
      assert.deepEqual(await countsByObject(home.lake), { [name]: 51 });
      const entries: QuarantineEntry[] = [];
      for await (const e of createQuarantine(home.quarantine).list()) entries.push(e);
      assert.deepEqual(entries.map((e) => [e.key, e.line]), [[key, 11], [key, 31]]);
      for (const e of entries) {
        assert.ok(e.reason.length > 10, `reason given: ${e.reason}`);
        assert.ok(e.raw.length > 0);
      }
      assert.match(entries[0].raw, /this is not a connection log record/);
      assert.doesNotMatch(JSON.stringify(entries), /Sup3rS3cretPw/, 'the secret in the malformed line is redacted');
    });
  }

  test('a truncated gzip keeps what decoded and quarantines the rest of the object', async () => {
    const logs = join(work, 'truncated');
    const name = 'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T16_24.gz';
    const gz = await readFile(join(FIXTURE_DIR, name));
    await mkdir(join(logs, FIXTURE_KEY_DIR), { recursive: true });
    await writeFile(join(logs, FIXTURE_KEY_DIR, name), gz.subarray(0, Math.floor(gz.length / 2)));
    const home = resolveHome(join(work, 'home-trunc'));
    const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
    const s = await ingest({ store: createFsStore({ root: logs }), lake, home });
    await lake.close();
    assert.equal(s.objects.corrupt, 1);
    assert.equal(s.objects.ingested, 1, 'the object is done: a re-run does not retry the same bytes');
    assert.ok(s.events > 100 && s.events < 1648, `some records kept: ${s.events}`);
    const entries: QuarantineEntry[] = [];
    for await (const e of createQuarantine(home.quarantine).list()) entries.push(e);
    assert.equal(entries.length, 1);
    assert.match(entries[0].reason, /unreadable after line \d+: unexpected end of file/);
  });
});
