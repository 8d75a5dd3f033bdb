import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hasErrorCode } from '../../core/errors.js';
import { MANIFEST_NAME } from '../../sinks/lake/manifest.js';
import type { ObjectStore } from '../../core/object-store.js';

/** What was pulled: relative path → the remote etag and the content hash we wrote locally. */
export type PullIndex = Map<string, { etag: string; sha256: string }>;

/**
 * Keys of an S3 home that are never copied to the working copy: the vault (used in place), the lease, what
 * Lambda handlers keep for themselves (markers, fragments, sideline) and scratch space.
 */
export function isPulled(key: string): boolean {
  return !/^(vault|sideline|tmp|buffer)\//.test(key) && !/^state\/(processed|lake-incoming)\//.test(key) && key !== 'state/home.lock';
}

/** Local files that are never pushed: scratch, driver bookkeeping and process-local locks. */
function isPushed(rel: string): boolean {
  return isPulled(rel) && !rel.split('/').some((s) => s.startsWith('.auditlake-') || s === '_tmp' || s.startsWith('.tmp-')) && !/\.lock$/.test(rel) && !/(^|\/)_auditlake\.lock$/.test(rel);
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Streams every pulled object of `store` into `dir` (no object is held in memory whole). */
export async function pull(store: ObjectStore, dir: string, accept: (key: string) => boolean = () => true): Promise<PullIndex> {
  const index: PullIndex = new Map();
  for await (const o of store.list('')) {
    if (!isPulled(o.key) || !accept(o.key)) continue;
    const path = join(dir, ...o.key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    const h = createHash('sha256');
    const body = await store.get(o.key);
    body.on('data', (c: Buffer) => h.update(c));
    await pipeline(body, createWriteStream(path, { mode: o.key.startsWith('keys/') ? 0o600 : 0o644 }));
    index.set(o.key, { etag: o.etag, sha256: h.digest('hex') });
  }
  return index;
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p);
    else if (e.isFile()) yield p;
  }
}

export interface PushResult { created: number; replaced: number; deleted: number }

/**
 * Writes the working copy's changes back: new files with put-if-absent, changed files with If-Match on the etag
 * they were pulled at, removed files deleted. Order keeps every remote state consistent for readers: data files
 * first, the lake manifest (the commit point) after them, deletions (files the manifest no longer names) last.
 * A concurrent change of any file we changed fails the push with E_CONFLICT instead of being overwritten.
 */
export async function push(store: ObjectStore, dir: string, index: PullIndex): Promise<PushResult> {
  const r: PushResult = { created: 0, replaced: 0, deleted: 0 };
  const seen = new Set<string>();
  const changes: Array<{ key: string; path: string; etag?: string }> = [];
  for await (const path of walkFiles(dir)) {
    const key = relative(dir, path).split(sep).join('/');
    if (!isPushed(key)) continue;
    seen.add(key);
    const before = index.get(key);
    if (before && before.sha256 === (await sha256File(path))) continue;
    changes.push({ key, path, ...(before ? { etag: before.etag } : {}) });
  }
  const manifestLast = (k: string) => (k.endsWith(MANIFEST_NAME) ? 1 : 0);
  changes.sort((a, b) => manifestLast(a.key) - manifestLast(b.key) || (a.etag ? 1 : 0) - (b.etag ? 1 : 0) || (a.key < b.key ? -1 : 1));
  for (const c of changes) {
    if (c.etag) {
      // Mutable state is small (manifest, journal, keyring): read whole for the conditional PUT.
      await store.replace(c.key, await readFile(c.path), { ifMatch: c.etag });
      r.replaced++;
    } else {
      const st = await stat(c.path);
      await store.put(c.key, st.size < 16 * 1024 * 1024 ? await readFile(c.path) : createReadStream(c.path));
      r.created++;
    }
  }
  for (const key of index.keys()) {
    if (seen.has(key) || !isPushed(key)) continue;
    try {
      await store.delete(key);
      r.deleted++;
    } catch (err) {
      if (!hasErrorCode(err, 'E_NOT_FOUND')) throw err;
    }
  }
  return r;
}
