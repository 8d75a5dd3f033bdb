import { randomBytes } from 'node:crypto';
import { mkdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { encryptionClause, stagedFromStats, type StagedFile } from './batch.js';
import type { LakeContext } from '../context.js';
import { withLakeLock } from './lock.js';
import { partitionOf, readManifest, writeManifest, type Manifest, type ManifestFile } from '../manifest.js';
import { deriveKey, freshKey } from '../parquet-key.js';
import { checkEncryption, placeFiles } from './publish.js';
import { FILE_COLUMNS, ident, lit } from '../schema.js';
import { keyName } from '../views.js';
import { groupByPartition, partitionsWithDuplicates } from './find-duplicates.js';

export interface CompactOptions {
  /** Compact a partition only when it has more than this many small files (0 = any partition with ≥ 2 files). */
  minSmallFiles?: number;
}

export interface CompactResult {
  before: number;
  after: number;
  partitions: number;
  duplicatesDropped: number;
}

interface Plan {
  partition: string;
  inputs: ManifestFile[];
}

/** Which partitions to merge: those with enough small files, and overlapping ones (to de-duplicate on disk). */
export function planCompaction(m: Manifest, smallBytes: number, minSmallFiles: number): Plan[] {
  const byPart = new Map<string, ManifestFile[]>();
  for (const f of m.files) {
    const p = partitionOf(f.path);
    let l = byPart.get(p);
    if (!l) byPart.set(p, (l = []));
    l.push(f);
  }
  const overlapping = new Set(m.overlapping);
  const plans: Plan[] = [];
  for (const [partition, files] of byPart) {
    const small = files.filter((f) => f.bytes < smallBytes);
    const dirty = overlapping.has(partition);
    // maybeCompact: only when small files pile up (a few overlapping files are cheap to de-duplicate at read);
    // compact: every overlapping partition, and every partition with two or more small files.
    const due = minSmallFiles > 0 ? small.length > minSmallFiles : dirty || small.length >= 2;
    if (!due) continue;
    // An overlapping partition is rewritten whole, so its duplicates go; otherwise only the small files merge.
    plans.push({ partition, inputs: dirty ? files : small });
  }
  return plans;
}

/** Reads `files` (one scan per key) without partition columns — the output stays in the same partition. */
function rawScan(root: string, files: ManifestFile[]): string {
  const byKey = new Map<string, string[]>();
  for (const f of files) {
    const k = f.key ?? '';
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(join(root, f.path));
  }
  const cols = FILE_COLUMNS.map(([n]) => ident(n)).join(', ');
  return [...byKey]
    .map(([k, paths]) => `SELECT ${cols} FROM read_parquet([${paths.map(lit).join(', ')}], hive_partitioning=false${k ? `, encryption_config={footer_key: ${lit(keyName(k))}}` : ''})`)
    .join(' UNION ALL ');
}

/**
 * Merges each planned partition into one file, dropping duplicate event_ids where the manifest says they may exist.
 * Crash-safe like a commit: write new files to temp space, then under the lock check the inputs are
 * still live, rename the new files in and swap the manifest; the old files are deleted last (a crash
 * before that leaves them unlisted, and garbage collection removes them).
 */
export async function compactLake(ctx: LakeContext, opts: CompactOptions, onPublished: (m: Manifest) => void): Promise<CompactResult> {
  const read = await readManifest(ctx.root);
  checkEncryption(read, ctx.masterKey, ctx.root);
  // A full compaction also looks for duplicates nobody marked (a lake written before publish checked ids, or
  // copies that arrived under another name): any partition holding an event_id twice is rewritten de-duplicated.
  const unmarked = (opts.minSmallFiles ?? 0) === 0 ? await partitionsWithDuplicates(ctx, groupByPartition(ctx.root, read.files, new Set(read.overlapping))) : new Set<string>();
  const m0: Manifest = { ...read, overlapping: [...read.overlapping, ...unmarked] };
  const plans = planCompaction(m0, ctx.tuning.smallFileBytes, opts.minSmallFiles ?? 0);
  if (plans.length === 0) return { before: m0.files.length, after: m0.files.length, partitions: 0, duplicatesDropped: 0 };
  const runId = `c${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = join(ctx.tmpDir, `compact-${process.pid}-${runId}`);
  await mkdir(dir, { recursive: true });
  const key = ctx.masterKey ? freshKey(ctx.masterKey) : null;
  try {
    if (ctx.masterKey) {
      for (const salt of new Set(plans.flatMap((p) => p.inputs.map((f) => f.key).filter((k): k is string => !!k)))) await ctx.addKey(deriveKey(ctx.masterKey, salt));
      await ctx.addKey(key!);
    }
    const overlapping = new Set(m0.overlapping);
    const staged: { plan: Plan; file: StagedFile }[] = [];
    for (const [i, plan] of plans.entries()) {
      const out = join(dir, `p${i}.parquet-tmp`);
      // Overlapping partitions: keep one row per event_id with a window (it spills to disk; DISTINCT ON and
      // ORDER BY over whole rows ran out of memory at 128 MB on 1 M rows here). Clean partitions hold no
      // duplicates by construction and are concatenated as they are, which streams and keeps time order.
      const scan = rawScan(ctx.root, plan.inputs);
      const select = overlapping.has(plan.partition)
        ? `SELECT * FROM (${scan}) QUALIFY row_number() OVER (PARTITION BY event_id) = 1`
        : scan;
      const rows = await ctx.write(`COPY (${select}) TO ${lit(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES ${ctx.tuning.rowGroupBytes}, RETURN_STATS${encryptionClause(key)})`);
      const [f] = stagedFromStats(rows, dir);
      staged.push({ plan, file: { ...f, tmpPath: out, partition: plan.partition } });
    }
    let dropped = 0;
    let removed: ManifestFile[] = [];
    let result: CompactResult = { before: m0.files.length, after: m0.files.length, partitions: 0, duplicatesDropped: 0 };
    await withLakeLock(ctx.root, async () => {
      const m = await readManifest(ctx.root);
      const live = new Set(m.files.map((f) => f.path));
      // Another compaction may have merged some inputs meanwhile: publish only plans whose inputs are all still live.
      const ok = staged.filter((s) => s.plan.inputs.every((f) => live.has(f.path)));
      if (ok.length === 0) return;
      const placed = await placeFiles(ctx.root, runId, ok.map((s) => s.file), key?.salt ?? null);
      const gone = new Set(ok.flatMap((s) => s.plan.inputs.map((f) => f.path)));
      removed = m.files.filter((f) => gone.has(f.path));
      const files = [...m.files.filter((f) => !gone.has(f.path)), ...placed];
      // A partition stays marked overlapping if a commit added a file to it after we planned.
      const stillShared = new Set(files.filter((f) => !placed.includes(f)).map((f) => partitionOf(f.path)));
      const cleaned = new Set(ok.map((s) => s.plan.partition).filter((p) => !stillShared.has(p)));
      for (const s of ok) dropped += s.plan.inputs.reduce((n, f) => n + f.rows, 0) - s.file.rows;
      const next: Manifest = { ...m, generation: m.generation + 1, updatedAt: new Date().toISOString(), files, overlapping: m.overlapping.filter((p) => !cleaned.has(p)) };
      await writeManifest(ctx.root, next);
      onPublished(next);
      result = { before: m.files.length, after: files.length, partitions: ok.length, duplicatesDropped: dropped };
    });
    for (const f of removed) await unlink(join(ctx.root, f.path)).catch(() => undefined);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
