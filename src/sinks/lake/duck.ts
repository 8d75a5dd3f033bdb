import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  /** DuckDB worker threads (COPY to Parquet runs on them, beside the JS thread). */
  threads: number;
  /** DuckDB buffer-manager limit; keep the whole process within ~300 MB RSS. */
  memoryLimit: string;
  /** Where DuckDB may spill (same filesystem as the lake). */
  tempDirectory: string;
  /** Allow writing encrypted Parquet with the built-in mbedtls (see parquet-key.ts for why that is safe here). */
  encryptWrites: boolean;
}

/**
 * One in-memory DuckDB for the lake's writes. Only the statically linked extensions exist here
 * (parquet, json, icu); autoinstall is off so a missing one fails at once instead of after a 0.5 s
 * download attempt (research/deps-and-limits.md §1.1).
 */
export async function openDuck(o: DuckOptions): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    threads: String(o.threads),
    memory_limit: o.memoryLimit,
    temp_directory: o.tempDirectory,
    preserve_insertion_order: 'false',
    // Partitioned COPY buffers this many rows per open partition before writing; small keeps memory flat.
    partitioned_write_flush_threshold: '32768',
    partitioned_write_max_open_files: '16',
    // glibc keeps what a COPY freed (RSS crept from 170 to 260 MB over three 128 MB spills here); past these
    // thresholds DuckDB flushes its allocator (malloc_trim) after each task: ~250 MB → ~160 MB peak for
    // ~0.1 s of writer-thread time per spill (measured, README "Throughput and memory").
    allocator_flush_threshold: '8MB',
    allocator_bulk_deallocation_flush_threshold: '8MB',
  };
  if (o.encryptWrites) {
    config.force_mbedtls_unsafe = 'true';
    // What DuckDB spills (sort runs, hash tables of a COPY) holds statements: encrypted with a per-process key.
    config.temp_file_encryption = 'true';
  }
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  return { instance, conn };
}
