import type { Command } from 'commander';
import { AuditlakeError } from '../core/errors.js';
import type { QueryResult } from '../core/lake.js';

export interface EngineFlags {
  engine?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaKmsKey?: string;
  athenaDatabase?: string;
}

/** Adds `--engine` and the Athena flags to `query` and `report` (defaults from AUDITLAKE_ATHENA_* / AUDITLAKE_QUERY_ENGINE). */
export function withEngineFlags(c: Command): Command {
  return c
    .option('--engine <name>', 'duckdb (downloads the lake, default) or athena (runs in AWS over the tables of `aws athena-ddl`); env AUDITLAKE_QUERY_ENGINE')
    .option('--athena-workgroup <name>', 'Athena workgroup (env AUDITLAKE_ATHENA_WORKGROUP; default: primary)')
    .option('--athena-output <s3url>', 'query result location (env AUDITLAKE_ATHENA_OUTPUT; default: the workgroup\'s)')
    .option('--athena-kms-key <arn>', 'KMS key for the result files, SSE_KMS (env AUDITLAKE_ATHENA_KMS_KEY)')
    .option('--athena-database <name>', 'Glue database of the lake tables (env AUDITLAKE_ATHENA_DATABASE; default auditlake)');
}

export function engineOf(f: EngineFlags): 'duckdb' | 'athena' {
  const e = f.engine ?? process.env.AUDITLAKE_QUERY_ENGINE ?? 'duckdb';
  if (e !== 'duckdb' && e !== 'athena') throw new AuditlakeError('E_USAGE', `--engine "${e}" is not duckdb or athena`);
  return e;
}

export interface AthenaEngine {
  query(sql: string, opts?: { timeoutMs?: number }): Promise<QueryResult>;
  close(): Promise<void>;
}

/**
 * The Athena engine for the CLI: settings from flags, else AUDITLAKE_ATHENA_*; region and credentials the SDK's
 * default chain. SQL is rewritten from DuckDB's dialect to Trino's (src/aws/athena/trino-dialect.ts); Ctrl-C stops
 * the running query in Athena instead of leaving it billed and running.
 */
export async function openAthenaEngine(f: EngineFlags): Promise<AthenaEngine> {
  const [{ AthenaClient }, { runAthenaQuery }, { toTrino }] = await Promise.all([
    import('@aws-sdk/client-athena'), import('../aws/athena/run-athena-query.js'), import('../aws/athena/trino-dialect.js'),
  ]);
  const env = process.env;
  const output = f.athenaOutput ?? env.AUDITLAKE_ATHENA_OUTPUT;
  if (output !== undefined && !/^s3:\/\/[^/]+/.test(output)) throw new AuditlakeError('E_USAGE', `--athena-output "${output}" is not an s3:// location`);
  const client = new AthenaClient({});
  const o = {
    client, database: f.athenaDatabase ?? env.AUDITLAKE_ATHENA_DATABASE ?? 'auditlake',
    workgroup: f.athenaWorkgroup ?? env.AUDITLAKE_ATHENA_WORKGROUP, outputLocation: output, kmsKey: f.athenaKmsKey ?? env.AUDITLAKE_ATHENA_KMS_KEY,
  };
  return {
    async query(sql, opts = {}) {
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.once('SIGINT', onInt);
      try {
        return await runAthenaQuery(o, toTrino(sql), { ...opts, signal: ac.signal });
      } finally {
        process.removeListener('SIGINT', onInt);
      }
    },
    async close() { client.destroy(); },
  };
}
