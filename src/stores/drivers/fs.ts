import { randomBytes } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditlakeError } from '../../core/errors.js';
import { assertValidKey } from '../keys.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../types.js';

/**
 * Root entries with this prefix belong to the driver (temp files, metadata sidecars) and are
 * never listed. Temp files live under the root so the final link/rename stays on one filesystem.
 */
const RESERVED = '.auditlake-';
const TMP_DIR = `${RESERVED}tmp`;
const META_DIR = `${RESERVED}meta`;
const LOCK_DIR = `${RESERVED}locks`;
/** A per-key replace lock older than this is left from a crash (a replace takes milliseconds). */
const STALE_LOCK_MS = 30_000;

export interface FsStoreOptions {
  /** Directory that holds the objects; created on the first put. */
  root: string;
}

/**
 * A directory as an object store. Keys map to paths under `root`.
 *
 * Writes are atomic and never overwrite: the body goes to a temp file, is fsynced, then
 * hard-linked to its final name (link(2) fails with EEXIST, unlike rename(2) which replaces),
 * then the directory is fsynced. A reader never sees a half-written object, and a crash leaves
 * at most an orphan temp file. Metadata (if any) is a JSON sidecar under `.auditlake-meta/`,
 * written after the object is claimed, so a crash in between leaves an object without metadata.
 */
