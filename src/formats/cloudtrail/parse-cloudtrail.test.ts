import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync, createGunzip } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import { hasErrorCode } from '../../core/errors.js';
import { createCloudTrailParser, type CloudTrailItem } from './parse-cloudtrail.js';
import { renderCloudTrailFile } from './render-cloudtrail.js';

const dir = join(repoRoot, 'test/fixtures/cloudtrail');
const expected = JSON.parse(readFileSync(join(dir, 'samples.expected.json'), 'utf8')) as { file: string; elements: number; records: number; duplicates: number };
const sampleBytes = gunzipSync(readFileSync(join(dir, expected.file)));

function parseChunks(bytes: Buffer, chunkSize: number): { items: CloudTrailItem[]; stats: { records: number; duplicates: number; malformed: number } } {
  const p = createCloudTrailParser({ source: 'test' });
  const items: CloudTrailItem[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) items.push(...p.push(bytes.subarray(i, i + chunkSize)));
  items.push(...p.end());
  return { items, stats: { ...p.stats } };
}

/** A realistic record: the kinds of values a busy trail carries, varied by i. */
function syntheticRecord(i: number): Record<string, unknown> {
  const id = `${String(i).padStart(8, '0')}-1111-4222-8333-${String(i * 7919).padStart(12, '0')}`;
  return {
    eventVersion: '1.08',
    userIdentity: i % 3 === 0
      ? { type: 'IAMUser', principalId: 'AIDAJ45Q7YFFAREXAMPLE', arn: `arn:aws:iam::111122223333:user/u${i % 17}`, accountId: '111122223333', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: `u${i % 17}` }
      : { type: 'AssumedRole', principalId: 'AROAEXAMPLE:s', arn: `arn:aws:sts::111122223333:assumed-role/R${i % 5}/s`, accountId: '111122223333', sessionContext: { sessionIssuer: { type: 'Role', userName: `R${i % 5}` }, attributes: { creationDate: '2021-08-03T00:00:00Z', mfaAuthenticated: 'false' } } },
    eventTime: new Date(Date.UTC(2021, 7, 3) + i * 1000).toISOString().replace('.000Z', 'Z'),
    eventSource: i % 2 ? 'redshift.amazonaws.com' : 's3.amazonaws.com',
    eventName: i % 2 ? 'DescribeClusters' : 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: 'aws-cli/2.2.0 Python/3.8.8 "quoted" \\ back{slash} [brackets], commas',
    ...(i % 11 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'User: x is not authorized to perform: redshift:DescribeClusters' } : {}),
    requestParameters: i % 2 ? { clusterIdentifier: `c-${i % 4}` } : { bucketName: 'b', key: `k/{${i}}/],"x"` },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: id,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

test('sample file: every element parsed, duplicate eventID dropped and counted, all fields kept', () => {
  const { items, stats } = parseChunks(sampleBytes, 65536);
  assert.deepEqual(stats, { records: expected.records, duplicates: expected.duplicates, malformed: 0 });
  assert.equal(items.length, expected.records);
  const ids = items.map((it) => (it.kind === 'record' ? it.record.eventID : null));
  assert.equal(new Set(ids).size, ids.length);
  // all fields kept: each record's text parses to exactly the record object
  for (const it of items) {
    assert.equal(it.kind, 'record');
    if (it.kind === 'record') assert.deepEqual(it.record, JSON.parse(it.text));
  }
  const first = items[0];
  assert.ok(first.kind === 'record');
  assert.equal(first.index, 0);
  assert.equal(first.offset, '{"Records":['.length);
  assert.equal(first.record.errorCode, 'TrailNotFoundException');
  const tls = items.find((it) => it.kind === 'record' && it.record.tlsDetails);
  assert.ok(tls, 'optional fields such as tlsDetails are kept');
});

test('round trip: rendering the parsed record texts gives the identical bytes', () => {
  const p = createCloudTrailParser();
  const items = [...p.push(sampleBytes), ...p.end()];
  // the file holds one duplicate, so render all elements: re-parse without dedupe by rendering texts incl. the duplicate
  const texts = items.map((it) => it.text);
  const rendered = renderCloudTrailFile(texts);
  const again = createCloudTrailParser();
  const items2 = [...again.push(Buffer.from(rendered)), ...again.end()];
  assert.deepEqual(items2.map((i) => i.text), texts);
  // without duplicates, the file is byte-identical
  const records = Array.from({ length: 50 }, (_, i) => syntheticRecord(i));
  const file = Buffer.from(renderCloudTrailFile(records));
  const q = createCloudTrailParser();
  const back = [...q.push(file), ...q.end()];
  assert.equal(renderCloudTrailFile(back.map((b) => b.text)), file.toString('utf8'));
  assert.equal(renderCloudTrailFile(back.map((b) => (b.kind === 'record' ? b.record : {}))), file.toString('utf8'));
  // the escapes CloudTrail writes (\u003c) survive a text round trip
  const keyPair = items.find((it) => it.kind === 'record' && it.record.eventName === 'CreateKeyPair');
  assert.ok(keyPair && keyPair.text.includes('\\u003csensitiveDataRemoved\\u003e'));
});

test('1000 records from a real gzip file, streamed in 1-byte and 64 KiB chunks, give identical results', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'auditlake-ct-'));
  try {
    const records = Array.from({ length: 1000 }, (_, i) => syntheticRecord(i));
    const path = join(tmp, '111122223333_CloudTrail_us-east-1_20210803T0100Z_Zz99Yy88Xx77Ww66.json.gz');
    await writeFile(path, gzipSync(renderCloudTrailFile(records)));
    const viaStream = createCloudTrailParser();
    const streamed: CloudTrailItem[] = [];
    for await (const chunk of createReadStream(path, { highWaterMark: 65536 }).pipe(createGunzip({ chunkSize: 65536 }))) streamed.push(...viaStream.push(chunk as Buffer));
    streamed.push(...viaStream.end());
    const bytes = gunzipSync(readFileSync(path));
    const one = parseChunks(bytes, 1);
    const big = parseChunks(bytes, 65536);
    assert.equal(one.items.length, 1000);
    assert.deepEqual(one.stats, { records: 1000, duplicates: 0, malformed: 0 });
    assert.deepEqual(one.items, big.items);
    assert.deepEqual(streamed, big.items);
    assert.deepEqual(big.items.map((i) => (i.kind === 'record' ? i.record : null)), records);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a digest file is rejected with a clear reason', () => {
  const digest = gunzipSync(readFileSync(join(dir, '111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz')));
  const p = createCloudTrailParser({ source: 'AWSLogs/111122223333/CloudTrail-Digest/x.json.gz' });
  assert.throws(() => { p.push(digest); p.end(); }, (err: unknown) => {
    assert.ok(hasErrorCode(err, 'E_PARSE'));
    const msg = (err as Error).message;
    assert.match(msg, /^cloudtrail: AWSLogs\/111122223333\/CloudTrail-Digest\/x\.json\.gz: not a CloudTrail log file/);
    assert.match(msg, /first member is "awsAccountId", expected "Records"/);
    assert.match(msg, /digest file/);
    return true;
  });
});

