import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTrino } from './trino-dialect.js';

test('toTrino: the DuckDB-only constructs of the report become Trino', () => {
  assert.equal(toTrino('WITH t AS MATERIALIZED (SELECT 1) SELECT * FROM t'), 'WITH t AS (SELECT 1) SELECT * FROM t');
  assert.equal(toTrino("SELECT strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first"), "SELECT date_format(min(time), '%Y-%m-%dT%H:%i:%sZ') AS first");
  assert.equal(toTrino("regexp_matches(upper(action), '^GRANT')"), "regexp_like(upper(action), '^GRANT')");
  assert.equal(toTrino("json_extract_string(raw, '$.readOnly')"), "json_extract_scalar(raw, '$.readOnly')");
  assert.equal(toTrino(`string_agg(DISTINCT coalesce("user", '(unknown)'), ', ') AS users`), `array_join(array_agg(DISTINCT coalesce("user", '(unknown)')), ', ') AS users`);
  assert.equal(toTrino("strftime(time_bucket(INTERVAL 10 MINUTE, time), '%H:%M')"), "date_format(from_unixtime(floor(to_unixtime(time) / 600) * 600), '%H:%i')");
  assert.equal(toTrino('time > now() - INTERVAL 2 DAY'), "time > now() - INTERVAL '2' DAY");
});

test('toTrino: literals and quoted identifiers are never rewritten', () => {
  const s = `SELECT 'strftime(x) AS MATERIALIZED (' AS "string_agg(", statement FROM activity WHERE statement = 'regexp_matches('`;
  assert.equal(toTrino(s), s);
});
