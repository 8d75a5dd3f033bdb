import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditlakeError } from '../../../core/errors.js';
import { isProcessAlive } from '../../../buffer/process-alive.js';

export const LOCK_NAME = '_auditlake.lock';


/**
 * Runs `fn` holding the lake's writer lock (an O_EXCL lock file holding our pid). Writers (commit,
 * compact, garbage collection) hold it only for the short publish step, so two ingests can share a lake.
 * A lock left by a process that no longer exists (kill -9) is taken over.
 */
export async function withLakeLock<T>(root: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const path = join(root, LOCK_NAME);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditlakeError('E_IO', `lake: cannot create lock ${path}: ${(err as Error).message}`, { cause: err });
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // An empty file is a lock being written right now (or a crash between open and write): wait, then judge.
      if (owner > 0 && owner !== process.pid && !isProcessAlive(owner)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new AuditlakeError('E_TIMEOUT', `lake: ${path} is held by pid ${owner || '?'} for more than ${timeoutMs / 1000} s`);
      await sleep(owner ? 20 : 50);
      if (!owner && Date.now() > deadline - timeoutMs / 2) await unlink(path).catch(() => undefined);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
