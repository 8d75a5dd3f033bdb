import type { UserLogRecord } from '../formats/redshift/user-log/record.js';
import type { Rng } from './prng.js';
import type { SecretBag } from './secrets.js';

/** One statement a simulated session runs. */
export interface Stmt {
  sql: string;
  /** The statement carries a planted secret in clear. */
  secret?: boolean;
  /**
   * Redshift's rewritten form, logged right after the original with the same pid and xid (JDBC inserts;
   * research/formats.md A.6 "Duplicates").
   */
  rewritten?: string;
}

/** A statement plus, for user-management statements, the user-log row Redshift writes for it. */
export interface PlannedStmt extends Stmt {
  change?: (time: number, pid: string, xid: string) => UserLogRecord;
}

const SCHEMAS = ['sales', 'finance', 'marketing', 'events', 'analytics', 'staging'] as const;
const TABLES = ['orders', 'customers', 'line_items', 'sessions', 'page_views', 'invoices', 'campaigns', 'products', 'refunds', 'payments'] as const;
const COLS = ['id', 'customer_id', 'order_id', 'amount', 'created_at', 'updated_at', 'status', 'region', 'email', 'sku', 'qty', 'price', 'event_type', 'channel'] as const;
const CITIES = ['Berlin', 'München', 'São Paulo', 'Zürich', 'Kraków', 'Toronto', 'Osaka', 'Lyon'] as const;

const table = (rng: Rng): string => `${rng.pick(SCHEMAS)}.${rng.pick(TABLES)}`;
const col = (rng: Rng): string => rng.pick(COLS);
const day = (rng: Rng): string => `'2026-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}'`;
const bucketPath = (rng: Rng): string => `s3://acme-datalake-raw/${rng.pick(TABLES)}/dt=2026-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}/`;

/** Ad-hoc analyst queries: one-liners, formatted multi-line joins, DDL on scratch tables, a non-ASCII literal. */
export function humanStatement(rng: Rng, user: string): Stmt {
  const r = rng.next();
  if (r < 0.3) {
    const n = rng.int(1, 5);
    const cols = Array.from({ length: n }, () => col(rng)).join(', ');
    return { sql: `select ${cols} from ${table(rng)} where ${col(rng)} >= ${day(rng)} limit ${rng.pick([10, 100, 500, 1000])};` };
  }
  if (r < 0.5) {
    // Formatted the way SQL clients send it: raw newlines, indentation, a trailing comment.
    return {
      sql:
        `SELECT c.${col(rng)},\n       count(*) AS n,\n       sum(o.amount) AS total\n` +
        `FROM ${table(rng)} o\n  JOIN ${table(rng)} c ON c.id = o.customer_id\n` +
        `WHERE o.created_at >= ${day(rng)}\n  AND c.region = '${rng.pick(['emea', 'amer', 'apac'])}' -- ${user}'s ad-hoc check\n` +
        `GROUP BY 1\nORDER BY 3 DESC;`,
    };
  }
  if (r < 0.6) return { sql: `select count(*) from ${table(rng)} where city = '${rng.pick(CITIES)}';` };
  if (r < 0.67) return { sql: `create table analytics.tmp_${user.replace(/\W/g, '_')}_${rng.int(1, 999)} as select * from ${table(rng)} where ${col(rng)} is not null;` };
  if (r < 0.72) return { sql: `drop table if exists analytics.tmp_${user.replace(/\W/g, '_')}_${rng.int(1, 999)};` };
  if (r < 0.76) return { sql: `alter table ${table(rng)} add column ${col(rng)}_v${rng.int(2, 9)} varchar(256);` };
  if (r < 0.82) {
    // A continuation line that contains ` LOG: ` and starts with a quote-ish value: must not start a record.
    return {
      sql:
        `insert into staging.app_messages (ts, message)\nvalues\n` +
        `('2026-10-0${rng.int(1, 9)}T10:00:00Z', 'worker-${rng.int(1, 9)} LOG: retry ${rng.int(1, 5)} of 5'),\n` +
        `('2026-10-0${rng.int(1, 9)}T10:00:05Z', 'it''s done');`,
    };
  }
  if (r < 0.85) {
    const id = rng.int(1, 99999);
    return { sql: `INSERT INTO staging.notes VALUES('${id}', 'note ${id}')`, rewritten: `INSERT INTO staging.notes(id, note) VALUES('${id}','note ${id}');` };
  }
  if (r < 0.88) return { sql: 'show search_path;' };
  if (r < 0.94) return { sql: `update ${table(rng)} set status = '${rng.pick(['shipped', 'cancelled', 'pending'])}' where id = ${rng.int(1, 9999999)};` };
  return { sql: rng.pick(['BEGIN;', 'COMMIT;', 'ROLLBACK;', 'select 1;', 'select current_user;']) };
}

/** The hourly loader: BEGIN, COPY (IAM role, now and then with static keys in CREDENTIALS), INSERT…SELECT, COMMIT. */
export function etlStatements(rng: Rng, secrets: SecretBag, withSecret: boolean): Stmt[] {
  const out: Stmt[] = [{ sql: 'BEGIN;' }];
  const copies = rng.int(1, 4);
  for (let i = 0; i < copies; i++) {
    const target = table(rng);
    if (withSecret && i === 0) {
      out.push({
        sql:
          `COPY ${target} FROM '${bucketPath(rng)}' CREDENTIALS ` +
          `'aws_access_key_id=${secrets.accessKeyId(rng)};aws_secret_access_key=${secrets.secretAccessKey(rng)}' ` +
          `CSV GZIP IGNOREHEADER 1 TIMEFORMAT 'auto';`,
        secret: true,
      });
    } else {
      out.push({ sql: `COPY ${target} FROM '${bucketPath(rng)}' IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopy' FORMAT AS PARQUET;` });
    }
  }
  out.push({ sql: `INSERT INTO ${table(rng)} SELECT * FROM staging.${rng.pick(TABLES)}_load WHERE loaded_at > getdate() - interval '1 hour';` });
  out.push({ sql: 'COMMIT;' });
  if (rng.chance(0.2)) out.push({ sql: `ANALYZE ${table(rng)};` });
  return out;
}

