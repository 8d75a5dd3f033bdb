import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AuditlakeError } from '../../../core/errors.js';
import { MANIFEST_NAME, readManifest, type Manifest } from '../manifest.js';
import { deriveKey } from '../parquet-key.js';
import { lit } from '../schema.js';
import type { QueryResult } from '../../../core/lake.js';
import { keyName, viewStatements } from '../views.js';
import { queryErrorMessage } from './query-help.js';
import { prepareReadOnly } from './read-only.js';
import { toQueryResult } from './to-result.js';

export interface QueryEngine {
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

/**
 * SQL over the lake's views. Its own DuckDB, sandboxed: file access only under the lake root
 * (`allowed_directories` + `enable_external_access=false`), configuration locked, and only one
 * read-only statement per call. The views are rebuilt whenever the manifest changed on disk
 * (another process committed or compacted).
 */
export function createQueryEngine(root: string, masterKey: Buffer | null, threads: number, memoryLimit: string, tmpDir: string): QueryEngine {
  let state: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;
  const spillDir = `${tmpDir}/duckdb-query-${process.pid}`;
  let seen = '';
  const keys = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  const open = async () => {
    if (state) return state;
    // Spill space per process: DuckDB's temp file names are only unique within one instance.
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false', threads: String(threads), memory_limit: memoryLimit, temp_directory: spillDir,
    });
    const conn = await instance.connect();
    await conn.run(`SET allowed_directories = [${lit(root.endsWith('/') ? root : root + '/')}]`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
    state = { instance, conn };
    return state;
  };

  const refresh = async (force: boolean) => {
    const { conn } = await open();
    const st = await stat(join(root, MANIFEST_NAME)).catch(() => null);
    const sig = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'none';
    if (!force && sig === seen) return;
    const m: Manifest = await readManifest(root);
    for (const f of m.files) {
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
    for (const s of viewStatements(root, m)) await conn.run(s);
    seen = sig;
  };

  const runOnce = async (sql: string): Promise<QueryResult> => {
    const { conn } = await open();
    let prepared;
    try {
      prepared = await prepareReadOnly(conn, sql);
    } catch (err) {
      if (err instanceof AuditlakeError) throw err;
      throw new AuditlakeError('E_QUERY', queryErrorMessage((err as Error).message, sql), { cause: err });
    }
    try {
      return toQueryResult(await prepared.runAndReadAll());
    } catch (err) {
      throw new AuditlakeError('E_QUERY', queryErrorMessage((err as Error).message, sql), { cause: err });
    } finally {
      prepared.destroySync();
    }
  };

  const query = async (sql: string): Promise<QueryResult> => {
    await refresh(false);
    try {
      return await runOnce(sql);
    } catch (err) {
      // A compaction in another process may have deleted files our views still named: reload once.
      const msg = (err as Error).message;
      if (/No files found|No such file|Cannot open file|does not exist/i.test(msg) && !/Table with name|Catalog Error/.test(msg)) {
        await refresh(true);
        return runOnce(sql);
      }
      throw err;
    }
  };

  return {
    query(sql) {
      const run = queue.then(() => query(sql));
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
