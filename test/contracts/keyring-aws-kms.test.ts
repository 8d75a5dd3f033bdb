import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { createAwsKmsKeyring } from '../../src/keyring/drivers/aws-kms.js';
import { createFakeKms } from '../helpers/fake-kms.js';
import { keyringContract } from './keyring.contract.js';

function kmsClient(fake: ReturnType<typeof createFakeKms>): KMSClient {
  return new KMSClient({
    region: 'us-east-1',
    endpoint: 'https://kms.us-east-1.amazonaws.com',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    requestHandler: fake.handler,
    maxAttempts: 1,
  });
}

keyringContract('aws-kms (SDK boundary)', async () => {
  const fake = createFakeKms();
  return { keyring: createAwsKmsKeyring({ client: kmsClient(fake) }), cleanup: async () => {} };
});

test('aws-kms: the SDK sends the exact KMS requests, signed, with the encryption context', async () => {
  const fake = createFakeKms();
  const kr = createAwsKmsKeyring({ client: kmsClient(fake), defaultKeyId: 'alias/RedshiftAuditKey' });
  await kr.create({ alias: 'alias/RedshiftAuditKey', description: 'seed 000' });
  const ctx = { 'auditlake:object': 'AWSLogs/1/redshift/us-east-1/2026/11/24/x.gz.alv' };
  const dk = await kr.generateDataKey('alias/RedshiftAuditKey', ctx);
  await kr.decrypt(dk.wrapped, ctx);
  const targets = fake.requests.map((r) => r.target);
  assert.deepEqual(targets.slice(0, 2), ['CreateKey', 'CreateAlias']);
  const gen = fake.requests.find((r) => r.target === 'GenerateDataKey')!;
  assert.deepEqual(gen.body, { KeyId: 'alias/RedshiftAuditKey', KeySpec: 'AES_256', EncryptionContext: ctx });
  assert.match(gen.headers.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/kms\/aws4_request/);
  assert.equal(gen.headers['x-amz-target'], 'TrentService.GenerateDataKey');
  const dec = fake.requests.find((r) => r.target === 'Decrypt')!;
  assert.deepEqual(dec.body, { CiphertextBlob: dk.wrapped.toString('base64'), EncryptionContext: ctx });
  assert.equal(await kr.defaultKey(), 'alias/RedshiftAuditKey');
  assert.equal((await kr.list())[0].isDefault, true);
});
