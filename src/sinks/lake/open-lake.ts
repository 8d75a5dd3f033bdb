import { createRecordCipher } from '../../core/record-cipher.js';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createQueryEngine } from './reader/engine.js';
import { createLakeBatch } from './writer/batch.js';
import { compactLake } from './writer/compact.js';
import { createLakeContext, DEFAULT_TUNING, type LakeTuning } from './context.js';
import { collectGarbage } from './writer/gc.js';
import { withLakeLock } from './writer/lock.js';
import { isIngestedIn, partitionOf, readManifest, type Manifest } from './manifest.js';
import { groupByPartition, partitionsWithDuplicates } from './writer/find-duplicates.js';
import { checkKeyLength } from './parquet-key.js';
import { dropPartitions, listPartitions } from './writer/partitions.js';
import { checkEncryption, createPublisher } from './writer/publish.js';
import type { Lake } from '../../core/lake.js';

export interface OpenLakeOptions {
  /** Lake directory (created if missing). */
  root: string;
  /** Temp space for batches and compaction; must be on the lake's filesystem (renames). Default `<root>/_tmp`. */
  tmpDir?: string;
  /** 32-byte key: Parquet files are written encrypted (AES-GCM, per-write derived keys) and read with it. */
  parquetKey?: Buffer;
  /** Performance knobs (spill size, DuckDB threads and memory); defaults suit a 2-core, 300 MB budget. */
  tuning?: Partial<LakeTuning>;
}

/** A Lake plus the manifest it currently sees (for tests, the CLI and the bench). */
export interface OpenedLake extends Lake {
  manifest(): Manifest;
}

/**
 * Opens (or creates) a Parquet lake at `root`: reads the manifest, refuses a wrong or missing key,
 * and deletes what a crashed writer left behind.
 */
export async function openLake(opts: OpenLakeOptions): Promise<OpenedLake> {
  const root = resolve(opts.root);
  const tmpDir = resolve(opts.tmpDir ?? join(root, '_tmp'));
  const masterKey = opts.parquetKey ?? null;
  if (masterKey) checkKeyLength(masterKey);
  const tuning = { ...DEFAULT_TUNING, ...opts.tuning };
  await mkdir(root, { recursive: true });
  await mkdir(tmpDir, { recursive: true });
  let manifest = await withLakeLock(root, async () => {
    const m = await readManifest(root);
    checkEncryption(m, masterKey, root);
    await collectGarbage(root, tmpDir, m);
    return m;
  });
  const onPublished = (m: Manifest) => {
    manifest = m;
  };
  const ctx = createLakeContext(root, tmpDir, masterKey, tuning);
  const publish = createPublisher(root, masterKey, onPublished, (req, m, skip) => {
    const by = groupByPartition(root, m.files.filter((f) => req.files.some((s) => s.partition === partitionOf(f.path))), skip);
    for (const f of req.files) {
      if (skip.has(f.partition)) continue;
      let l = by.get(f.partition);
      if (!l) by.set(f.partition, (l = []));
      l.push({ path: f.tmpPath, salt: req.key?.salt ?? '' });
    }
    return partitionsWithDuplicates(ctx, by);
  });
  const engine = createQueryEngine(root, masterKey, tuning.queryThreads, tuning.queryMemoryLimit, tmpDir);
  const compact = async (minSmallFiles: number) => {
    const r = await compactLake(ctx, { minSmallFiles }, onPublished);
    return { before: r.before, after: r.after };
  };
  return {
    root,
    manifest: () => manifest,
    acceptsEncoded: true,
    isIngested: (ref) => isIngestedIn(manifest, ref),
    recordCipher: (purpose) => (masterKey ? createRecordCipher(masterKey, purpose) : null),
    beginBatch: (o) => createLakeBatch(ctx, publish, o),
    compact: () => compact(0),
    maybeCompact: (o) => compact(o?.minSmallFiles ?? 8),
    query: (sql, opts) => engine.query(sql, opts?.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    listPartitions: async () => listPartitions(await readManifest(root)),
    dropPartitions: (ids) => dropPartitions(root, ids, onPublished),
    async close() {
      await engine.close();
      await ctx.close();
    },
  };
}
