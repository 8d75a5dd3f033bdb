import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { createMemoryStore } from '../../src/stores/drivers/memory.js';
import { createS3Store } from '../../src/stores/drivers/s3.js';
import { openStore } from '../../src/stores/open-store.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';
import { objectStoreContract } from './object-store.contract.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

objectStoreContract({
  name: 'memory',
  strictConditional: true,
  create: async () => createMemoryStore(),
});

objectStoreContract({
  name: 'fs',
  strictConditional: true,
  create: async () => {
    const d = await mkdtemp(join(tmpdir(), 'auditlake-fs-store-'));
    dirs.push(d);
    return createFsStore({ root: join(d, 'root') });
  },
});

let s3: LocalS3 | undefined;
let n = 0;
before(async () => {
  s3 = await startS3rver({ buckets: ['contract'] });
});
after(async () => {
  await s3?.stop();
});

objectStoreContract({
  name: 's3 (s3rver)',
  // 12 MiB with a 16 MiB threshold: a stream body always goes multipart (8 MiB parts → 2 parts).
  create: async () => {
    if (!s3) throw new Error('s3rver not started');
    return createS3Store({ bucket: 'contract', prefix: `run-${process.pid}-${n++}/`, client: s3.client, sse: { mode: 'sse-s3' } });
  },
});

describe('fs store specifics', () => {
  test('leaves no temp files behind and lists none of its own bookkeeping', async () => {
    const d = await mkdtemp(join(tmpdir(), 'auditlake-fs-store-'));
    dirs.push(d);
    const store = createFsStore({ root: d });
    await store.put('x/y.gz', Buffer.from('y'), { metadata: { a: '1' } });
    await assert.rejects(store.put('x/y.gz', Buffer.from('z')));
    assert.deepEqual(await readdir(join(d, '.auditlake-tmp')), []);
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    assert.deepEqual(keys, ['x/y.gz']);
  });
});

describe('openStore', () => {
  test('picks the driver from the location', () => {
    assert.equal(openStore('s3://my-bucket/logs/x', { env: {} }).url, 's3://my-bucket/logs/x/');
    assert.equal(openStore('s3://my-bucket', { env: {} }).url, 's3://my-bucket/');
    assert.match(openStore('/tmp/some dir').url, /^file:\/\/\/tmp\/some%20dir$/);
    assert.match(openStore('file:///tmp/x').url, /^file:\/\/\/tmp\/x$/);
    assert.throws(() => openStore('s3://Bad_Bucket/x', { env: {} }), /not a valid S3 bucket name/);
    assert.throws(() => openStore('gs://bucket/x'), /unsupported location/);
  });

  test('an unsupported location with credentials in it is named without the password', () => {
    assert.throws(() => openStore('https://svc:hunter2@minio.example.com/vault'), (err: Error) => {
      assert.match(err.message, /unsupported location https:\/\/svc:\*\*\*@minio\.example\.com\/vault/);
      assert.doesNotMatch(err.message, /hunter2/);
      return true;
    });
  });

  test('s3:// reaches a custom endpoint from AUDITLAKE_S3_ENDPOINT (path-style)', async () => {
    if (!s3) throw new Error('s3rver not started');
    const store = openStore('s3://contract/open-store/', { env: s3.env });
    await store.put('k.txt', Buffer.from('via env'));
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    assert.deepEqual(keys, ['k.txt']);
  });
});

describe('s3 store specifics', () => {
  test('SSE settings go out on every put, single-part and multipart (s3rver ignores them, so the request is checked)', async () => {
    if (!s3) throw new Error('s3rver not started');
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { S3RVER_CREDENTIALS } = await import('../helpers/s3rver.js');
    const seen: { op: string; sse?: string; kms?: string; ifNoneMatch?: string }[] = [];
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const h = (args.request as { headers?: Record<string, string> }).headers ?? {};
        seen.push({ op: String(context.commandName), sse: h['x-amz-server-side-encryption'], kms: h['x-amz-server-side-encryption-aws-kms-key-id'], ifNoneMatch: h['if-none-match'] });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordHeaders' },
    );
    const store = createS3Store({ bucket: 'contract', prefix: 'sse/', client, sse: { mode: 'sse-kms', keyId: 'alias/audit' }, multipartThreshold: 1024, partSize: 5 * 1024 * 1024 });
    await store.put('small', Buffer.from('x'));
    await store.put('large', Buffer.alloc(6 * 1024 * 1024, 1));
    const puts = seen.filter((s) => s.op === 'PutObjectCommand' || s.op === 'CreateMultipartUploadCommand');
    assert.ok(puts.length >= 2, JSON.stringify(seen));
    for (const p of puts) {
      assert.equal(p.sse, 'aws:kms');
      assert.equal(p.kms, 'alias/audit');
    }
    assert.ok(seen.some((s) => s.op === 'CreateMultipartUploadCommand'), 'the large body went multipart');
    const conditional = seen.filter((s) => s.op === 'PutObjectCommand' || s.op === 'CompleteMultipartUploadCommand');
    assert.ok(conditional.length >= 2 && conditional.every((s) => s.ifNoneMatch === '*'), `If-None-Match: * on every create: ${JSON.stringify(conditional)}`);
    client.destroy();
  });
});
