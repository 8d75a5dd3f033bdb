import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditlakeError } from '../../core/errors.js';
import { connectPostgres } from './connect.js';

// No server needed: both failures happen before (or at) the connection attempt.
test('a malformed postgres URL is a usage error that does not echo the password', async () => {
  await assert.rejects(connectPostgres('postgres://admin:hunter2@[bad/db'), (err: unknown) => {
    assert.ok(err instanceof AuditlakeError);
    assert.equal(err.code, 'E_USAGE');
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});

test('a refused connection names the masked URL, never the password', async () => {
  await assert.rejects(connectPostgres('postgres://admin:hunter2@127.0.0.1:1/db'), (err: unknown) => {
    assert.ok(err instanceof AuditlakeError);
    assert.equal(err.code, 'E_DB');
    assert.match(err.message, /postgres:\/\/admin:\*\*\*@127\.0\.0\.1:1\/db: cannot connect/);
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});
