import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditlakeError } from '../../core/errors.js';
import { runAthenaQuery } from './run-athena-query.js';
import { applyAthenaDdl } from './apply-ddl.js';
import { athenaDdl } from '../athena-ddl.js';

const COLS = [{ Name: 'user', Label: 'user', Type: 'varchar' }, { Name: 'n', Label: 'n', Type: 'bigint' }, { Name: 'ok', Label: 'ok', Type: 'boolean' }, { Name: 't', Label: 't', Type: 'timestamp' }, { Name: 'r', Label: 'r', Type: 'double' }];
const row = (...v: (string | undefined)[]) => ({ Data: v.map((x) => (x === undefined ? {} : { VarCharValue: x })) });

function setup() {
  const mock = mockClient(AthenaClient);
  const client = new AthenaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return { mock, o: { client, database: 'auditlake', workgroup: 'audit', outputLocation: 's3://results/q/', kmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/k', pollMs: 1, maxPollMs: 2 } };
}
const names = (mock: ReturnType<typeof mockClient>) => mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace('Command', ''));

test('athena: exact API sequence, workgroup/output/KMS, header row dropped, three pages joined, values typed', async () => {
  const { mock, o } = setup();
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  mock.on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' }, StatementType: 'DML' } })
    .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' }, StatementType: 'DML' } })
    .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } });
  mock.on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined }).resolves({
    ResultSet: { ResultSetMetadata: { ColumnInfo: COLS }, Rows: [row('user', 'n', 'ok', 't', 'r'), row('alice', '9007199254740993', 'true', '2026-10-05 08:00:00.000', '0.5')] }, NextToken: 'p2',
  });
  mock.on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'p2' }).resolves({ ResultSet: { Rows: [row('bob', '2', 'false', '2026-10-05 09:00:00.123', undefined)] }, NextToken: 'p3' });
  mock.on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'p3' }).resolves({ ResultSet: { Rows: [row(undefined, '3', undefined, undefined, '1')] } });
  const r = await runAthenaQuery(o, 'SELECT 1');
  assert.deepEqual(names(mock), ['StartQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'GetQueryResults', 'GetQueryResults']);
  assert.deepEqual(mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input, {
    QueryString: 'SELECT 1', QueryExecutionContext: { Database: 'auditlake' }, WorkGroup: 'audit',
    ResultConfiguration: { OutputLocation: 's3://results/q/', EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: o.kmsKey } },
  });
  assert.deepEqual(mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken), [undefined, 'p2', 'p3']);
  assert.deepEqual(r.columns, ['user', 'n', 'ok', 't', 'r']);
  assert.deepEqual(r.rows, [
    ['alice', 9007199254740993n, true, '2026-10-05T08:00:00.000Z', 0.5],
    ['bob', 2n, false, '2026-10-05T09:00:00.123Z', null],
    [null, 3n, null, null, 1],
  ]);
});

test('athena: a failed query surfaces Athena\'s reason as E_QUERY and fetches no results', async () => {
  const { mock, o } = setup();
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
  mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved", AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false } } } });
  await assert.rejects(runAthenaQuery(o, 'SELECT nope FROM events'), (e: unknown) =>
    e instanceof AuditlakeError && e.code === 'E_QUERY' && /q-2 failed: COLUMN_NOT_FOUND.*'nope'.*error type 1006/.test(e.message));
  assert.deepEqual(names(mock), ['StartQueryExecution', 'GetQueryExecution']);
});

test('athena: on timeout the query is stopped in Athena (StopQueryExecution) and E_TIMEOUT thrown', async () => {
  const { mock, o } = setup();
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
  mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
  mock.on(StopQueryExecutionCommand).resolves({});
  await assert.rejects(runAthenaQuery(o, 'SELECT 1', { timeoutMs: 30 }), (e: unknown) => e instanceof AuditlakeError && e.code === 'E_TIMEOUT' && /stopped in Athena/.test(e.message));
  assert.deepEqual(mock.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input), [{ QueryExecutionId: 'q-3' }]);
  assert.equal(mock.commandCalls(GetQueryResultsCommand).length, 0);
});

test('athena: an abort (SIGINT) stops the running query', async () => {
  const { mock, o } = setup();
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-4' });
  mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
  mock.on(StopQueryExecutionCommand).resolves({});
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(runAthenaQuery({ ...o, pollMs: 5000, maxPollMs: 5000 }, 'SELECT 1', { signal: ac.signal }), (e: unknown) => e instanceof AuditlakeError && /interrupted/.test(e.message));
  assert.equal(mock.commandCalls(StopQueryExecutionCommand).length, 1);
});

test('athena-ddl --apply: database first, then one table per view, each a StartQueryExecution of the printed DDL', async () => {
  const { mock, o } = setup();
  let n = 0;
  mock.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `d-${++n}` }));
  mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DDL' } });
  mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  const ddl = athenaDdl({ lakeLocation: 's3://lake/home/lake', regions: ['eu-west-1'] });
  assert.equal(await applyAthenaDdl(o, ddl), ddl.length);
  const sent = mock.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
  assert.deepEqual(sent, ddl);
  assert.match(sent[0] ?? '', /^CREATE DATABASE IF NOT EXISTS auditlake$/);
  assert.ok(sent.slice(1).every((s) => /^CREATE EXTERNAL TABLE IF NOT EXISTS auditlake\./.test(s ?? '')));
});

test('athena: an SDK error (InvalidRequestException) becomes E_QUERY naming the call and Athena\'s message', async () => {
  const { mock, o } = setup();
  const err = Object.assign(new Error('line 1:1: mismatched input'), { name: 'InvalidRequestException' });
  mock.on(StartQueryExecutionCommand).rejects(err);
  await assert.rejects(runAthenaQuery(o, 'SELEC 1'), (e: unknown) => e instanceof AuditlakeError && e.code === 'E_QUERY' && /StartQueryExecution failed: InvalidRequestException: line 1:1/.test(e.message));
});
