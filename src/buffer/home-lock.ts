import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditlakeError } from '../core/errors.js';
import { isProcessAlive } from './process-alive.js';

export const HOME_LOCK_NAME = 'home.lock';

/** Who holds a home: written as JSON into the lock file. */
export interface HomeLockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** The command, e.g. `ingest`. */
  command: string;
}

export interface HomeLockOptions {
  command: string;
  /** Wait for the holder to finish instead of failing at once. */
  wait?: boolean;
  /** Poll interval while waiting. Default 250 ms. */
  pollMs?: number;
  /** Told once when the run starts waiting. */
  onWait?: (holder: HomeLockHolder) => void;
}

function describe(h: HomeLockHolder): string {
  return `pid ${h.pid} on ${h.host}, ${h.command} started ${h.startedAt}`;
}

async function readHolder(path: string): Promise<{ text: string; holder?: HomeLockHolder }> {
  const text = await readFile(path, 'utf8').catch(() => '');
  try {
    const h = JSON.parse(text) as HomeLockHolder;
    return typeof h.pid === 'number' ? { text, holder: h } : { text };
  } catch {
    return { text };
  }
}

/**
 * Takes over a lock whose holder is gone. The stale file is renamed away first (only one contender's
 * rename can move it); if what moved is not the file we judged (another run took over and locked in
 * between), it is put back.
 */
async function takeOver(path: string, judgedText: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== judgedText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * One writer per home at a time: ingest, compact, reencrypt take this lock for their whole run, so a second
 * run says who holds the home (pid, host, start time) instead of colliding on an object halfway through.
 * A lock whose process is gone on this host (kill -9) is recovered; one from another host is reported,
 * never guessed stale. Returns the release function.
 */
export async function lockHome(root: string, opts: HomeLockOptions): Promise<() => Promise<void>> {
  const path = join(root, HOME_LOCK_NAME);
  const me: HomeLockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: opts.command };
  await mkdir(root, { recursive: true, mode: 0o700 });
  let told = false;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(me));
        await fh.sync();
      } finally {
        await fh.close();
      }
      return async () => {
        const now = await readHolder(path);
        if (now.holder?.pid === me.pid && now.holder.startedAt === me.startedAt) await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditlakeError('E_IO', `home: cannot create lock ${path}: ${(err as Error).message}`, { cause: err });
    }
    const { text, holder } = await readHolder(path);
    if (holder && holder.host === me.host && !isProcessAlive(holder.pid)) {
      await takeOver(path, text);
      continue;
    }
    if (!holder && text === '') {
      // Being written right now (or a crash between create and write): look again shortly.
      await sleep(opts.pollMs ?? 250);
      const again = await readHolder(path);
      if (again.text === '') await takeOver(path, '');
      continue;
    }
    const who = holder ? describe(holder) : `unreadable lock content`;
    if (!opts.wait) {
      const hint = holder && holder.host !== me.host ? ` If that host is gone, remove ${path}.` : ' Use --wait to queue behind it.';
      throw new AuditlakeError('E_LOCKED', `home ${root} is in use by another run (${who}).${hint}`);
    }
    if (!told && holder) opts.onWait?.(holder);
    told = true;
    await sleep(opts.pollMs ?? 250);
  }
}
