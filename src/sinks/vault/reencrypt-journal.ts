import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';

/** One line of the re-encryption journal (JSON Lines, appended and fsynced in order). */
export type JournalEntry =
  | { t: 'start'; store: string; to: string; toKeyId: string; from: string | null; mode: 'rewrap' | 'reencrypt'; at: string }
  /** Phase 1: the verified state of one object before anything changed. */
  | { t: 'before'; key: string; sha256: string; size: number; keyId: string; storedSha256: string; storedSize: number; inScope: boolean }
  | { t: 'unreadable'; key: string; reason: string }
  | { t: 'inventory-done'; count: number }
  /** Phase 2 steps per object. */
  | { t: 'staged'; key: string; storedSha256: string; storedSize: number }
  | { t: 'swapped'; key: string }
  | { t: 'done'; key: string }
  | { t: 'failed'; key: string; reason: string };

export interface Journal {
  readonly path: string;
  readonly entries: JournalEntry[];
  append(e: JournalEntry): Promise<void>;
  /** Moves the journal aside (`<path>.<suffix>`) so the next run starts fresh. */
  close(suffix: string): Promise<string>;
}

/** Opens (or creates) the journal; a torn last line from a crash is ignored. */
export async function openJournal(path: string): Promise<Journal> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuditlakeError('E_IO', `reencrypt: cannot read journal ${path}`, { cause: err });
  }
  const entries: JournalEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (err) {
      // Only the last line can be torn by a kill -9 mid-append; anything earlier is real damage.
      if (i < lines.length - 2) throw new AuditlakeError('E_INTEGRITY', `reencrypt: journal ${path} line ${i + 1} is not JSON`, { cause: err });
    }
  });
  await mkdir(dirname(path), { recursive: true });
  // Cut a torn tail so the next append starts on a line of its own.
  if (text && !text.endsWith('\n')) await writeFile(path, text.slice(0, text.lastIndexOf('\n') + 1), { flush: true });
  return {
    path,
    entries,
    async append(e) {
      entries.push(e);
      await appendFile(path, JSON.stringify(e) + '\n', { flush: true });
    },
    async close(suffix) {
      const to = `${path}.${suffix}`;
      await rename(path, to);
      return to;
    },
  };
}
