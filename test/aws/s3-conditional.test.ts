import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, PutObjectLegalHoldCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { hasErrorCode } from '../../src/core/errors.js';
import { createS3Store } from '../../src/stores/drivers/s3.js';

/** An S3 service error as the SDK raises it for an HTTP status (what real S3 answers; s3rver never does). */
function s3Err(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

function setup() {
  const mock = mockClient(S3Client);
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const store = createS3Store({ bucket: 'vault-bucket', prefix: 'home/vault', client, sse: { mode: 'sse-kms', keyId: 'arn:aws:kms:us-east-1:111111111111:key/k1' } });
  return { mock, store };
}

test('put sends If-None-Match: *, SSE-KMS and Object Lock headers; a 412 becomes E_EXISTS (the race is lost, nothing overwritten)', async () => {
  const { mock, store } = setup();
  mock.on(HeadObjectCommand).rejects(s3Err('NotFound', 404));
  mock.on(PutObjectCommand).resolvesOnce({ ETag: '"e1"' }).rejectsOnce(s3Err('PreconditionFailed', 412));
  const until = new Date('2027-06-01T00:00:00Z');
  const r = await store.put('AWSLogs/1/x.alv', Buffer.from('sealed'), { lock: { mode: 'COMPLIANCE', retainUntil: until }, legalHold: true });
  assert.equal(r.etag, 'e1');
  const input = mock.commandCalls(PutObjectCommand)[0].args[0].input;
  assert.equal(input.Bucket, 'vault-bucket');
  assert.equal(input.Key, 'home/vault/AWSLogs/1/x.alv');
  assert.equal(input.IfNoneMatch, '*');
  assert.equal(input.ServerSideEncryption, 'aws:kms');
  assert.equal(input.SSEKMSKeyId, 'arn:aws:kms:us-east-1:111111111111:key/k1');
  assert.equal(input.ObjectLockMode, 'COMPLIANCE');
  assert.deepEqual(input.ObjectLockRetainUntilDate, until);
  assert.equal(input.ObjectLockLegalHoldStatus, 'ON');
  // Second writer: HEAD saw nothing (the race window), S3 refuses atomically with 412.
  await assert.rejects(store.put('AWSLogs/1/x.alv', Buffer.from('other')), (e: unknown) => hasErrorCode(e, 'E_EXISTS'));
  mock.restore();
});

test('replace sends If-Match with the quoted etag; 412 and 409 become E_CONFLICT; a stale etag is refused before any PUT', async () => {
  const { mock, store } = setup();
  mock.on(HeadObjectCommand).resolves({ ETag: '"cur"', ContentLength: 3 });
  mock.on(PutObjectCommand).resolvesOnce({ ETag: '"next"' }).rejectsOnce(s3Err('PreconditionFailed', 412)).rejectsOnce(s3Err('ConditionalRequestConflict', 409));
  const r = await store.replace('state/manifest.json', Buffer.from('{}'), { ifMatch: 'cur' });
  assert.equal(r.etag, 'next');
  assert.equal(mock.commandCalls(PutObjectCommand)[0].args[0].input.IfMatch, '"cur"');
  assert.equal(mock.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch, undefined);
  await assert.rejects(store.replace('state/manifest.json', Buffer.from('{}'), { ifMatch: 'cur' }), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
  await assert.rejects(store.replace('state/manifest.json', Buffer.from('{}'), { ifMatch: 'cur' }), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
  const puts = mock.commandCalls(PutObjectCommand).length;
  await assert.rejects(store.replace('state/manifest.json', Buffer.from('{}'), { ifMatch: 'stale' }), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
  assert.equal(mock.commandCalls(PutObjectCommand).length, puts, 'no PUT for an etag already known to be stale');
  mock.restore();
});

test('deleting a locked object: S3 answers AccessDenied, the store reports E_POLICY naming Object Lock', async () => {
  const { mock, store } = setup();
  mock.on(DeleteObjectCommand).rejects(s3Err('AccessDenied', 403));
  await assert.rejects(store.delete('AWSLogs/1/x.alv'), (e: unknown) => hasErrorCode(e, 'E_POLICY') && /Object Lock/.test((e as Error).message));
  mock.restore();
});

test('legal holds map to PutObjectLegalHold ON / OFF on the prefixed key', async () => {
  const { mock, store } = setup();
  mock.on(PutObjectLegalHoldCommand).resolves({});
  await store.setLegalHold('AWSLogs/1/x.alv', true);
  await store.setLegalHold('AWSLogs/1/x.alv', false);
  const calls = mock.commandCalls(PutObjectLegalHoldCommand).map((c) => c.args[0].input);
  assert.deepEqual(calls, [
    { Bucket: 'vault-bucket', Key: 'home/vault/AWSLogs/1/x.alv', LegalHold: { Status: 'ON' } },
    { Bucket: 'vault-bucket', Key: 'home/vault/AWSLogs/1/x.alv', LegalHold: { Status: 'OFF' } },
  ]);
  mock.restore();
});
