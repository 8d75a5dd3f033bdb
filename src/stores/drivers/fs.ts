import { randomBytes } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, realpath, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditlakeError } from '../../core/errors.js';
import { fsyncDir } from '../../buffer/atomic-file.js';
import { assertValidKey } from '../keys.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/object-store.js';

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
  /**
   * Follow symbolic links, but only to files and directories inside `root` (links leading outside, dangling
   * links and loops are passed over with a reason). Default false: a planted link to /etc/shadow or to
   * another folder is never read.
   */
  followSymlinks?: boolean;
  /** Told about every entry list() passes over: symbolic links, FIFOs, sockets, devices (with the reason). */
  onNotRegular?: (key: string, reason: string) => void;
}

/** What kind of non-regular entry a Dirent is, for the reason. */
function entryKind(e: Dirent): string {
  if (e.isFIFO()) return 'a FIFO';
  if (e.isSocket()) return 'a socket';
  if (e.isCharacterDevice()) return 'a character device';
  if (e.isBlockDevice()) return 'a block device';
  return 'not a regular file';
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
  const follow = opts.followSymlinks ?? false;
  const skip = (key: string, reason: string) => opts.onNotRegular?.(key, reason);
  let realRootP: Promise<string> | undefined;
  /** The root with its own links resolved (the root itself may be a link, e.g. /tmp on macOS). */
  const realRoot = () => (realRootP ??= realpath(root).catch((err: unknown) => {
    realRootP = undefined;
    throw err;
  }));
  const inside = (rr: string, p: string) => p === rr || p.startsWith(rr + sep);

  /**
   * The real path to open for `key`: inside the root, and (unless following links) reached without any link,
   * so a key can never read outside the source whatever was planted in it.
   */
  async function confinedPath(key: string): Promise<string> {
    const rr = await realRoot();
    const real = await realpath(pathOf(key));
    const ok = follow ? inside(rr, real) : real === join(rr, ...key.split('/'));
    if (!ok) throw new AuditlakeError('E_NOT_FOUND', `fs store: ${pathOf(key)} leads outside ${root} through a symbolic link${follow ? '' : ' (links are not followed)'}`);
    return real;
  }

  /** For a followed link: what it points to, if it stays inside the root and is not one of `ancestors`. */
  async function followLink(path: string, key: string, ancestors: Set<string>): Promise<{ dir: boolean; real: string } | undefined> {
    const rr = await realRoot();
    const real = await realpath(path).catch(() => undefined);
    if (!real) return void skip(key, 'dangling symbolic link');
    if (!inside(rr, real)) return void skip(key, 'symbolic link to outside the source (not followed)');
    const st = await stat(real).catch(() => undefined);
    if (!st || (!st.isDirectory() && !st.isFile())) return void skip(key, 'symbolic link to a special file');
    if (st.isDirectory() && ancestors.has(real)) return void skip(key, 'symbolic link loop (not followed)');
    return { dir: st.isDirectory(), real };
  }

  async function info(key: string, withMeta: boolean): Promise<ObjectInfo | null> {
    let st;
    try {
      st = follow ? await stat(pathOf(key)) : await lstat(pathOf(key));
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
  async function* walk(dirPath: string, keyPrefix: string, prefix: string, ancestors: Set<string>): AsyncGenerator<ObjectInfo> {
    let entries: Dirent[];
    try {
      entries = await readdir(dirPath, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw ioError(`list ${dirPath}`, err);
    }
    const items: { name: string; sortKey: string; dir: boolean; real?: string }[] = [];
    for (const e of entries) {
      if (keyPrefix === '' && e.name.startsWith(RESERVED)) continue;
      const key = keyPrefix + e.name;
      let dir = e.isDirectory();
      let real: string | undefined;
      if (e.isSymbolicLink()) {
        if (!key.startsWith(prefix) && !prefix.startsWith(key)) continue;
        if (!follow) {
          skip(key, 'symbolic link (not followed; --follow-symlinks follows links that stay inside the source)');
          continue;
        }
        const target = await followLink(join(dirPath, e.name), key, ancestors);
        if (!target) continue;
        dir = target.dir;
        real = target.real;
      } else if (!dir && !e.isFile()) {
        if (key.startsWith(prefix)) skip(key, `${entryKind(e)} (only regular files are read)`);
        continue;
      }
      items.push({ name: e.name, sortKey: dir ? `${e.name}/` : e.name, dir, ...(real ? { real } : {}) });
    }
    items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const it of items) {
      const key = keyPrefix + it.name;
      if (it.dir) {
        const sub = `${key}/`;
        // Descend only where keys can still match the prefix.
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) {
          const path = join(dirPath, it.name);
          // Loops are only possible through followed links: the chain of real directories above tells them.
          const real = it.real ?? (follow ? await realpath(path).catch(() => path) : path);
          yield* walk(path, sub, prefix, follow ? new Set([...ancestors, real]) : ancestors);
        }
      } else if (key.startsWith(prefix)) {
        const i = await info(key, false);
        if (i) yield i;
      }
    }
  }

  return {
    url,
    list(prefix = '') {
      return (async function* () {
        const start = follow ? await realRoot().catch(() => root) : root;
        yield* walk(root, '', prefix, new Set([start]));
      })();
    },
    head(key) {
      assertValidKey('fs store', key);
      return info(key, true);
    },
    async get(key) {
      assertValidKey('fs store', key);
      try {
        // O_NOFOLLOW: the last component cannot be swapped for a link after the check; O_NONBLOCK: a FIFO
        // put there instead does not block the open (it is then refused as not a regular file).
        const fh = await open(await confinedPath(key), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
        if (!(await fh.stat()).isFile()) {
          await fh.close();
          throw new AuditlakeError('E_NOT_FOUND', `fs store: ${pathOf(key)} is not a regular file`);
        }
        return fh.createReadStream({ highWaterMark: 1 << 20 });
      } catch (err) {
        if (err instanceof AuditlakeError) throw err;
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
