import { appendFile, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import type { DeletionReason, DigestObjectEntry } from '../../../core/digest.js';
import { isProcessAlive } from '../../../buffer/process-alive.js';

/**
 * Durable record of vault writes/deletions not yet covered by a digest: one JSON line each, appended (and flushed
 * to disk) before record() returns, so a crash between a vault put and the end of the digest period loses nothing.
 */
export type JournalEntry =
  | ({
      kind: 'object';
      /** When recorded, UTC ms: decides the digest period. */
      t: number;
    } & DigestObjectEntry)
  | { kind: 'deletion'; t: number; key: string; sha256: string; reason: DeletionReason; rule: string }
  /**
   * Written before a vault put (or a re-encryption swap), so a crash between the put and its `object` entry leaves a
   * trace: the next checkpoint/flush hashes the object and records it (reconcile), verify meanwhile shows it pending.
   * `from`/`to`: the stored hashes before/after a replacement (re-encryption), when known.
   */
  | { kind: 'intent'; t: number; key: string; from?: string; to?: string; pid: number }
  /** A signed checkpoint was stored covering the entries named in `ids` (entryId()); see checkpoint.ts. */
  | { kind: 'checkpoint'; t: number; key: string; seq: number; sha256: string; signature: string; ids: string[] };

/** Entries a digest or checkpoint lists (markers excluded). */
export type RecordEntry = Exclude<JournalEntry, { kind: 'checkpoint' }>;

/** Stable identity of one recorded entry (the same entry read back from a checkpoint gives the same id). */
export function entryId(e: RecordEntry): string {
  return `${e.kind} ${e.key} ${e.kind === 'intent' ? (e.to ?? '') : e.sha256} ${e.t}`;
}

export const JOURNAL_FILE = 'digest-journal.jsonl';
/** A flush renames the journal to this first, so appends during the flush land in a fresh journal. */
export const FLUSHING_FILE = 'digest-journal.flushing.jsonl';
export const LOCK_DIR = 'digest.lock';

export async function appendJournal(dir: string, entry: JournalEntry): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE);
  try {
    // A crash mid-append leaves a line without its newline; start on a fresh line so this entry is not glued to it.
    const fh = await open(path, 'a+');
    try {
      const { size } = await fh.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await fh.appendFile(prefix + JSON.stringify(entry) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new AuditlakeError('E_IO', `digest journal: cannot append to ${path}`, { cause: err });
  }
}

/**
 * Reads a journal file. A line that does not parse can only be the torn tail of a crashed append (appendJournal
 * writes whole lines): it is skipped with a warning naming file and line. The object it named then shows as
 * "inserted" in verify, so nothing is hidden.
 */
export async function readJournalFile(path: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuditlakeError('E_IO', `digest journal: cannot read ${path}`, { cause: err });
  }
  const out: JournalEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      process.stderr.write(`auditlake: digest journal: ${path} line ${i + 1} is a torn write (crash during append), skipped\n`);
    }
  });
  return out;
}

/** Every entry not yet in a digest: a crashed flush's file plus the live journal. */
export async function readPending(dir: string): Promise<JournalEntry[]> {
  return [...(await readJournalFile(join(dir, FLUSHING_FILE))), ...(await readJournalFile(join(dir, JOURNAL_FILE)))];
}

/**
 * Moves the live journal aside for a flush. If a previous flush crashed, its file is kept and the live journal is
 * appended to it, so nothing is lost. Returns the entries to process.
 */
export async function takeJournal(dir: string): Promise<JournalEntry[]> {
  const live = join(dir, JOURNAL_FILE);
  const flushing = join(dir, FLUSHING_FILE);
  const hasFlushing = await exists(flushing);
  if (!hasFlushing) {
    try {
      await rename(live, flushing);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuditlakeError('E_IO', `digest journal: cannot rotate ${live}`, { cause: err });
    }
  } else {
    const more = await readJournalFile(live);
    if (more.length > 0) {
      await appendFile(flushing, more.map((e) => JSON.stringify(e) + '\n').join(''), { flush: true });
      await unlink(live);
    }
  }
  return readJournalFile(flushing);
}

/** Ends a flush: entries still pending (current period) go back to the live journal, the aside file is removed. */
export async function finishJournal(dir: string, remaining: JournalEntry[]): Promise<void> {
  if (remaining.length > 0) await appendFile(join(dir, JOURNAL_FILE), remaining.map((e) => JSON.stringify(e) + '\n').join(''), { flush: true });
  await rm(join(dir, FLUSHING_FILE), { force: true });
}

/**
 * Cross-process mutual exclusion for flush(): mkdir is atomic. A lock older than `staleMs` is from a crashed
 * process and is taken over.
 */
export async function withLock<T>(dir: string, fn: () => Promise<T>, staleMs = 10 * 60_000): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, LOCK_DIR);
  const deadline = Date.now() + staleMs + 5_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditlakeError('E_IO', `digest journal: cannot lock ${lock}`, { cause: err });
      const st = await stat(lock).catch(() => null);
      // A holder killed with SIGKILL never removes its lock: a pid that no longer runs (on this host — the state
      // directory is local) frees it at once; a lock without a pid yet is only stale by age.
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
      if ((st && Date.now() - st.mtimeMs > staleMs) || (Number.isInteger(holder) && holder > 0 && !isProcessAlive(holder))) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new AuditlakeError('E_TIMEOUT', `digest journal: ${lock} is held by another process`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
