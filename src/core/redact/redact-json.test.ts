import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, redactJson } from './redact-json.js';

test('secret-named members are masked at any depth, other strings go through redactSecrets', () => {
  const input = {
    requestParameters: { clusterIdentifier: 'c1', masterUserPassword: 'clear-pw', nested: [{ SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }] },
    responseElements: { credentials: { accessKeyId: 'ASIAY34FZKBOKMUTVV7A', sessionToken: 'IQoJtoken', expiration: 'Jan 1, 2027 12:00:00 AM' } },
    sql: "CREATE USER u PASSWORD 'in-sql'",
    count: 3,
    ok: true,
    none: null,
  };
  const out = redactJson(input);
  assert.deepEqual(out, {
    requestParameters: { clusterIdentifier: 'c1', masterUserPassword: '***', nested: [{ SecretAccessKey: '***' }] },
    responseElements: { credentials: { accessKeyId: 'ASIAY34FZKBOKMUTVV7A', sessionToken: '***', expiration: 'Jan 1, 2027 12:00:00 AM' } },
    sql: "CREATE USER u PASSWORD '***'",
    count: 3,
    ok: true,
    none: null,
  });
  assert.equal(input.requestParameters.masterUserPassword, 'clear-pw', 'the input is not modified');
});

test('names that only talk about a secret, and CloudTrail markers, are kept; unchanged input is returned as is', () => {
  const input = { passwordLastUsed: 'Aug 1, 2021', passwordResetRequired: 'false', secretArn: 'arn:aws:secretsmanager:x', masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS', keyMaterial: '<sensitiveDataRemoved>' };
  assert.equal(redactJson(input), input);
  assert.equal(isSecretKey('adminUserPassword'), true);
  assert.equal(isSecretKey('passwordLastUsed'), false);
  assert.equal(isSecretKey('manageMasterUserPassword'), false);
});
