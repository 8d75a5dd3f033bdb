import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskUrl, urlOrigin } from './mask-url.js';

test('maskUrl hides the password and keeps user, host, port and path', () => {
  const out = maskUrl('postgres://admin:s3cr%21t@db1:5432/postgres?sslmode=require');
  assert.equal(out, 'postgres://admin:***@db1:5432/postgres?sslmode=require');
  assert.doesNotMatch(out, /s3cr/);
  assert.equal(maskUrl('mariadb://root@127.0.0.1:3306/'), 'mariadb://root@127.0.0.1:3306/');
});

test('maskUrl never echoes what it cannot parse', () => {
  assert.equal(maskUrl('postgres://u:hunter2@[bad/db'), '<unparseable url>');
});

test('urlOrigin keeps only scheme and host: a webhook token in the path or query is dropped', () => {
  const out = urlOrigin('https://hooks.example.com:8443/services/T0/B0/XoXoSecretToken?key=abc123');
  assert.equal(out, 'https://hooks.example.com:8443/…');
  assert.equal(urlOrigin('https://u:pw@hooks.example.com/x'), 'https://hooks.example.com/…');
  assert.equal(urlOrigin('not a url hunter2'), '<unparseable url>');
});
