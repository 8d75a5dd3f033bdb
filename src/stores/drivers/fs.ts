import { randomBytes } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditlakeError } from '../../core/errors.js';
import { assertValidKey } from '../keys.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/object-store.js';

/**
 * Root entries with this prefix belong to the driver (temp files, metadata sidecars) and are
 * never listed. Temp files live under the root so the final link/rename stays on one filesystem.
 */
const RESERVED = '.auditlake-';
const TMP_DIR = `${RESERVED}tmp`;
const META_DIR = `${RESERVED}meta`;

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

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function ioError(what: string, err: unknown): AuditlakeError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return new AuditlakeError('E_IO', `fs store: ${what} failed${code ? ` (${code})` : ''}`, { cause: err });
}
