import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { resolveHome } from '../../src/core/home.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURE_COUNTS, FIXTURE_DIR, FIXTURE_KEY_DIR } from '../helpers/redshift-fixtures.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';

let s3: LocalS3;
let work: string;
before(async () => {
  s3 = await startS3rver({ buckets: ['audit-logs'] });
  work = await mkdtemp(join(tmpdir(), 'auditlake-ingest-s3-'));
});
after(async () => {
  await s3.stop();
  await rm(work, { recursive: true, force: true });
});

test('auditlake ingest s3://bucket/prefix: real Redshift files uploaded under AWSLogs/… reach the lake; a re-run skips them', { timeout: 120_000 }, async () => {
  for (const name of Object.keys(FIXTURE_COUNTS)) {
    await s3.client.send(new PutObjectCommand({ Bucket: 'audit-logs', Key: `prod/${FIXTURE_KEY_DIR}/${name}`, Body: await readFile(join(FIXTURE_DIR, name)) }));
  }
  // Outside the prefix: must not be read.
  await s3.client.send(new PutObjectCommand({ Bucket: 'audit-logs', Key: `staging/${FIXTURE_KEY_DIR}/${Object.keys(FIXTURE_COUNTS)[0]}`, Body: Buffer.from('x') }));
  const home = join(work, 'home');
  const env = { ...process.env, ...s3.env };
  const first = await runCli(['--home', home, 'ingest', 's3://audit-logs/prod/', '--format', 'json', '--no-progress'], { env });
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout) as { store: string; objects: { ingested: number }; events: number };
  assert.equal(summary.store, 's3://audit-logs/prod/');
  assert.equal(summary.objects.ingested, 6);
  assert.equal(summary.events, 4396);

  const h = resolveHome(home);
  const lake = await openLake({ root: h.lake, tmpDir: h.tmp });
  try {
    const r = await lake.query('select source_object, count(*) from events group by 1 order by 1');
    const got = Object.fromEntries(r.rows.map(([k, n]) => [String(k).slice(String(k).lastIndexOf('/') + 1), Number(n)]));
    assert.deepEqual(got, FIXTURE_COUNTS);
  } finally {
    await lake.close();
  }

  const second = await runCli(['--home', home, 'ingest', 's3://audit-logs/prod', '--no-progress'], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /0 ingested, 6 skipped \(already ingested\), 0 unknown/);
});