/** Nightly dbt models: long multi-line CTAS with a JSON comment, then a rename swap. */
export function dbtStatement(rng: Rng): Stmt {
  const model = `${rng.pick(TABLES)}_${rng.pick(['daily', 'weekly', 'rollup', 'snapshot'])}`;
  if (rng.chance(0.25)) return { sql: `alter table analytics.${model}__dbt_tmp rename to ${model};` };
  return {
    sql:
      `/* {"app": "dbt", "dbt_version": "1.8.7", "node_id": "model.acme.${model}"} */\n` +
      `create table analytics.${model}__dbt_tmp as (\n` +
      `  with src as (\n    select *\n    from ${table(rng)}\n    where ${col(rng)} > ${day(rng)}\n  ),\n` +
      `  agg as (\n    select ${col(rng)}, count(*) as n, sum(amount) as total\n    from src\n    group by 1\n  )\n` +
      `  select * from agg\n);`,
  };
}

/** Airflow unloads; some still pass static keys and a session token. */
export function airflowStatements(rng: Rng, secrets: SecretBag, withSecret: boolean): Stmt[] {
  const src = table(rng);
  const unload: Stmt = withSecret
    ? {
        sql:
          `UNLOAD ('select * from ${src} where created_at >= ''2026-01-01''') TO 's3://acme-exports/${rng.pick(TABLES)}/' ` +
          `ACCESS_KEY_ID '${secrets.accessKeyId(rng)}' SECRET_ACCESS_KEY '${secrets.secretAccessKey(rng)}' ` +
          `SESSION_TOKEN '${secrets.sessionToken(rng)}' PARQUET ALLOWOVERWRITE;`,
        secret: true,
      }
    : { sql: `UNLOAD ('select * from ${src}') TO 's3://acme-exports/${rng.pick(TABLES)}/' IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftUnload' PARQUET ALLOWOVERWRITE;` };
  return [{ sql: "SET query_group TO 'airflow';" }, unload, { sql: `VACUUM DELETE ONLY ${src};` }];
}

/** BI tool queries (Looker, Tableau): the bulk of the activity log, most of them multi-line. */
export function biStatement(rng: Rng, tool: string): Stmt {
  const r = rng.next();
  if (r < 0.08) {
    const n = rng.int(3, 9);
    const cols = Array.from({ length: n }, () => `    ${rng.pick(['o', 'c'])}.${col(rng)}`).join(',\n');
    return {
      sql:
        `-- ${tool} Query Context '{"user_id":${rng.int(1, 400)},"history_slug":"${rng.hex(32)}","instance_slug":"${rng.hex(16)}"}'\n` +
        `SELECT\n${cols},\n    COUNT(DISTINCT o.id) AS "orders.count"\n` +
        `FROM ${table(rng)} AS o\nLEFT JOIN ${table(rng)} AS c ON o.customer_id = c.id\n` +
        `WHERE (o.created_at >= TIMESTAMP ${day(rng)} AND o.created_at < TIMESTAMP ${day(rng)})\n` +
        `GROUP BY ${Array.from({ length: n }, (_, i) => i + 1).join(',')}\nORDER BY ${n + 1} DESC\nLIMIT ${rng.pick([500, 5000])}`,
    };
  }
  if (r < 0.6) return { sql: `SELECT ${col(rng)}, SUM(amount) AS total FROM ${table(rng)} WHERE region IN ('emea','amer') AND ${col(rng)} BETWEEN ${day(rng)} AND ${day(rng)} GROUP BY 1 ORDER BY 2 DESC LIMIT 100;` };
  if (r < 0.72) return { sql: `SET query_group TO '${tool.toLowerCase()}';` };
  if (r < 0.9) return { sql: `SELECT * FROM ${table(rng)} WHERE id IN (${Array.from({ length: rng.int(2, 12) }, () => rng.int(1, 999999)).join(',')});` };
  return { sql: 'SELECT pg_backend_pid();' };
}

/** What the internal superuser runs: health checks and catalog polls (the noise in every real file). */
export function rdsdbStatements(rng: Rng): Stmt[] {
  const r = rng.next();
  if (r < 0.5) {
    return [
      { sql: "SET query_group to 'health';" },
      { sql: 'select system_status from stv_gui_status;' },
      { sql: 'SELECT pg_catalog.stv_gui_status.system_status AS system_status FROM pg_catalog.stv_gui_status;' },
    ];
  }
  if (r < 0.8) return [{ sql: 'set statement_timeout to 0;' }, { sql: `Select * from pg_internal.redshift_auto_health_check_${rng.int(1000000, 9999999)};` }];
  return [
    {
      sql:
        'SELECT d.datname as "Name",\n       u.usename as "Owner",\n       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding"\n' +
        'FROM pg_catalog.pg_database d\n  LEFT JOIN pg_catalog.pg_user u ON d.datdba = u.usesysid\nORDER BY 1;',
    },
  ];
}
