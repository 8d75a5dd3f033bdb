import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AuditlakeError } from '../../../core/errors.js';
import { MANIFEST_NAME, readManifest, type Manifest } from '../manifest.js';
import { deriveKey } from '../parquet-key.js';
import { lit } from '../schema.js';
import type { QueryResult } from '../../../core/lake.js';
import { keyName, viewFiles, viewStatement, viewsReferencedBy } from '../views.js';
import { queryErrorMessage } from './query-help.js';
import { prepareReadOnly } from './read-only.js';
import { toQueryResult } from './to-result.js';

/** Bounds for one query (the HTTP API sets them; the CLI runs unbounded). */
export interface QueryLimits {
  /** Rows read at most; the result then says `truncated`. */
  maxRows?: number;
  /** Wall time after which DuckDB is interrupted (E_TIMEOUT). */
  timeoutMs?: number;
}

export interface QueryEngine {
  query(sql: string, limits?: QueryLimits): Promise<QueryResult & { truncated?: boolean }>;
  close(): Promise<void>;
}

export interface QueryEngineScope {
  /**
   * Confine the engine to one account: its views name only that account's files and DuckDB may open only
   * that account's partition directories (`log_type=*\/account=<id>/`), so no SQL — views, read_parquet,
   * globs, `..` — can reach another account's rows or the manifest.
   */
  account?: string;
  /** Every log type directory the lake may have (partition `log_type=`), for the scoped allow-list. */
  logTypes?: readonly string[];
}

/**
 * SQL over the lake's views. Its own DuckDB, sandboxed: file access only under the lake root
 * (`allowed_directories` + `enable_external_access=false`), configuration locked, and only one
 * read-only statement per call. The views are rebuilt whenever the manifest changed on disk
 * (another process committed or compacted).
 */
export function createQueryEngine(root: string, masterKey: Buffer | null, threads: number, memoryLimit: string, tmpDir: string, scope: QueryEngineScope = {}): QueryEngine {
  let state: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;
  // Spill space per engine: DuckDB's temp file names are only unique within one instance.
  const spillDir = `${tmpDir}/duckdb-query-${process.pid}${scope.account ? `-${scope.account}-${Math.random().toString(36).slice(2, 8)}` : ''}`;
  const rootDir = root.endsWith('/') ? root : root + '/';
  const allowed = scope.account ? (scope.logTypes ?? []).map((t) => `${rootDir}log_type=${t}/account=${scope.account}/`) : [rootDir];
  const inScope = (path: string) => !scope.account || path.split('/').includes(`account=${scope.account}`);
  let seen = '';
  const keys = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  const open = async () => {
    if (state) return state;
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false', threads: String(threads), memory_limit: memoryLimit, temp_directory: spillDir,
      // A query over an encrypted lake spills decrypted rows (sorts, joins): DuckDB encrypts its temp files then.
      ...(masterKey ? { temp_file_encryption: 'true', force_mbedtls_unsafe: 'true' } : {}),
    });
    const conn = await instance.connect();
    await conn.run(`SET allowed_directories = [${allowed.map(lit).join(', ')}]`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
    state = { instance, conn };
    return state;
  };

  /** Views created for the manifest generation `seen`; the rest are created when a statement names them. */
  let created = new Set<string>();
  let manifest: Manifest | null = null;

  /**
   * Brings the views a statement reads up to date with the manifest on disk. Only the views `sql` names are
   * (re)built: binding a view reads the footer of every file it scans, which `select 1` or a query on
   * `connections` should not pay for the whole lake.
   */
  const refresh = async (force: boolean, sql: string) => {
    const { conn } = await open();
    const st = await stat(join(root, MANIFEST_NAME)).catch(() => null);
    const sig = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'none';
    if (force || sig !== seen || !manifest) {
      const read: Manifest = await readManifest(root);
      manifest = scope.account ? { ...read, files: read.files.filter((f) => inScope(f.path)) } : read;
      created = new Set();
      seen = sig;
    }
    const m = manifest;
    const wanted = viewsReferencedBy(sql).filter((v) => !created.has(v));
    if (wanted.length === 0) return;
    for (const f of new Set(wanted.flatMap((v) => viewFiles(m, v)))) {
      if (!f.key || keys.has(f.key)) continue;
      if (!masterKey) throw new AuditlakeError('E_KEY', `lake: ${root} is encrypted; query needs its Parquet key`);
      const k = deriveKey(masterKey, f.key);
      try {
        await conn.run(`PRAGMA add_parquet_key(${lit(keyName(f.key))}, ${lit(k.base64)})`);
      } catch (err) {
        throw new AuditlakeError('E_KEY', `lake: DuckDB refused a Parquet key for ${f.path}`, { cause: new Error((err as Error).message.split('\n')[0].replace(k.base64, '***')) });
      }
      keys.add(f.key);
    }
    for (const v of wanted) {
      await conn.run(viewStatement(root, m, v));
      created.add(v);
    }
  };

  const runOnce = async (sql: string, limits: QueryLimits): Promise<QueryResult & { truncated?: boolean }> => {
    const { conn } = await open();
    let prepared;
    try {
      prepared = await prepareReadOnly(conn, sql);
    } catch (err) {
      if (err instanceof AuditlakeError) throw err;
      throw new AuditlakeError('E_QUERY', queryErrorMessage((err as Error).message, sql), { cause: err });
    }
    let timedOut = false;
    const timer = limits.timeoutMs ? setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, limits.timeoutMs) : null;
    try {
      if (limits.maxRows === undefined) return toQueryResult(await prepared.runAndReadAll());
      const reader = await prepared.runAndReadUntil(limits.maxRows + 1);
      const res = toQueryResult(reader);
      const truncated = res.rows.length > limits.maxRows || !reader.done;
      return { ...res, rows: res.rows.slice(0, limits.maxRows), truncated };
    } catch (err) {
      if (timedOut) throw new AuditlakeError('E_TIMEOUT', `query: stopped after ${limits.timeoutMs} ms (the time limit)`, { cause: err });
      throw new AuditlakeError('E_QUERY', queryErrorMessage((err as Error).message, sql), { cause: err });
    } finally {
      if (timer) clearTimeout(timer);
      prepared.destroySync();
    }
  };

  const query = async (sql: string, limits: QueryLimits): Promise<QueryResult & { truncated?: boolean }> => {
    await refresh(false, sql);
    try {
      return await runOnce(sql, limits);
    } catch (err) {
      // A compaction in another process may have deleted files our views still named: reload once.
      const msg = (err as Error).message;
      if (/No files found|No such file|Cannot open file|does not exist/i.test(msg) && !/Table with name|Catalog Error/.test(msg)) {
        await refresh(true, sql);
        return runOnce(sql, limits);
      }
      throw err;
    }
  };

  return {
    query(sql, limits = {}) {
      const run = queue.then(() => query(sql, limits));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      if (!state) return;
      state.conn.closeSync();
      state.instance.closeSync();
      state = null;
      await rm(spillDir, { recursive: true, force: true });
    },
  };
}
