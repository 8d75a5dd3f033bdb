import { readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../../../buffer/process-alive.js';
import { MANIFEST_NAME, type Manifest } from '../manifest.js';


/** Data files under the lake root (skipping `_…` and `.…` entries, as Hive/Athena do), relative paths. */
export async function listDataFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listDataFiles(root, p)));
    else if (e.name.endsWith('.parquet') || e.name.endsWith('.parquet-tmp')) out.push(p);
  }
  return out;
}

async function removeEmptyDirs(dir: string, isRoot = true): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.')) {
      if (!(await removeEmptyDirs(join(dir, e.name), false))) empty = false;
    } else empty = false;
  }
  if (empty && !isRoot) {
    await rmdir(dir).catch(() => undefined);
    return true;
  }
  return false;
}

/**
 * Deletes what a crash or a finished compaction left behind: data files the manifest does not list,
 * manifest temp files and batch/compaction temp dirs of processes that no longer run.
 * Must run under the lake lock (a live commit renames files in before it swaps the manifest).
 */
export async function collectGarbage(root: string, tmpDir: string, m: Manifest): Promise<{ files: number }> {
  const live = new Set(m.files.map((f) => f.path));
  let files = 0;
  for (const p of await listDataFiles(root)) {
    if (!live.has(p)) {
      await unlink(join(root, p)).catch(() => undefined);
      files++;
    }
  }
  if (files > 0) await removeEmptyDirs(root);
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m1 = new RegExp(`^${MANIFEST_NAME.replace(/\./g, '\\.')}\\.tmp-(\\d+)-`).exec(name);
    if (m1 && !isProcessAlive(Number(m1[1]))) await unlink(join(root, name)).catch(() => undefined);
  }
  for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
    const m2 = /^(?:batch|compact|duckdb|duckdb-query)-(\d+)(?:-|$)/.exec(name);
    if (m2 && !isProcessAlive(Number(m2[1]))) await rm(join(tmpDir, name), { recursive: true, force: true });
  }
  return { files };
}
