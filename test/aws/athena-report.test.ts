import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type ColumnInfo, type Row } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import type { Lake, QueryResult } from '../../src/core/lake.js';
import { buildReport, DEFAULT_REPORT_OPTIONS } from '../../src/report/build-report.js';
import type { ReportData, ReportOptions } from '../../src/report/types.js';
import { runAthenaQuery } from '../../src/aws/athena/run-athena-query.js';
import { reportEvents } from '../report/report-events.js';

/**
 * The report built from Athena's answers must be the report built from DuckDB's. Athena is answered by
 * aws-sdk-client-mock from a DuckDB run of the very SQL it was sent, serialised exactly as Athena serialises a
 * result set (every value as VarCharValue text, NULL as an empty Datum, a header row, TIMESTAMP as
 * `yyyy-MM-dd HH:mm:ss.SSS`, pages of PAGE rows chained by NextToken), so the typing and paging of
 * src/aws/athena decide whether the two reports agree.
 */
const PAGE = 3;
let dir: string;
let lake: Lake;
const options: ReportOptions = { ...DEFAULT_REPORT_OPTIONS, month: '2026-10', framework: 'pci-dss' };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function athenaType(values: unknown[]): string {
  const v = values.find((x) => x !== null && x !== undefined);
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string' && values.every((x) => x === null || (typeof x === 'string' && ISO.test(x)))) return 'timestamp';
  return 'varchar';
}

function athenaText(v: unknown, type: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (type === 'timestamp') return String(v).replace('T', ' ').replace('Z', '');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function toAthenaPages(r: QueryResult): { columns: ColumnInfo[]; rows: Row[] } {
  const columns = r.columns.map((c, i) => ({ Name: c, Label: c, Type: athenaType(r.rows.map((row) => row[i])) }));
  const rows = [{ Data: r.columns.map((c) => ({ VarCharValue: c })) }, ...r.rows.map((row) => ({ Data: row.map((v, i) => { const t = athenaText(v, columns[i].Type); return t === undefined ? {} : { VarCharValue: t }; }) }))];
  return { columns, rows };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auditlake-athena-report-'));
  lake = await openLake({ root: join(dir, 'lake') });
  const batch = lake.beginBatch();
  for (const e of reportEvents()) await batch.add(e);
  await batch.commit([{ store: 'test://report', key: 'events', etag: '1', size: 1 }]);
});
after(async () => {
  await lake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('report: Athena engine (paged, typed from text) gives the same report as DuckDB', async () => {
  const mock = mockClient(AthenaClient);
  const results = new Map<string, { columns: ColumnInfo[]; rows: Row[] }>();
  let n = 0;
  mock.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
    const id = `q-${++n}`;
    results.set(id, toAthenaPages(await lake.query(input.QueryString)));
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } });
  let pages = 0;
  mock.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string; NextToken?: string }) => {
    const r = results.get(input.QueryExecutionId);
    assert.ok(r, `results of ${input.QueryExecutionId}`);
    const at = Number(input.NextToken ?? 0);
    pages++;
    return { ResultSet: { ResultSetMetadata: { ColumnInfo: r.columns }, Rows: r.rows.slice(at, at + PAGE) }, ...(at + PAGE < r.rows.length ? { NextToken: String(at + PAGE) } : {}) };
  });
  const client = new AthenaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const strip = (d: ReportData) => ({ ...d, generatedAt: '' });
  const viaDuck = strip(await buildReport((sql) => lake.query(sql), options));
  const viaAthena = strip(await buildReport((sql) => runAthenaQuery({ client, database: 'auditlake', pollMs: 1 }, sql), options));
  assert.ok(n >= 10, `the report ran ${n} queries through Athena`);
  assert.ok(pages > n, `results were paged (${pages} pages for ${n} queries)`);
  assert.ok(viaDuck.totals.events > 0);
  assert.deepEqual(viaAthena, viaDuck);
  mock.restore();
});
