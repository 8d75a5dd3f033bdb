import {
  GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type AthenaClient, type ColumnInfo, type QueryExecution,
} from '@aws-sdk/client-athena';
import { AuditlakeError, errorMessage } from '../../core/errors.js';
import type { QueryResult } from '../../core/lake.js';
import { athenaValue } from './athena-values.js';

export interface AthenaEngineOptions {
  client: AthenaClient;
  /** Glue database holding the lake's tables (`auditlake aws athena-ddl`). */
  database: string;
  catalog?: string;
  workgroup?: string;
  /** `s3://…` for result files; may be left to the workgroup's setting. */
  outputLocation?: string;
  /** KMS key for the result files (SSE_KMS); without it the workgroup's / bucket's default applies. */
  kmsKey?: string;
  /** First poll delay; it doubles up to maxPollMs (Athena bills per query, not per poll, but throttles polls). */
  pollMs?: number;
  maxPollMs?: number;
}

export interface AthenaRunOptions {
  timeoutMs?: number;
  /** SIGINT from the CLI: the query is stopped in Athena, not merely abandoned. */
  signal?: AbortSignal;
}

/** SDK failures (credentials, network, throttling, InvalidRequestException) as E_QUERY/E_AUTH naming the call. */
async function send<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    const code = /Credential|AccessDenied|UnrecognizedClient|ExpiredToken|Signature/i.test(`${name} ${errorMessage(err)}`) ? 'E_AUTH' : 'E_QUERY';
    throw new AuditlakeError(code, `athena: ${what} failed: ${name ? `${name}: ` : ''}${errorMessage(err)}`, { cause: err });
  }
}

const DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function failure(id: string, ex: QueryExecution | undefined): AuditlakeError {
  const st = ex?.Status;
  const why = st?.AthenaError?.ErrorMessage ?? st?.StateChangeReason ?? 'no reason given';
  const kind = st?.AthenaError?.ErrorType !== undefined ? ` (error type ${st.AthenaError.ErrorType}${st.AthenaError.Retryable ? ', retryable' : ''})` : '';
  return new AuditlakeError('E_QUERY', `athena: query ${id} ${st?.State === 'CANCELLED' ? 'was cancelled' : 'failed'}: ${why}${kind}`);
}

/** Polls until the query is done; on timeout or abort it stops the query in Athena and throws. */
async function waitFor(o: AthenaEngineOptions, id: string, run: AthenaRunOptions): Promise<QueryExecution> {
  const deadline = run.timeoutMs ? Date.now() + run.timeoutMs : Infinity;
  let delay = o.pollMs ?? 250;
  for (;;) {
    const r = await send(`GetQueryExecution ${id}`, () => o.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
    const ex = r.QueryExecution;
    if (ex?.Status?.State && DONE.has(ex.Status.State)) {
      if (ex.Status.State !== 'SUCCEEDED') throw failure(id, ex);
      return ex;
    }
    const aborted = run.signal?.aborted;
    if (aborted || Date.now() >= deadline) {
      await send(`StopQueryExecution ${id}`, () => o.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
      throw aborted
        ? new AuditlakeError('E_TIMEOUT', `athena: query ${id} interrupted; it was stopped in Athena`)
        : new AuditlakeError('E_TIMEOUT', `athena: query ${id} took longer than ${Math.round((run.timeoutMs ?? 0) / 1000)} s; it was stopped in Athena`);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), run.signal);
    delay = Math.min(delay * 2, o.maxPollMs ?? 2000);
  }
}

/**
 * Runs one statement on Athena: StartQueryExecution → GetQueryExecution until done → GetQueryResults page by page
 * (NextToken). The first row of a SELECT's first page is Athena's header row and is dropped; values are typed
 * from the result metadata (athena-values.ts).
 */
export async function runAthenaQuery(o: AthenaEngineOptions, sql: string, run: AthenaRunOptions = {}): Promise<QueryResult> {
  const started = await send('StartQueryExecution', () => o.client.send(new StartQueryExecutionCommand({
    QueryString: sql,
    QueryExecutionContext: { Database: o.database, ...(o.catalog ? { Catalog: o.catalog } : {}) },
    ...(o.workgroup ? { WorkGroup: o.workgroup } : {}),
    ...(o.outputLocation || o.kmsKey ? {
      ResultConfiguration: {
        ...(o.outputLocation ? { OutputLocation: o.outputLocation } : {}),
        ...(o.kmsKey ? { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' as const, KmsKey: o.kmsKey } } : {}),
      },
    } : {}),
  })));
  const id = started.QueryExecutionId;
  if (!id) throw new AuditlakeError('E_QUERY', 'athena: StartQueryExecution returned no QueryExecutionId');
  const ex = await waitFor(o, id, run);
  let columns: ColumnInfo[] = [];
  const rows: unknown[][] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await send(`GetQueryResults ${id}`, () => o.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}) })));
    if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    let data = page.ResultSet?.Rows ?? [];
    if (first && ex.StatementType === 'DML' && data.length && isHeader(data[0]?.Data, columns)) data = data.slice(1);
    for (const r of data) rows.push(columns.map((c, i) => athenaValue(r.Data?.[i], c)));
    token = page.NextToken;
    first = false;
  } while (token);
  return { columns: columns.map((c) => c.Label ?? c.Name ?? ''), rows };
}

function isHeader(data: { VarCharValue?: string }[] | undefined, columns: ColumnInfo[]): boolean {
  return !!data && data.length === columns.length && data.every((d, i) => d.VarCharValue === (columns[i]?.Label ?? columns[i]?.Name));
}
