import { createHash } from 'node:crypto';
import type { DigestRecorder } from '../../core/digest.js';
import type { KeyInfo, Keyring } from '../../core/keyring.js';
import type { ObjectStore } from '../../core/object-store.js';
import type { Journal, JournalEntry } from './reencrypt-journal.js';

export interface ReencryptOptions {
  store: ObjectStore;
  keyring: Keyring;
  /** Target customer key (id or alias). */
  toKey: string;
  /** Only objects currently wrapped by this key; default: every object not already on `toKey`. */
  fromKey?: string;
  /** Re-wrap the data key only (frames unchanged) instead of re-encrypting with a fresh data key. */
  rewrapOnly?: boolean;
  /** JSON Lines journal that makes the run resumable (home.state/reencrypt.journal.jsonl). */
  journalPath: string;
  digest?: DigestRecorder;
  onProgress?: (phase: 'inventory' | 'rewrite' | 'verify', done: number, key: string) => void;
}

export type ObjectStatus = 'match' | 'MISMATCH' | 'MISSING' | 'UNREADABLE' | 'FAILED' | 'ADDED';

export interface ReencryptObjectReport {
  key: string;
  sha256Before: string | null;
  sha256After: string | null;
  keyIdBefore: string | null;
  keyIdAfter: string | null;
  /** What this run did to it. */
  action: 'rewrapped' | 'reencrypted' | 'unchanged' | 'none';
  status: ObjectStatus;
  reason?: string;
}

export interface ReencryptReport {
  to: string;
  toKeyId: string;
  from: string | null;
  mode: 'rewrap' | 'reencrypt';
  resumed: boolean;
  countBefore: number;
  countAfter: number;
  /** SHA-256 over the sorted lines `<key> <plaintext sha256>\n`: one number that proves the whole set. */
  setSha256Before: string;
  setSha256After: string;
  changed: number;
  objects: ReencryptObjectReport[];
  ok: boolean;
  /** Where the journal (and the report JSON) went. */
  journal: string;
}

/** An object's entry of the inventory (phase 1). */
export type Before = Extract<JournalEntry, { t: 'before' }>;

/** What the three phases of one run share. */
export interface RunContext {
  opts: ReencryptOptions;
  store: ObjectStore;
  keyring: Keyring;
  digest: DigestRecorder | undefined;
  mode: 'rewrap' | 'reencrypt';
  journal: Journal;
  target: KeyInfo;
  fromKeyId: string | null;
}

/** SHA-256 over the sorted lines `<key> <plaintext sha256>\n`. */
export const setHash = (m: Map<string, string>) =>
  createHash('sha256').update([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => `${k} ${s}\n`).join('')).digest('hex');

export const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
