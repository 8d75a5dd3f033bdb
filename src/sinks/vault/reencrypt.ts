import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { AuditlakeError, errorMessage } from '../../core/errors.js';
import type { DigestRecorder } from '../../core/digest.js';
import type { Keyring } from '../../core/keyring.js';
import type { ObjectStore } from '../../core/object-store.js';
import { VAULT_SUFFIX, sameKeyId } from './envelope-format.js';
import { STAGING_PREFIX } from './layout.js';
import { measureEnvelope, storedSha256, type Measured } from './measure.js';
import { open, readPrefix } from './open.js';
import { openJournal, type JournalEntry } from './reencrypt-journal.js';
import { rewrapEnvelope } from './rewrap.js';
import { seal } from './seal.js';
import { createByteReader } from './byte-reader.js';

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

const setHash = (m: Map<string, string>) =>
  createHash('sha256').update([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => `${k} ${s}\n`).join('')).digest('hex');

/**
 * Re-encrypts (or re-wraps) every vault object under `toKey`, resumable and proven:
 *  1. inventory — decrypt and verify every object, journal its plaintext SHA-256 (refuse if any is unreadable);
 *  2. rewrite — per object: write a staging copy, verify it decrypts to the same SHA-256, only then replace the
 *     old copy (delete, copy staging, verify again), then drop the staging copy; each step journalled;
 *  3. prove — decrypt every object again and compare count and every SHA-256 with step 1.
 * Refuses (ok=false, old copies kept) on any difference. A crash at any point resumes from the journal.
 */
