import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { repoRoot } from '../../test/helpers/repo-root.js';
import type { SourceFormat } from '../core/event.js';
import { createDecoder } from './decoder.js';
import { isUnknownKey, parseObjectKey } from './object-key/index.js';
import type { DecodeResult, ObjectKeyInfo } from '../core/decode.js';

async function decodeFile(path: string, info: ObjectKeyInfo): Promise<DecodeResult[]> {
  const decoder = createDecoder(info);
  const out: DecodeResult[] = [];
  let input: Readable = createReadStream(path, { highWaterMark: 65536 });
  if (path.endsWith('.gz')) input = input.pipe(createGunzip());
  for await (const chunk of input) out.push(...decoder.push(chunk as Buffer));
  out.push(...decoder.end());
  return out;
}

function infoFor(key: string): ObjectKeyInfo {
  const info = parseObjectKey(key);
  assert.ok(!isUnknownKey(info), `key not recognised: ${key}`);
  return info;
}

test('dispatch: the six real Redshift files reach their own decoders with the README counts', async () => {
  const dir = join(repoRoot, 'test/fixtures/redshift-test-drive');
  const expected: Record<string, number> = {
    'connectionlog_2020-06-10T15_24': 51,
    'connectionlog_2020-06-10T16_24': 18,
    'connectionlog_2020-06-10T17_24': 18,
    'useractivitylog_2020-06-10T15_24': 1009,
    'useractivitylog_2020-06-10T16_24': 1648,
    'useractivitylog_2020-06-10T17_24': 1652,
  };
  const files = readdirSync(dir).filter((f) => f.endsWith('.gz'));
  assert.equal(files.length, 6);
  for (const f of files) {
    const info = infoFor(`AWSLogs/accountid/redshift/us-east-1/2020/06/10/${f}`);
    const results = await decodeFile(join(dir, f), info);
    const want = Object.entries(expected).find(([k]) => f.includes(k))?.[1];
    assert.equal(results.length, want, f);
    const formats = new Set(results.flatMap((r) => (r.kind === 'event' ? [r.event.sourceFormat] : [])));
    assert.deepEqual([...formats], [info.format], f);
  }
});

test('dispatch: a CloudTrail file (organisation trail key) reaches the CloudTrail decoder', async () => {
  const file = '111122223333_CloudTrail_us-east-1_20210803T1505Z_Ab12Cd34Ef56Gh78.json.gz';
  const info = infoFor(`logs/AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-1/2021/08/03/${file}`);
  assert.equal(info.format, 'cloudtrail');
  const results = await decodeFile(join(repoRoot, 'test/fixtures/cloudtrail', file), info);
  assert.equal(results.length, 15);
  assert.ok(results.every((r) => r.kind === 'event' && r.event.logType === 'api'));
});

test('dispatch: PostgreSQL and MariaDB logs stored as objects', async () => {
  const cases: Array<[SourceFormat, string, string]> = [
    ['postgres-pgaudit', 'test/fixtures/pgaudit/postgresql.csv', 'postgres-pgaudit'],
    ['postgres-pgaudit', 'test/fixtures/pgaudit/postgresql.json', 'postgres-pgaudit'],
    ['mariadb-server-audit', 'test/fixtures/server-audit/server_audit.log.1', 'mariadb-server-audit'],
  ];
  for (const [format, rel, want] of cases) {
    const info: ObjectKeyInfo = { format, account: '', region: '', service: format.split('-')[0], cluster: 'db1', keyDate: '2026-11-22', key: rel };
    const results = await decodeFile(join(repoRoot, rel), info);
    const events = results.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
    assert.ok(events.length > 5, `${rel}: ${events.length} events`);
    assert.ok(events.every((e) => e.sourceFormat === want && e.cluster === 'db1'), rel);
  }
});

test('no secret planted by the generator survives decoding, in events or malformed records', async () => {
  const { generate } = await import('../generate/generate.js');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const out = await mkdtemp(join(tmpdir(), 'auditlake-decoder-'));
  try {
    const r = await generate({ out, accounts: 2, days: 4, seed: 42, activityMb: 2 });
    assert.ok(r.secrets.length > 5, `only ${r.secrets.length} planted secrets`);
    const files = execFileSync('find', [out, '-name', '*.gz']).toString().trim().split('\n');
    let results = 0;
    let redacted = 0;
    for (const f of files) {
      const info = parseObjectKey(f.slice(out.length + 1));
      if (isUnknownKey(info)) continue;
      for (const res of await decodeFile(f, info)) {
        results++;
        const text = JSON.stringify(res);
        if (text.includes('***')) redacted++;
        for (const s of r.secrets) assert.ok(!text.includes(s), `planted secret leaked from ${info.key}`);
      }
    }
    assert.ok(results > 1000 && redacted > 5, `${results} results, ${redacted} redacted`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