test('other non-CloudTrail inputs are named precisely', () => {
  const cases: Array<[string | Buffer, RegExp]> = [
    ['', /the file is empty/],
    ['   ', /the file is empty/],
    ['[1,2]', /expected '\{' at byte 0, found '\['/],
    ['{}', /JSON object is empty/],
    ['{"Records":{}}', /"Records" is not an array/],
    ['{"Records"', /before the "Records" array starts/],
    [gzipSync('{"Records":[]}'), /gzip magic byte/],
  ];
  for (const [input, re] of cases) {
    const p = createCloudTrailParser();
    assert.throws(() => { p.push(Buffer.from(input)); p.end(); }, re, String(input));
  }
  const empty = createCloudTrailParser();
  assert.deepEqual([...empty.push(Buffer.from('\uFEFF {"Records" : [ ] }\n')), ...empty.end()], []);
});

test('malformed JSON in the middle: that record is reported with index and offset, the following ones kept', () => {
  const recs = Array.from({ length: 6 }, (_, i) => JSON.stringify(syntheticRecord(i)));
  const variants: Array<[string, (s: string) => string, RegExp]> = [
    ['bad token, balanced', (s) => s.replace('"readOnly":true', '"readOnly":tru'), /invalid JSON/],
    ['missing closing brace', (s) => s.slice(0, -1), /resynchronised at the next record start/],
    ['unescaped quote in a string', (s) => s.replace('"awsRegion":"us-east-1"', '"awsRegion":"us-"east-1"'), /resynchronised|invalid JSON/],
    ['extra closing brace', (s) => s + '}', /unbalanced '\}'|invalid JSON/],
    ['not an object', () => '42', /not a JSON object/],
  ];
  for (const [name, spoil, reason] of variants) {
    const elements = recs.map((r, i) => (i === 2 ? spoil(r) : r));
    const file = Buffer.from(`{"Records":[${elements.join(',')}]}`);
    const offset = '{"Records":['.length + elements.slice(0, 2).join(',').length + 1;
    for (const size of [1, 7, 65536]) {
      const { items, stats } = parseChunks(file, size);
      const bad = items.filter((i) => i.kind === 'malformed');
      assert.equal(bad.length, 1, `${name}/${size}: ${JSON.stringify(bad.map((b) => b.kind === 'malformed' && b.reason))}`);
      const b = bad[0];
      assert.ok(b.kind === 'malformed');
      assert.equal(b.index, 2, name);
      assert.equal(b.offset, offset, name);
      assert.match(b.reason, new RegExp(`^record 2 at byte ${offset}: `), name);
      assert.match(b.reason, reason, name);
      const good = items.filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? i.record.eventID : ''));
      assert.deepEqual(good, [0, 1, 3, 4, 5].map((i) => syntheticRecord(i).eventID), name);
      assert.equal(stats.records, 5);
      assert.equal(stats.malformed, 1);
    }
  }
});

