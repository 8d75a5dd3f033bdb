import type { HomeLayout } from '../core/home.js';
import { openLake, type OpenedLake } from '../sinks/lake/index.js';
import { homeLakeKey } from '../sinks/lake/home-lake-key.js';

/**
 * The lake under a home directory, as every command (ingest, query, report) opens it. With a keyring set up the
 * Parquet files are encrypted under a lake key wrapped by the customer key (src/keyring/lake-key.ts), so reading
 * the lake needs key access; without one (the demo) the lake is plaintext.
 */
export async function openHomeLake(home: HomeLayout): Promise<OpenedLake> {
  // An S3 home's lake is plain zstd Parquet (under SSE-KMS in the bucket) so Athena and Trino read it unchanged:
  // they cannot read Parquet modular encryption. Local homes keep it.
  const parquetKey = home.remote ? null : await homeLakeKey(home);
  return openLake({ root: home.lake, tmpDir: home.tmp, ...(parquetKey ? { parquetKey } : {}) });
}
