import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditlakeError } from '../core/errors.js';

/**
 * The one place auditlake replaces a file durably: write a unique temp file beside it, fsync it, rename it over the
 * target, fsync the directory. A crash (kill -9, power cut) leaves the old or the new content, never a mix.
 * Files are 0600 (they hold audit data or key material).
 */
export async function writeFileAtomicAsync(path: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
  const mode = opts.mode ?? 0o600;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, mode); // the umask may have narrowed or (if the caller set one) widened it
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new AuditlakeError('E_IO', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  await fsyncDir(dirname(path));
}

/** The synchronous twin of writeFileAtomicAsync, for small state files (collector positions, WAL acks, fleet state). */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const d = openSync(dirname(path), 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** fsync of a directory, so a rename or a new entry in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Reads a JSON file written by writeFileAtomic(Async), or undefined when absent. */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditlakeError('E_IO', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return JSON.parse(text) as T;
}