test('a truncated file keeps every complete record and reports the cut one', () => {
  const recs = Array.from({ length: 4 }, (_, i) => JSON.stringify(syntheticRecord(i)));
  const full = `{"Records":[${recs.join(',')}]}`;
  const cut = full.slice(0, full.length - 200);
  const { items } = parseChunks(Buffer.from(cut), 4096);
  assert.equal(items.filter((i) => i.kind === 'record').length, 3);
  const last = items[items.length - 1];
  assert.ok(last.kind === 'malformed');
  assert.equal(last.index, 3);
  assert.match(last.reason, /file ends inside this record/);
  // cut right after a complete record: the missing "]}" is reported, records kept
  const cut2 = `{"Records":[${recs.join(',')}`;
  const r2 = parseChunks(Buffer.from(cut2), 4096);
  assert.equal(r2.items.filter((i) => i.kind === 'record').length, 3, 'the last element has no terminator, so it is reported');
  const r3 = parseChunks(Buffer.from(`{"Records":[${recs.join(',')}]`), 4096);
  assert.equal(r3.items.filter((i) => i.kind === 'record').length, 4);
  assert.match(r3.items.at(-1)!.kind === 'malformed' ? (r3.items.at(-1) as { reason: string }).reason : '', /closing "\]\}"/);
  const r4 = parseChunks(Buffer.from(`{"Records":[${recs.join(',')}]} trailing`), 4096);
  assert.equal(r4.items.filter((i) => i.kind === 'record').length, 4);
  assert.match((r4.items.at(-1) as { reason: string }).reason, /unexpected bytes after the Records array/);
});

test('pretty-printed files (as in the documentation) parse too, with line numbers', () => {
  const recs = [syntheticRecord(1), syntheticRecord(2)];
  const pretty = JSON.stringify({ Records: recs }, null, 4);
  const { items } = parseChunks(Buffer.from(pretty), 100);
  assert.equal(items.length, 2);
  assert.deepEqual(items.map((i) => (i.kind === 'record' ? i.record : null)), recs);
  assert.equal(items[0].line, 3);
  assert.ok(items[1].line > items[0].line);
});

test('oversized elements are reported without being buffered', () => {
  const p = createCloudTrailParser({ maxRecordBytes: 1000 });
  const big = JSON.stringify({ ...syntheticRecord(1), userAgent: 'x'.repeat(5000) });
  const small = JSON.stringify(syntheticRecord(2));
  const file = Buffer.from(`{"Records":[${big},${small}]}`);
  const items: CloudTrailItem[] = [];
  for (let i = 0; i < file.length; i += 100) items.push(...p.push(file.subarray(i, i + 100)));
  items.push(...p.end());
  assert.equal(items.length, 2);
  assert.ok(items[0].kind === 'malformed' && /larger than 1000 bytes/.test(items[0].reason));
  assert.ok(items[0].text.length <= 1024);
  assert.equal(items[1].kind, 'record');
});