export async function reencryptVault(opts: ReencryptOptions): Promise<ReencryptReport> {
  const { store, keyring, digest } = opts;
  const mode = opts.rewrapOnly ? 'rewrap' : 'reencrypt';
  const journal = await openJournal(opts.journalPath);
  const started = journal.entries.find((e): e is Extract<JournalEntry, { t: 'start' }> => e.t === 'start');
  if (started && (started.store !== store.url || started.to !== opts.toKey || started.mode !== mode || started.from !== (opts.fromKey ?? null))) {
    throw new AuditlakeError('E_USAGE', `reencrypt: an unfinished run on ${started.store} to ${started.to} (${started.mode}${started.from ? `, from ${started.from}` : ''}) is recorded in ${journal.path}; finish it first with the same options`);
  }
  const target = await keyring.describe(opts.toKey);
  if (!target.enabled) throw new AuditlakeError('E_KEY', `reencrypt: target key ${opts.toKey} (${target.keyId}) is disabled`);
  const fromKeyId = opts.fromKey ? (await keyring.describe(opts.fromKey)).keyId : null;
  if (!started) await journal.append({ t: 'start', store: store.url, to: opts.toKey, toKeyId: target.keyId, from: opts.fromKey ?? null, mode, at: new Date().toISOString() });

  // Phase 1: inventory (resumes where it stopped; nothing has been changed before it completes).
  const before = new Map<string, Extract<JournalEntry, { t: 'before' }>>();
  const unreadable = new Map<string, string>();
  for (const e of journal.entries) {
    if (e.t === 'before') before.set(e.key, e);
    if (e.t === 'unreadable') unreadable.set(e.key, e.reason);
  }
  if (!journal.entries.some((e) => e.t === 'inventory-done')) {
    let n = before.size + unreadable.size;
    for await (const o of store.list('AWSLogs/')) {
      if (!o.key.endsWith(VAULT_SUFFIX) || before.has(o.key) || unreadable.has(o.key)) continue;
      try {
        const m = await measureEnvelope(store, o.key, keyring, o.key);
        const inScope = fromKeyId ? sameKeyId(m.keyId, fromKeyId) : !sameKeyId(m.keyId, target.keyId);
        const e = { t: 'before' as const, key: o.key, sha256: m.sha256, size: m.size, keyId: m.keyId, storedSha256: m.storedSha256, storedSize: m.storedSize, inScope };
        before.set(o.key, e);
        await journal.append(e);
      } catch (err) {
        unreadable.set(o.key, errorMessage(err));
        await journal.append({ t: 'unreadable', key: o.key, reason: errorMessage(err) });
      }
      opts.onProgress?.('inventory', ++n, o.key);
    }
    await journal.append({ t: 'inventory-done', count: before.size + unreadable.size });
  }
  if (unreadable.size > 0) {
    // Nothing was changed yet: refuse, keep every copy, and let the next run start afresh.
    const objects: ReencryptObjectReport[] = [
      ...[...before.values()].map((b) => ({ key: b.key, sha256Before: b.sha256, sha256After: b.sha256, keyIdBefore: b.keyId, keyIdAfter: b.keyId, action: 'none' as const, status: 'match' as const })),
      ...[...unreadable].map(([key, reason]) => ({ key, sha256Before: null, sha256After: null, keyIdBefore: null, keyIdAfter: null, action: 'none' as const, status: 'UNREADABLE' as const, reason })),
    ].sort((a, b) => (a.key < b.key ? -1 : 1));
    const shas = new Map([...before.values()].map((b) => [b.key, b.sha256]));
    const moved = await journal.close(`refused-${stamp()}`);
    return finish({ to: opts.toKey, toKeyId: target.keyId, from: opts.fromKey ?? null, mode, resumed: !!started, countBefore: before.size + unreadable.size, countAfter: before.size + unreadable.size, setSha256Before: setHash(shas), setSha256After: setHash(shas), changed: 0, objects, ok: false, journal: moved });
  }

  // Phase 2: rewrite, one object at a time, each step journalled.
  const state = new Map<string, JournalEntry>();
  for (const e of journal.entries) {
    if (e.t !== 'staged' && e.t !== 'swapped' && e.t !== 'done' && e.t !== 'failed') continue;
    // A failure after the staging copy was verified must not throw that copy away on retry: resume at the swap.
    const prev = state.get(e.key);
    if (e.t === 'failed' && (prev?.t === 'staged' || prev?.t === 'swapped')) continue;
    state.set(e.key, e);
  }
  const failures = new Map<string, string>();
  let n = 0;
  for (const b of before.values()) {
    if (!b.inScope) continue;
    try {
      await rewriteOne(b, state.get(b.key));
    } catch (err) {
      failures.set(b.key, errorMessage(err));
      await journal.append({ t: 'failed', key: b.key, reason: errorMessage(err) });
    }
    opts.onProgress?.('rewrite', ++n, b.key);
  }

  async function rewriteOne(b: Extract<JournalEntry, { t: 'before' }>, last: JournalEntry | undefined): Promise<void> {
    const stg = STAGING_PREFIX + b.key;
    let staged = last?.t === 'staged' ? last : null;
    if (last?.t === 'done') return;
    if (!last || last.t === 'failed') {
      await dropStaging(stg);
      const written = await writeStaging(b.key, stg);
      const m = await measureEnvelope(store, stg, keyring, b.key).catch(async (err: unknown) => {
        await dropStaging(stg);
        throw new AuditlakeError('E_INTEGRITY', `reencrypt: new copy of ${b.key} does not verify (${errorMessage(err)}); old copy kept`, { cause: err });
      });
      if (m.sha256 !== b.sha256 || m.size !== b.size || !sameKeyId(m.keyId, target.keyId)) {
        await dropStaging(stg);
        throw new AuditlakeError('E_INTEGRITY', `reencrypt: new copy of ${b.key} decrypts to ${m.sha256} (${m.size} B) under ${m.keyId}, expected ${b.sha256} (${b.size} B) under ${target.keyId}; old copy kept`);
      }
      if (written !== m.storedSha256) throw new AuditlakeError('E_INTEGRITY', `reencrypt: staging copy ${stg} changed between write and verify`);
      staged = { t: 'staged', key: b.key, storedSha256: m.storedSha256, storedSize: m.storedSize };
      await journal.append(staged);
    }
    if (staged) {
      // The new copy is verified; only now may the old one go. The swap is announced in the chain first, signed
      // (old hash → new hash), so verify accepts either copy — and the staging copy while neither is there —
      // at every moment, crash or not; the records of what happened follow the swap.
      const cur = (await store.head(b.key)) ? await storedSha256(store, b.key) : null;
      if (cur !== staged.storedSha256) {
        await digest?.recordIntent({ key: b.key, from: cur ?? b.storedSha256, to: staged.storedSha256 });
        await digest?.checkpoint();
        if (cur !== null) await store.delete(b.key);
        await store.put(b.key, await store.get(stg), { contentType: 'application/vnd.auditlake.alv' });
      }
      const m = await measureEnvelope(store, b.key, keyring, b.key);
      if (m.sha256 !== b.sha256 || m.storedSha256 !== staged.storedSha256) {
        throw new AuditlakeError('E_INTEGRITY', `reencrypt: ${b.key} does not verify after the swap (${m.sha256}); the verified new copy stays at ${stg}`);
      }
      // Also when a crash came between the put and these lines (the resumed run finds the new copy in place).
      await digest?.recordDeletion({ key: b.key, sha256: b.storedSha256, reason: 'reencrypt', rule: `reencrypt ${mode} to ${opts.toKey}` });
      await digest?.record({ key: b.key, sha256: m.storedSha256, size: m.storedSize, plaintextSha256: m.sha256 });
      await journal.append({ t: 'swapped', key: b.key });
    }
    await dropStaging(stg);
    await journal.append({ t: 'done', key: b.key });
  }

  async function writeStaging(vaultKey: string, stg: string): Promise<string> {
    const old = await store.get(vaultKey);
    let body;
    let verifiedOld: Promise<unknown> = Promise.resolve();
    if (mode === 'rewrap') {
      body = (await rewrapEnvelope(old, { keyring, toKey: opts.toKey, vaultKey })).stream;
    } else {
      const prefix = await peekHeader(vaultKey);
      const o = open(old, { keyring, vaultKey });
      verifiedOld = o.done;
      const s = seal(o.stream, { keyring, keyId: opts.toKey, vaultKey, name: prefix.object.name, frameSize: prefix.frameSize, ...(prefix.object.source ? { source: prefix.object.source } : {}) });
      body = s.stream;
    }
    await digest?.recordIntent({ key: stg });
    const info = await store.put(stg, body, { contentType: 'application/vnd.auditlake.alv' });
    await verifiedOld;
    const sha = await storedSha256(store, stg);
    await digest?.record({ key: stg, sha256: sha, size: info.size });
    return sha;
  }

  async function peekHeader(key: string) {
    const body = await store.get(key);
    try {
      return (await readPrefix(createByteReader(body), key)).header;
    } finally {
      body.destroy();
    }
  }

  async function dropStaging(stg: string): Promise<void> {
    if (!(await store.head(stg))) return;
    const sha = await storedSha256(store, stg);
    await digest?.recordDeletion({ key: stg, sha256: sha, reason: 'reencrypt', rule: `reencrypt staging copy` });
    // Signed before the copy goes, so an auditor without the home state sees an authorised deletion, not a loss.
    await digest?.checkpoint();
    await store.delete(stg);
  }

  // Phase 3: prove.
  const after = new Map<string, Measured | string>();
  let v = 0;
  for await (const o of store.list('AWSLogs/')) {
    if (!o.key.endsWith(VAULT_SUFFIX)) continue;
    try {
      after.set(o.key, await measureEnvelope(store, o.key, keyring, o.key));
    } catch (err) {
      after.set(o.key, errorMessage(err));
    }
    opts.onProgress?.('verify', ++v, o.key);
  }
  const objects: ReencryptObjectReport[] = [];
  for (const b of before.values()) {
    const a = after.get(b.key);
    const m = typeof a === 'object' ? a : null;
    let status: ObjectStatus = 'match';
    let reason = failures.get(b.key);
    if (a === undefined) status = 'MISSING';
    else if (!m) { status = 'UNREADABLE'; reason = a as string; }
    else if (m.sha256 !== b.sha256 || m.size !== b.size) status = 'MISMATCH';
    else if (b.inScope && !sameKeyId(m.keyId, target.keyId)) status = 'FAILED';
    if (status === 'match' && reason) status = 'FAILED';
    objects.push({ key: b.key, sha256Before: b.sha256, sha256After: m?.sha256 ?? null, keyIdBefore: b.keyId, keyIdAfter: m?.keyId ?? null, action: b.inScope ? (mode === 'rewrap' ? 'rewrapped' : 'reencrypted') : 'unchanged', status, ...(reason ? { reason } : {}) });
  }
  for (const [key, a] of after) {
    if (!before.has(key)) objects.push({ key, sha256Before: null, sha256After: typeof a === 'object' ? a.sha256 : null, keyIdBefore: null, keyIdAfter: typeof a === 'object' ? a.keyId : null, action: 'none', status: 'ADDED', reason: 'appeared during the run (pause ingest while re-encrypting)' });
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : 1));
  const ok = objects.every((o) => o.status === 'match') && before.size === after.size;
  const shaBefore = new Map([...before.values()].map((b) => [b.key, b.sha256]));
  const shaAfter = new Map([...after].map(([k, a]) => [k, typeof a === 'object' ? a.sha256 : 'unreadable']));
  const report: ReencryptReport = {
    to: opts.toKey, toKeyId: target.keyId, from: opts.fromKey ?? null, mode, resumed: !!started,
    countBefore: before.size, countAfter: after.size, setSha256Before: setHash(shaBefore), setSha256After: setHash(shaAfter),
    changed: objects.filter((o) => o.action === 'rewrapped' || o.action === 'reencrypted').length, objects, ok, journal: journal.path,
  };
  // On success the journal is moved aside; on failure it stays so a rerun retries the failed objects.
  if (ok) report.journal = await journal.close(`done-${stamp()}`);
  return finish(report);
}

async function finish(report: ReencryptReport): Promise<ReencryptReport> {
  await writeFile(`${report.journal}.report.json`, JSON.stringify(report, null, 2) + '\n');
  return report;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
