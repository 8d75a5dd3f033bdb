import { execFileSync } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditlakeError } from '../../../core/errors.js';

/**
 * Named pipes let DuckDB's `read_csv` read a spill that only exists decrypted in memory: the bytes pass through
 * the kernel's pipe buffer and never reach a file (issue 11 item 3: nothing in clear on disk when keys are on).
 */
export function makeFifo(path: string): void {
  try {
    // Node has no mkfifo; the coreutils one is on every Linux and macOS this runs on.
    execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
  } catch (err) {
    throw new AuditlakeError('E_IO', `lake: cannot create the named pipe ${path} that feeds DuckDB an encrypted spill (is mkfifo installed?)`, { cause: err });
  }
}

/**
 * Streams `source()` into the FIFO at `path` once a reader (DuckDB) has opened it, and closes it (EOF).
 * Opening for writing waits for the reader by polling a non-blocking open (ENXIO = no reader yet): a blocking open
 * would hold a libuv thread forever if the query fails before reading, and a read-write open would let a small
 * payload be written and discarded before the reader arrives. Gives up quietly when `until` settles first.
 */
export async function feedFifo(path: string, source: () => Readable, until: Promise<unknown>): Promise<void> {
  let settled = false;
  until.then(() => { settled = true; }, () => { settled = true; });
  let fd: number | undefined;
  for (let wait = 1; fd === undefined; wait = Math.min(wait * 2, 20)) {
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw new AuditlakeError('E_IO', `lake: cannot open the named pipe ${path}`, { cause: err });
      if (settled) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  // A Socket on the FIFO's fd writes non-blockingly with back-pressure (fs streams would block a pool thread).
  const sock = new Socket({ fd, readable: false, writable: true });
  try {
    await pipeline(source(), sock);
  } catch (err) {
    // The reader went away (the query failed): the query's own error is the one to report.
    if (settled) return;
    throw new AuditlakeError('E_IO', `lake: feeding ${path} to DuckDB failed`, { cause: err });
  }
}
