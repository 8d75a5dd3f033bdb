import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStatement } from './classify-statement.js';

const CASES: Array<[string, string, string | null]> = [
  ['select 1', 'SELECT', null],
  ['SELECT d.datname as "Name" FROM pg_catalog.pg_database d', 'SELECT', 'pg_catalog.pg_database'],
  ["create user bob password 'md5abc'", 'CREATE USER', 'bob'],
  ['ALTER USER "Alice" RENAME TO b', 'ALTER USER', 'Alice'],
  ['drop user testuser3', 'DROP USER', 'testuser3'],
  ['create group analysts', 'CREATE GROUP', 'analysts'],
  ['CREATE TABLE Messages(id varchar(3), message varchar(255))', 'CREATE', 'Messages'],
  ['create table SumoProdbackUp.organization as\n (select * from SumoProd.simpleuser)', 'CREATE', 'SumoProdbackUp.organization'],
  ['INSERT INTO public.messages(id, message) VALUES(\'0\',\'Message0\');', 'INSERT', 'public.messages'],
  ['/* client */ -- note\n  DELETE FROM SumoProd.employee WHERE id = 38;', 'DELETE', 'SumoProd.employee'],
  ['update sales set qty = 1', 'UPDATE', 'sales'],
  ['GRANT SELECT ON t TO GROUP analysts', 'GRANT', 'analysts'],
  ['revoke all on schema s from bob', 'REVOKE', 'bob'],
  ["COPY venue FROM 's3://bucket/x' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=B'", 'COPY', 'venue'],
  ['drop table if exists "My"."T"', 'DROP', 'My.T'],
  ['TRUNCATE TABLE t1', 'TRUNCATE', 't1'],
  ['SET query_group to \'health\'', 'SET', null],
  ['(select 1)', 'SELECT', null],
  ['', 'UNKNOWN', null],
  ['   -- only a comment', 'UNKNOWN', null],
];

test('verb and object of typical Redshift statements', () => {
  for (const [sql, action, object] of CASES) {
    assert.deepEqual(classifyStatement(sql), { action, object }, sql);
  }
});