export function createFsStore(opts: FsStoreOptions): ObjectStore {
  const root = resolve(opts.root);
  const url = pathToFileURL(root).href;
  const pathOf = (key: string) => join(root, ...key.split('/'));
  const metaPathOf = (key: string) => join(root, META_DIR, ...key.split('/')) + '.json';

  async function info(key: string, withMeta: boolean): Promise<ObjectInfo | null> {
    let st;
    try {
      st = await stat(pathOf(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw ioError(`stat ${pathOf(key)}`, err);
    }
    if (!st.isFile()) return null;
    const out: ObjectInfo = { key, size: st.size, etag: `${st.size}-${Math.trunc(st.mtimeMs)}`, lastModified: st.mtime };
    if (withMeta) {
      try {
        out.metadata = JSON.parse(await readFile(metaPathOf(key), 'utf8')) as Record<string, string>;
      } catch (err) {
        if (!isMissing(err)) throw ioError(`read metadata of ${key}`, err);
        out.metadata = {};
      }
    }
    return out;
  }

  /** Depth-first walk in key order: a directory sorts as `name/` so `a-b` < `a/x` like S3. */
  async function* walk(dirPath: string, keyPrefix: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries: Dirent[];
    try {
      entries = await readdir(dirPath, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw ioError(`list ${dirPath}`, err);
    }
    const items: { name: string; sortKey: string; dir: boolean }[] = [];
    for (const e of entries) {
      if (keyPrefix === '' && e.name.startsWith(RESERVED)) continue;
      let dir = e.isDirectory();
      if (e.isSymbolicLink()) {
        const st = await stat(join(dirPath, e.name)).catch(() => null);
        if (!st) continue;
        dir = st.isDirectory();
      } else if (!dir && !e.isFile()) continue;
      items.push({ name: e.name, sortKey: dir ? `${e.name}/` : e.name, dir });
    }
    items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const it of items) {
      const key = keyPrefix + it.name;
      if (it.dir) {
        const sub = `${key}/`;
        // Descend only where keys can still match the prefix.
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) yield* walk(join(dirPath, it.name), sub, prefix);
      } else if (key.startsWith(prefix)) {
        const i = await info(key, false);
        if (i) yield i;
      }
    }
  }

  async function fsyncDir(dir: string): Promise<void> {
    const fh = await open(dir, constants.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  return {
    url,
    list(prefix = '') {
      return walk(root, '', prefix);
    },
    head(key) {
      assertValidKey('fs store', key);
      return info(key, true);
    },
    async get(key) {
      assertValidKey('fs store', key);
      try {
        const fh = await open(pathOf(key), 'r');
        return fh.createReadStream({ highWaterMark: 1 << 20 });
      } catch (err) {
        if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') {
          throw new AuditlakeError('E_NOT_FOUND', `fs store: ${pathOf(key)} not found`, { cause: err });
        }
        throw ioError(`open ${pathOf(key)}`, err);
      }
    },
    async put(key, body, options: PutOptions = {}) {
      assertValidKey('fs store', key);
      const final = pathOf(key);
      const tmpDir = join(root, TMP_DIR);
      const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
      try {
        await mkdir(tmpDir, { recursive: true });
        await mkdir(dirname(final), { recursive: true });
        const fh = await open(tmp, 'wx');
        try {
          if (Buffer.isBuffer(body)) await fh.writeFile(body);
          else for await (const chunk of body) await fh.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
          await fh.sync();
        } finally {
          await fh.close();
        }
        try {
          await link(tmp, final);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new AuditlakeError('E_EXISTS', `fs store: ${final} already exists (objects are never overwritten)`, { cause: err });
          }
          throw err;
        }
        await fsyncDir(dirname(final));
        if (options.metadata && Object.keys(options.metadata).length > 0) {
          const metaPath = metaPathOf(key);
          await mkdir(dirname(metaPath), { recursive: true });
          const metaTmp = `${tmp}.meta`;
          await writeFile(metaTmp, JSON.stringify(options.metadata), { flush: true });
          await rename(metaTmp, metaPath);
        }
      } catch (err) {
        if (err instanceof AuditlakeError) throw err;
        throw ioError(`write ${final}`, err);
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      const out = await info(key, false);
      if (!out) throw new AuditlakeError('E_IO', `fs store: ${final} vanished right after it was written`);
      return out;
    },
    async replace(key, body, options) {
      assertValidKey('fs store', key);
      const final = pathOf(key);
      const release = await lockKey(join(root, LOCK_DIR, ...key.split('/')) + '.lock', final);
      const tmp = join(root, TMP_DIR, `${randomBytes(8).toString('hex')}.tmp`);
      try {
        const cur = await info(key, false);
        if (!cur) throw new AuditlakeError('E_NOT_FOUND', `fs store: ${final} not found (replace needs an existing object)`);
        if (cur.etag !== options.ifMatch) {
          throw new AuditlakeError('E_CONFLICT', `fs store: ${final} changed since it was read (etag ${cur.etag}, expected ${options.ifMatch})`);
        }
        await mkdir(join(root, TMP_DIR), { recursive: true });
        await writeFile(tmp, body, { flush: true });
        await rename(tmp, final);
        await fsyncDir(dirname(final));
        let out = await info(key, false);
        // The etag is size + mtime (ms): a same-size rewrite within the same millisecond would keep it, and a
        // reader holding the old etag would then win a race it lost. Move the mtime on until it differs.
        for (let bump = 1; out && out.etag === cur.etag; bump++) {
          const t = new Date(cur.lastModified.getTime() + bump);
          await utimes(final, t, t);
          out = await info(key, false);
        }
        if (options.metadata) {
          const metaPath = metaPathOf(key);
          await mkdir(dirname(metaPath), { recursive: true });
          await writeFile(`${tmp}.meta`, JSON.stringify(options.metadata), { flush: true });
          await rename(`${tmp}.meta`, metaPath);
        }
        if (!out) throw new AuditlakeError('E_IO', `fs store: ${final} vanished right after it was replaced`);
        return out;
      } catch (err) {
        if (err instanceof AuditlakeError) throw err;
        throw ioError(`replace ${final}`, err);
      } finally {
        await unlink(tmp).catch(() => undefined);
        await release();
      }
    },
    async delete(key) {
      assertValidKey('fs store', key);
      for (const p of [pathOf(key), metaPathOf(key)]) {
        try {
          await unlink(p);
        } catch (err) {
          if (!isMissing(err)) throw ioError(`delete ${p}`, err);
        }
      }
    },
  };
}

/**
 * Exclusive per-key lock for replace(): O_EXCL create of a lock file. Waits (up to ~5 s) while another replace
 * of the same key runs; a lock file older than STALE_LOCK_MS is a crashed writer's and is taken over.
 */
async function lockKey(lockPath: string, what: string): Promise<() => Promise<void>> {
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`lock ${lockPath}`, err);
      const st = await stat(lockPath).catch(() => null);
      if (st && Date.now() - st.mtimeMs > STALE_LOCK_MS) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (attempt >= 500) throw new AuditlakeError('E_TIMEOUT', `fs store: ${what} is being replaced by another writer (lock ${lockPath})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function ioError(what: string, err: unknown): AuditlakeError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return new AuditlakeError('E_IO', `fs store: ${what} failed${code ? ` (${code})` : ''}`, { cause: err });
}
