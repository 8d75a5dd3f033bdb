import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import type { Lake } from '../../src/core/lake.js';
import { athenaDdl } from '../../src/aws/athena-ddl.js';
import { reportEvents } from '../report/report-events.js';

/**
 * The Athena DDL against the lake's real files: every Parquet file the lake writes lies on the DDL's
 * storage.location.template with values the projection enumerates; DuckDB reading exactly those projection paths
 * (Hive partitions typed as the DDL declares them) sees the DDL's columns with the DDL's types; and an account id
 * with a leading 0 survives as the string it is.
 */
const ACCOUNT = '012345678901';
const REGIONS = ['us-east-1', 'eu-west-1'];
const DUCK: Record<string, string> = { string: 'VARCHAR', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN', int: 'INTEGER', bigint: 'BIGINT' };
let dir: string;
let lakeRoot: string;
let lake: Lake;

function files(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.parquet') ? [join(d, e.name)] : []));
}

function parseTable(ddl: string) {
  const cols = [...(/\(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(ddl)?.[1] ?? '').matchAll(/`(\w+)` (\w+)/g)].map((m) => [m[1], m[2]] as const);
  const parts = [...(/PARTITIONED BY \(([^)]*)\)/.exec(ddl)?.[1] ?? '').matchAll(/`(\w+)` (\w+)/g)].map((m) => [m[1], m[2]] as const);
  const prop = (k: string) => new RegExp(`'${k.replace(/\./g, '\\.')}'='([^']*)'`).exec(ddl)?.[1];
  return { name: /EXISTS auditlake\.(\w+)/.exec(ddl)?.[1] ?? '', cols, parts, prop };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auditlake-ddl-files-'));
  lakeRoot = join(dir, 'lake');
  lake = await openLake({ root: lakeRoot });
  const batch = lake.beginBatch();
  for (const [i, e] of reportEvents().entries()) await batch.add({ ...e, account: ACCOUNT, region: REGIONS[i % 2] ?? 'us-east-1' });
  await batch.commit([{ store: 'test://ddl', key: 'events', etag: '1', size: 1 }]);
});
after(async () => {
  await lake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('athena-ddl: real lake files lie on the projection template; DuckDB over the projection paths sees the DDL columns and types', async () => {
  const ddl = athenaDdl({ lakeLocation: 's3://home-bucket/prod/lake/', regions: REGIONS, since: '2026-01-01' }).slice(1).map(parseTable);
  assert.deepEqual(ddl.map((t) => t.name), ['events', 'connections', 'user_changes', 'activity', 'api_calls']);
  const real = files(lakeRoot).map((f) => relative(lakeRoot, f).split(sep).join('/'));
  assert.ok(real.length >= 4, `lake wrote ${real.length} files`);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  for (const t of ddl) {
    assert.deepEqual(t.parts, [['log_type', 'string'], ['account', 'string'], ['region', 'string'], ['date', 'string']], `${t.name}: partitions are strings`);
    const template = t.prop('storage.location.template') ?? '';
    assert.ok(template.startsWith('s3://home-bucket/prod/lake/log_type=${log_type}/'), template);
    const logTypes = (t.prop('projection.log_type.values') ?? '').split(',');
    const regions = (t.prop('projection.region.values') ?? '').split(',');
    const onTemplate = new RegExp(`^${template.slice('s3://home-bucket/prod/lake/'.length).replace(/\$\{(\w+)\}/g, '(?<$1>[^/]+)')}[^/]+\\.parquet$`);
    const mine = real.filter((f) => logTypes.includes(/^log_type=([^/]+)/.exec(f)?.[1] ?? ''));
    assert.ok(mine.length > 0, `${t.name}: files for ${logTypes.join(',')}`);
    for (const f of real) {
      const m = onTemplate.exec(f);
      assert.ok(m?.groups, `${f} is not on ${template}`);
      assert.ok(regions.includes(m.groups.region ?? ''), `${f}: region in the projection enum`);
      assert.match(m.groups.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `${f}: date as projection.date.format yyyy-MM-dd`);
      assert.ok(m.groups.date! >= '2026-01-01', `${f}: date inside projection.date.range`);
    }
    // DuckDB reads exactly the projection's paths: the template with the enums spelled out and `account` injected.
    const paths = logTypes.flatMap((lt) => regions.map((r) => join(lakeRoot, `log_type=${lt}`, `account=${ACCOUNT}`, `region=${r}`, 'date=*', '*.parquet')));
    const hiveTypes = `{${t.parts.map(([n]) => `'${n}': VARCHAR`).join(', ')}}`;
    const src = `read_parquet([${paths.map((p) => `'${p}'`).join(', ')}], hive_partitioning = true, hive_types = ${hiveTypes}, union_by_name = true)`;
    const described = (await (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowsJS()).map((r) => [String(r[0]), String(r[1])]);
    const expected = [...t.cols.map(([n, ty]) => [n, DUCK[ty] ?? '?']), ...t.parts.map(([n]) => [n, 'VARCHAR'])];
    assert.deepEqual(described.sort(), expected.sort(), `${t.name}: file schema = DDL columns`);
    const rows = (await (await db.runAndReadAll(`SELECT DISTINCT account, count(*) OVER () FROM ${src}`)).getRowsJS());
    assert.deepEqual(rows.map((r) => r[0]), [ACCOUNT], `${t.name}: account keeps its leading 0`);
    assert.equal(Number(rows[0]?.[1]), Number((await lake.query(`SELECT count(*) FROM read_parquet('${join(lakeRoot, '**', '*.parquet')}', hive_partitioning = true) WHERE log_type IN (${logTypes.map((l) => `'${l}'`).join(',')})`)).rows[0]?.[0]), `${t.name}: the projection paths reach every row of its log types`);
  }
  db.closeSync();
});
