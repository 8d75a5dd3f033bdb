import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import { isProcessAlive } from './process-alive.js';


/**
 * Takes the single-writer lock of a buffer directory (`LOCK` holding our pid, O_EXCL). Two collectors appending
 * to one write-ahead buffer would interleave sequence numbers; a lock left by a dead process (kill -9) is taken over.
 * Returns the release function.
 */
const held = new Set<string>();

export function lockBufferDir(dir: string, what: string): () => void {
  const path = join(dir, 'LOCK');
  if (held.has(path)) throw new AuditlakeError('E_USAGE', `collect: ${what} is already being collected by process ${process.pid} (lock ${path})`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      return () => {
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditlakeError('E_IO', `buffer ${path}: cannot lock: ${(err as Error).message}`, { cause: err });
      let owner = 0;
      try {
        owner = Number(readFileSync(path, 'utf8').trim());
      } catch {
        /* removed meanwhile */
      }
      // our own pid in a lock we do not hold: left by an earlier process that had the same pid — stale
      if (owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
        throw new AuditlakeError('E_USAGE', `collect: ${what} is already being collected by process ${owner} (lock ${path})`);
      }
      rmSync(path, { force: true }); // stale (dead owner, or a crash between create and write)
    }
  }
  throw new AuditlakeError('E_IO', `buffer ${path}: could not take the lock`);
}
