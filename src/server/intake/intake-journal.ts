/**
 * @module
 * The durable record of accepted intake events: one JSON line per event appended to `<home>/state/intake/events.jsonl`
 * and fsynced before the server answers 202, so a kill -9 after the answer loses nothing. Workflows are rebuilt from
 * it at start (the journal is the single source of truth). A torn last line (crash mid-write) is skipped: its
 * sender got no 202 and retries.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import type { IntakeEvent } from './parse-create-event.js';

export interface JournalEntry {
  event: IntakeEvent;
  acceptedAt: string;
  /** Who sent it (token id / OIDC subject). */
  by: string;
}

export interface IntakeJournal {
  readonly file: string;
  entries(): JournalEntry[];
  /** Appends and fsyncs; returns only when the line is on disk. */
  append(entries: JournalEntry[]): void;
  close(): void;
}

export function openIntakeJournal(stateDir: string): IntakeJournal {
  const dir = join(stateDir, 'intake');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.jsonl');
  const loaded: JournalEntry[] = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]) continue;
    try {
      loaded.push(JSON.parse(lines[i]) as JournalEntry);
    } catch {
      if (i < lines.length - 1) throw new AuditlakeError('E_PARSE', `intake journal ${file}: line ${i + 1} is not JSON`); // only the last line may be torn
    }
  }
  const fd = openSync(file, 'a', 0o600);
  // A torn tail has no newline: start the next record on a line of its own.
  if (text.length > 0 && !text.endsWith('\n')) writeSync(fd, '\n');
  return {
    file,
    entries: () => loaded,
    append(entries) {
      if (entries.length === 0) return;
      writeSync(fd, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
      fsyncSync(fd);
      loaded.push(...entries);
    },
    close: () => closeSync(fd),
  };
}
