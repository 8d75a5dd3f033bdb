import { FILE_COLUMNS, VIEWS } from '../sinks/lake/schema.js';

const HIVE: Record<string, string> = { VARCHAR: 'string', TIMESTAMP: 'timestamp', BOOLEAN: 'boolean', INTEGER: 'int', BIGINT: 'bigint' };
const LOG_TYPES = ['connection', 'user', 'activity', 'api'];

export interface AthenaDdlOptions {
  /** `s3://bucket/prefix` of the lake (an S3 home's `…/lake`). */
  lakeLocation: string;
  database?: string;
  regions: string[];
  /** First day partition projection enumerates (yyyy-MM-dd). */
  since?: string;
}

/**
 * Glue database + one external table per view over the lake, with partition projection so neither a crawler nor
 * MSCK REPAIR is ever needed: log_type/region enum, account injected (an organisation has too many for an enum),
 * date a daily date range up to NOW. Partition columns are strings (account ids may start with 0).
 */
export function athenaDdl(o: AthenaDdlOptions): string[] {
  const db = o.database ?? 'auditlake';
  const loc = o.lakeLocation.replace(/\/+$/, '');
  const cols = FILE_COLUMNS.map(([n, t]) => `  \`${n}\` ${HIVE[t] ?? 'string'}`).join(',\n');
  const out = [`CREATE DATABASE IF NOT EXISTS ${db}`];
  for (const v of VIEWS) {
    const types = v.logType ? [v.logType] : LOG_TYPES;
    const parts = ['`log_type` string', '`account` string', '`region` string', '`date` string'];
    out.push(`CREATE EXTERNAL TABLE IF NOT EXISTS ${db}.${v.name} (\n${cols}\n)
PARTITIONED BY (${parts.join(', ')})
STORED AS PARQUET
LOCATION '${loc}/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.log_type.type'='enum',
  'projection.log_type.values'='${types.join(',')}',
  'projection.account.type'='injected',
  'projection.region.type'='enum',
  'projection.region.values'='${o.regions.join(',')}',
  'projection.date.type'='date',
  'projection.date.format'='yyyy-MM-dd',
  'projection.date.range'='${o.since ?? '2015-01-01'},NOW',
  'projection.date.interval'='1',
  'projection.date.interval.unit'='DAYS',
  'storage.location.template'='${loc}/log_type=\${log_type}/account=\${account}/region=\${region}/date=\${date}/',
  'parquet.compression'='ZSTD'
)`);
  }
  return out;
}
