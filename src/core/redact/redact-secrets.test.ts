import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import { containsSecret, mayContainSecret, redactSecrets } from './redact-secrets.js';

interface Case {
  note: string;
  text: string;
  secrets: string[];
  keep: string[];
}
const corpus = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/secrets-corpus.json'), 'utf8')) as {
  positive: Case[];
  negative: string[];
};

test('corpus is large enough to mean something', () => {
  assert.ok(corpus.positive.length >= 40, `only ${corpus.positive.length} positive cases`);
  assert.ok(corpus.negative.length >= 15);
});

for (const c of corpus.positive) {
  test(`redacts: ${c.note}`, () => {
    const out = redactSecrets(c.text);
    for (const s of c.secrets) assert.ok(!out.includes(s), `secret ${JSON.stringify(s)} survived in ${JSON.stringify(out)}`);
    for (const k of c.keep) assert.ok(out.includes(k), `expected ${JSON.stringify(k)} in ${JSON.stringify(out)}`);
    assert.equal(redactSecrets(out), out, 'redaction is idempotent');
    assert.ok(containsSecret(c.text));
    assert.ok(mayContainSecret(c.text), 'the cheap pre-check must never miss a secret');
  });
}

test('mayContainSecret is false for ordinary records (so callers can skip work)', () => {
  assert.equal(mayContainSecret('{"userIdentity":{"accessKeyId":"ASIAY34FZKBOKMUTVV7A"},"eventName":"DescribeClusters"}'), false);
  assert.equal(mayContainSecret('SELECT 1'), false);
  assert.equal(mayContainSecret('{"sql":"ALTER USER x PASSWORD\\n\'pw\'"}'), true);
});

test('negative corpus: statements without secrets are unchanged', () => {
  for (const t of corpus.negative) assert.equal(redactSecrets(t), t);
});

test('is cheap on text without trigger words (pre-check)', () => {
  const stmt = 'SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.day = current_date';
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < 200_000; i++) n += redactSecrets(stmt).length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(n > 0);
  // 200k statements of ~110 bytes: must stay far above 30 MB/s.
  assert.ok(ms < 1500, `took ${ms} ms`);
});

test('no catastrophic backtracking on long hostile input', () => {
  const hostile = "ALTER USER x PASSWORD '" + "\\'".repeat(20_000) + ' IDENTIFIED BY ' + "''".repeat(20_000);
  const t0 = Date.now();
  const out = redactSecrets(hostile);
  assert.ok(Date.now() - t0 < 2000);
  assert.ok(out.length < hostile.length);
});
