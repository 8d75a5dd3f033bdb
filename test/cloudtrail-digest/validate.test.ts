import { appendFile, mkdtemp, readFile, rename, rm, unlink, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readPublicKeysFile } from '../../src/sources/cloudtrail-digest/public-keys.js';
import { openCloudTrailSource } from '../../src/sources/cloudtrail-digest/source.js';
import { formatCloudTrailReport, validateCloudTrail, type CtReport } from '../../src/sources/cloudtrail-digest/validate.js';
import { createMemoryStore } from '../../src/stores/drivers/memory.js';
import { createS3Store } from '../../src/stores/drivers/s3.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';
import { BUCKET, buildTrail, ctDigestKey, dirPut, storePut, type Trail } from './ct-fixture.js';

interface Local {
  dir: string;
  root: string;
  keysFile: string;
  trail: Trail;
}
const made: string[] = [];
after(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

async function local(opts: Parameters<typeof buildTrail>[1] = {}): Promise<Local> {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ct-'));
  made.push(dir);
  const root = join(dir, 'bucket');
  const trail = await buildTrail(dirPut(root), opts);
  const keysFile = join(dir, 'public-keys.json');
  await writeFile(keysFile, trail.publicKeysJson);
  return { dir, root, keysFile, trail };
}
async function run(l: Local, bucket: string | undefined = BUCKET): Promise<CtReport> {
  return validateCloudTrail({ source: openCloudTrailSource(l.root, bucket ? { bucket } : {}), publicKeys: await readPublicKeysFile(l.keysFile) });
}
const p = (l: Local, key: string) => join(l.root, ...key.split('/'));
const statusOf = (r: CtReport, key: string) => r.lines.filter((x) => x.location.endsWith(key)).map((x) => x.status);
const invalidLines = (r: CtReport) => r.lines.filter((x) => x.kind !== 'info' && x.status !== 'valid');

test('clean local trail: every digest and log file valid, summary like the AWS CLI', async () => {
  const l = await local();
  const r = await run(l);
  assert.deepEqual(invalidLines(r), []);
  assert.deepEqual(r.digests, { valid: 6, total: 6 });
  assert.deepEqual(r.logs, { valid: 10, total: 10 });
  const text = formatCloudTrailReport(r, { location: l.root });
  assert.match(text, /^6\/6 digest files valid$/m);
  assert.match(text, /^10\/10 log files valid$/m);
  assert.match(text, /Results found for 2026-11-01T00:01:31Z to 2026-11-01T06:01:31Z:/);
});

test('modified log file → hash value doesn\'t match; deleted → not found', async () => {
  const l = await local();
  const [mod, del] = [l.trail.logs[1][0], l.trail.logs[4][1]];
  const raw = gunzipSync(await readFile(p(l, mod)));
  raw[20] ^= 1;
  await writeFile(p(l, mod), gzipSync(raw));
  await unlink(p(l, del));
  const r = await run(l);
  assert.deepEqual(statusOf(r, mod), ["INVALID: hash value doesn't match"]);
  assert.deepEqual(statusOf(r, del), ['INVALID: not found']);
  assert.equal(invalidLines(r).length, 2);
});

test('data appended after the first gzip member → INVALID even though the first member hashes right', async () => {
  const l = await local();
  const key = l.trail.logs[0][0];
  await appendFile(p(l, key), gzipSync(Buffer.from('{"Records":[{"eventName":"Injected"}]}')));
  const r = await run(l);
  assert.deepEqual(statusOf(r, key), ['INVALID: unexpected data after end of compressed stream']);
});

for (const n of [1, 2, 3]) {
  test(`${n} consecutive digest(s) deleted → all ${n} counted (the AWS CLI reports one)`, async () => {
    const l = await local({ hours: 7 });
    for (const h of [2, 3, 4].slice(0, n)) await unlink(p(l, l.trail.digests[h]));
    const r = await run(l);
    // The newest deleted one is named; the ones behind it are counted from the hourly cadence.
    assert.deepEqual(statusOf(r, l.trail.digests[2 + n - 1]), ['INVALID: not found']);
    assert.equal(r.consecutiveMissing, n - 1);
    assert.equal(r.digests.total - r.digests.valid, n);
    assert.equal(r.digests.total, 7);
    // Every missing digest has a line of its own naming its hour, and the exit line counts the same number.
    const missing = r.lines.filter((x) => x.kind === 'Digest file' && x.status.startsWith('INVALID: not found'));
    assert.equal(missing.length, n);
    for (const h of [2, 3].slice(0, n - 1)) {
      const end = new Date(Date.parse(/_(\d{8}T\d{6}Z)\.json\.gz$/.exec(l.trail.digests[h])![1].replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, '$1-$2-$3T$4:$5:$6Z'))).toISOString().slice(0, 13);
      assert.ok(missing.some((x) => x.status.includes(`hour ending about ${end}`)), `hour ${end} named in ${JSON.stringify(missing)}`);
    }
    assert.equal(r.invalid, n);
    assert.match(formatCloudTrailReport(r, { location: l.root }), new RegExp(`^${7 - n}/7 digest files valid, ${n}/7 digest files INVALID$`, 'm'));
  });
}

test('modified digest → signature verification failed; forged signature too', async () => {
  const l = await local();
  const key = l.trail.digests[3];
  const body = JSON.parse(gunzipSync(await readFile(p(l, key))).toString()) as { logFiles: unknown[] };
  body.logFiles = [];
  await writeFile(p(l, key), gzipSync(Buffer.from(JSON.stringify(body, null, 2))));
  const sigKey = l.trail.digests[1];
  await writeFile(p(l, sigKey) + '.sig.json', JSON.stringify({ signature: 'ab'.repeat(256), 'signature-algorithm': 'SHA256withRSA' }));
  const r = await run(l);
  assert.deepEqual(statusOf(r, key), ['INVALID: signature verification failed']);
  assert.deepEqual(statusOf(r, sigKey), ['INVALID: signature verification failed']);
});

test('missing signature sidecar → signature verification failed; trailing bytes on a digest → invalid format', async () => {
  const l = await local();
  await unlink(p(l, l.trail.digests[2]) + '.sig.json');
  await appendFile(p(l, l.trail.digests[4]), Buffer.from('junk'));
  const r = await run(l);
  assert.deepEqual(statusOf(r, l.trail.digests[2]), ['INVALID: signature verification failed']);
  assert.match(statusOf(r, l.trail.digests[4])[0], /^INVALID: invalid format/);
});

test('digest copied to another key → has been moved from its original location', async () => {
  const l = await local();
  const from = l.trail.digests[2];
  const to = from.replace(/T(\d{4})31Z/, (_m, hm: string) => `T${hm}01Z`);
  await rename(p(l, from), p(l, to));
  await rename(p(l, from) + '.sig.json', p(l, to) + '.sig.json');
  const r = await run(l);
  assert.deepEqual(statusOf(r, from), ['INVALID: not found']);
  assert.ok(statusOf(r, to).some((s) => s === 'INVALID: has been moved from its original location'));
});

test('bucket name checked when known; a wrong --bucket makes every digest "moved"', async () => {
  const l = await local({ hours: 2 });
  const r = await run(l, 'other-bucket');
  assert.equal(r.digests.valid, 0);
  assert.deepEqual(statusOf(r, l.trail.digests[1]), ['INVALID: has been moved from its original location']);
  // Without --bucket a local mirror checks keys only.
  assert.equal((await run(l, undefined)).digests.valid, 2);
});

test('SPKI-encoded public key loads too; an unknown fingerprint is named', async () => {
  const l = await local({ keyEncoding: 'spki', hours: 2 });
  assert.equal((await run(l)).digests.valid, 2);
  const other = await local({ hours: 1 });
  await copyFile(other.keysFile, l.keysFile);
  const r = await run(l);
  assert.match(statusOf(r, l.trail.digests[0])[0], new RegExp(`public key not found for fingerprint ${l.trail.fingerprint}`));
});

test('a restarted chain (starting digest after older ones) prints the gap note, not an error', async () => {
  const l = await local({ hours: 5 });
  // Replace digest 3 with a starting digest signed correctly: rebuild by re-signing with previous = null.
  const { sign, createHash } = await import('node:crypto');
  const key = l.trail.digests[3];
  const body = JSON.parse(gunzipSync(await readFile(p(l, key))).toString()) as Record<string, unknown>;
  for (const f of ['previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature']) body[f] = null;
  const json = Buffer.from(JSON.stringify(body));
  const sig = sign('RSA-SHA256', Buffer.from(`${body.digestEndTime}\n${BUCKET}/${key}\n${createHash('sha256').update(json).digest('hex')}\nnull`), l.trail.privateKey).toString('hex');
  await writeFile(p(l, key), gzipSync(json));
  await writeFile(p(l, key) + '.sig.json', JSON.stringify({ signature: sig, 'signature-algorithm': 'SHA256withRSA' }));
  const r = await run(l);
  // Digest 4 pins digest 3's old hash and signature: that link is reported; the gap note appears for the restart.
  assert.ok(r.lines.some((x) => x.kind === 'info' && /No log files were delivered by CloudTrail between/.test(x.status)));
  assert.match(statusOf(r, key)[0], /previousDigestHashValue/);
});

let s3: LocalS3 | undefined;
before(async () => {
  s3 = await startS3rver({ buckets: [BUCKET] });
});
after(async () => {
  await s3?.stop();
});

test('s3:// source: signatures from S3 object metadata (s3rver), key prefix honoured', async () => {
  const store = createS3Store({ bucket: BUCKET, prefix: 'trails/', client: s3!.client });
  const trail = await buildTrail(storePut(store, 'trails/'), { hours: 3, prefix: 'trails/' });
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ct-keys-'));
  made.push(dir);
  await writeFile(join(dir, 'k.json'), trail.publicKeysJson);
  const source = openCloudTrailSource(`s3://${BUCKET}/trails/`, { store });
  const r = await validateCloudTrail({ source, publicKeys: await readPublicKeysFile(join(dir, 'k.json')) });
  assert.deepEqual(invalidLines(r), []);
  assert.deepEqual(r.digests, { valid: 3, total: 3 });
  assert.ok(r.lines.some((x) => x.location === `s3://${BUCKET}/${trail.digests[0]}`));
  await store.delete(trail.logs[0][0].slice('trails/'.length));
  const r2 = await validateCloudTrail({ source, publicKeys: await readPublicKeysFile(join(dir, 'k.json')) });
  assert.deepEqual(invalidLines(r2).map((x) => x.status), ['INVALID: not found']);
});

test('memory store with metadata behaves like S3', async () => {
  const store = createMemoryStore();
  const trail = await buildTrail(storePut(store), { hours: 2 });
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ct-keys-'));
  made.push(dir);
  await writeFile(join(dir, 'k.json'), trail.publicKeysJson);
  await mkdir(dirname(join(dir, 'x')), { recursive: true });
  const r = await validateCloudTrail({ source: openCloudTrailSource(`s3://${BUCKET}`, { store }), publicKeys: await readPublicKeysFile(join(dir, 'k.json')) });
  assert.deepEqual(r.digests, { valid: 2, total: 2 });
  void ctDigestKey;
});
