import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import { gzipBufferSync } from '../../../core/gzip.js';
import { writeFileAtomicAsync } from '../../../buffer/atomic-file.js';
import type { ObjectStore } from '../../../core/object-store.js';
import {
  DIGEST_VERSION,
  HASH_ALGORITHM,
  SIGNATURE_ALGORITHM,
  digestKey,
  digestPrefix,
  isoSeconds,
  parseDigestKey,
  sha256Hex,
  stringToSign,
  type ChainLocation,
  type DigestBody,
} from './digest-format.js';
import { reconcileIntents, unresolvedIntents, writeCheckpoint, type CheckpointContext } from './checkpoint.js';
import { appendJournal, entryId, finishJournal, readPending, takeJournal, withLock, type JournalEntry, type RecordEntry } from './journal.js';
import { readDigest } from './read-digest.js';
import type { DigestSigner } from './signing-key.js';
import type { ChainHeadInfo, DigestDeletionEntry, DigestObjectEntry, DigestRecorder } from '../../../core/digest.js';

export const HEAD_FILE = 'digest-head.json';
export const DEFAULT_PERIOD_MS = 3_600_000;
export const DEFAULT_CHAIN_ACCOUNT = 'auditlake';
export const DEFAULT_CHAIN_REGION = 'global';

/** The newest digest of the chain: what the next digest links to. */
export interface ChainHead {
  key: string;
  endMs: number;
  sha256: string;
  signature: string;
}

export interface DigestRecorderOptions {
  /** The vault's store: digests are written next to the objects they cover. */
  store: ObjectStore;
  signer: DigestSigner;
  /** Directory for the journal, the head file and the lock (e.g. `home.state`). Never inside the store. */
  stateDir: string;
  /** Chain location in the key (`AWSLogs/<account>/auditlake-digest/<region>/…`); defaults `auditlake` / `global`. */
  account?: string;
  region?: string;
  /** Digest period, ms (multiple of 1000); default one hour. */
  periodMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Write due digests from record()/recordDeletion() as soon as a period boundary has passed (default true), so a
   * long ingest seals its hours as it goes without anyone calling flush(). Idle periods are sealed by the next
   * record or by an explicit flush (`auditlake verify --flush`, e.g. hourly from cron).
   */
  autoFlush?: boolean;
}

/**
 * Creates the recorder the vault calls after every write and authorised deletion. Digests are written by flush()
 * for every whole period that has ended, empty periods included, each linking to the previous digest's key, hash
 * and signature.
 */
export function createDigestRecorder(opts: DigestRecorderOptions): DigestRecorder & { readonly location: ChainLocation; head(): Promise<ChainHead | null> } {
  const loc: ChainLocation = {
    account: opts.account ?? DEFAULT_CHAIN_ACCOUNT,
    region: opts.region ?? DEFAULT_CHAIN_REGION,
    periodMs: opts.periodMs ?? DEFAULT_PERIOD_MS,
  };
  if (!Number.isInteger(loc.periodMs) || loc.periodMs < 1000 || loc.periodMs % 1000 !== 0) {
    throw new AuditlakeError('E_USAGE', `digest: period ${loc.periodMs} ms must be a whole number of seconds`);
  }
  for (const [name, v] of [['account', loc.account], ['region', loc.region]] as const) {
    if (!/^[A-Za-z0-9.-]+$/.test(v)) throw new AuditlakeError('E_USAGE', `digest: chain ${name} ${JSON.stringify(v)} may only hold letters, digits, '.' and '-'`);
  }
  const now = opts.now ?? Date.now;
  const autoFlush = opts.autoFlush ?? true;
  // Next period end at which an automatic flush is due; -Infinity = not known yet (check on the first record).
  let nextBoundary = Number.NEGATIVE_INFINITY;
  // Entry times are strictly increasing within a process, so "the newest record of a key wins" is never a tie
  // (a re-encryption records deletion old → object new within the same millisecond).
  let lastT = Number.NEGATIVE_INFINITY;
  const stamp = () => (lastT = Math.max(now(), lastT + 1));
  const { store, signer, stateDir } = opts;
  // Serialises this process's appends and flushes so a flush never races its own appends.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  async function readHeadFile(): Promise<ChainHead | null> {
    try {
      return JSON.parse(await readFile(join(stateDir, HEAD_FILE), 'utf8')) as ChainHead;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new AuditlakeError('E_PARSE', `digest: cannot read ${join(stateDir, HEAD_FILE)}`, { cause: err });
    }
  }

  async function writeHeadFile(head: ChainHead): Promise<void> {
    await writeFileAtomicAsync(join(stateDir, HEAD_FILE), JSON.stringify(head, null, 2) + '\n');
  }

  /**
   * The head file, unless the store holds newer digests (a flush that crashed after its put): then the newest stored
   * digest, and the set of entries those newer digests already cover (so they are not listed twice).
   */
  async function resolveHead(): Promise<{ head: ChainHead | null; covered: Set<string> }> {
    const fileHead = await readHeadFile();
    const covered = new Set<string>();
    const newer: string[] = [];
    for await (const o of store.list(digestPrefix(loc))) {
      const p = parseDigestKey(o.key);
      if (p && p.account === loc.account && p.region === loc.region && (!fileHead || p.endMs > fileHead.endMs)) newer.push(o.key);
    }
    if (newer.length === 0) return { head: fileHead, covered };
    newer.sort((a, b) => parseDigestKey(a)!.endMs - parseDigestKey(b)!.endMs);
    // Without a head file only the newest stored digest is trusted as the link target.
    const scan = fileHead ? newer : newer.slice(-1);
    let head: ChainHead | null = fileHead;
    for (const key of scan) {
      const r = await readDigest(store, key);
      if (!r.ok || !r.digest.signature) {
        throw new AuditlakeError('E_INTEGRITY', `digest: ${key} in ${store.url} is ${r.ok ? 'unsigned' : r.detail}; run \`auditlake verify\` before writing more digests`);
      }
      for (const o of r.digest.body.objects) covered.add(`object ${o.key} ${o.hashValue}`);
      for (const d of r.digest.body.deletions) covered.add(`deletion ${d.key} ${d.hashValue}`);
      head = { key, endMs: parseDigestKey(key)!.endMs, sha256: r.digest.sha256, signature: r.digest.signature };
    }
    return { head, covered };
  }

  const cpCtx: CheckpointContext = { store, signer, stateDir, loc, now };

  /** Under the lock: the next checkpoint, pinned to the newest digest (head file, else resolved from the store). */
  async function checkpointLocked(): Promise<ChainHeadInfo | null> {
    const digestHead = (await readHeadFile()) ?? (await resolveHead()).head;
    const h = await writeCheckpoint(cpCtx, digestHead);
    return h ? { sha256: h.sha256, key: h.key, seq: h.seq, createdTime: h.createdTime } : null;
  }

  async function writeDigest(startMs: number, endMs: number, prev: ChainHead | null, entries: RecordEntry[]): Promise<ChainHead> {
    const key = digestKey(loc, endMs);
    const objects = entries.flatMap((e) =>
      e.kind === 'object'
        ? [{
            key: e.key,
            hashValue: e.sha256,
            hashAlgorithm: HASH_ALGORITHM,
            size: e.size,
            oldestEventTime: e.oldestEventTime === undefined ? null : new Date(e.oldestEventTime).toISOString(),
            newestEventTime: e.newestEventTime === undefined ? null : new Date(e.newestEventTime).toISOString(),
            recordedTime: new Date(e.t).toISOString(),
            ...(e.plaintextSha256 ? { plaintextHashValue: e.plaintextSha256 } : {}),
          } as const]
        : [],
    );
    const deletions = entries.flatMap((e) =>
      e.kind === 'deletion'
        ? [{ key: e.key, hashValue: e.sha256, hashAlgorithm: HASH_ALGORITHM, reason: e.reason, rule: e.rule, deletedTime: new Date(e.t).toISOString() } as const]
        : [],
    );
    const oldest = Math.min(...entries.flatMap((e) => (e.kind === 'object' && e.oldestEventTime !== undefined ? [e.oldestEventTime] : [])));
    const newest = Math.max(...entries.flatMap((e) => (e.kind === 'object' && e.newestEventTime !== undefined ? [e.newestEventTime] : [])));
    const body: DigestBody = {
      version: DIGEST_VERSION,
      chainAccount: loc.account,
      chainRegion: loc.region,
      digestStartTime: isoSeconds(startMs),
      digestEndTime: isoSeconds(endMs),
      periodSeconds: loc.periodMs / 1000,
      digestObject: key,
      digestPublicKeyFingerprint: signer.fingerprint,
      digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
      oldestEventTime: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
      newestEventTime: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
      previousDigestObject: prev?.key ?? null,
      previousDigestHashValue: prev?.sha256 ?? null,
      previousDigestHashAlgorithm: prev ? HASH_ALGORITHM : null,
      previousDigestSignature: prev?.signature ?? null,
      objects,
      deletions,
    };
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    const sha256 = sha256Hex(json);
    const signature = signer.sign(stringToSign(body, sha256));
    await store.put(key, gzipBufferSync(json), {
      contentType: 'application/gzip',
      metadata: { signature, 'signature-algorithm': SIGNATURE_ALGORITHM },
    });
    return { key, endMs, sha256, signature };
  }

  async function doFlush(at?: number): Promise<string[]> {
    const written = await withLock(stateDir, async () => {
      const t = at ?? now();
      // A put killed before its record: hash and record it now, so it goes into its digest like any other.
      await reconcileIntents(cpCtx, await readPending(stateDir));
      const { head: startHead, covered } = await resolveHead();
      const lines = await takeJournal(stateDir);
      const records = lines.filter((e): e is Extract<RecordEntry, { kind: 'object' | 'deletion' }> => (e.kind === 'object' || e.kind === 'deletion') && !covered.has(`${e.kind} ${e.key} ${e.sha256}`));
      let head = startHead;
      if (!head && records.length === 0) {
        await finishJournal(stateDir, keptOnFlush(lines, records));
        return [];
      }
      const P = loc.periodMs;
      let start = head ? head.endMs : Math.floor(Math.min(...records.map((e) => e.t)) / P) * P;
      let pending = records;
      const written: string[] = [];
      while (start + P <= t) {
        const end = start + P;
        // Late entries (recorded in a period already digested) go into the first digest written after them.
        const mine = pending.filter((e) => e.t < end);
        pending = pending.filter((e) => e.t >= end);
        head = await writeDigest(start, end, head, mine);
        written.push(head.key);
        start = end;
      }
      // Order matters for crash safety: journal first, head file last. A crash before the head file is
      // rewritten is repaired by resolveHead(), which finds the newer digests in the store and what they cover.
      await finishJournal(stateDir, keptOnFlush(lines, pending));
      if (head && head !== startHead) await writeHeadFile(head);
      // A checkpoint on top of the new digest: deleting the newest digest now breaks a signed link (also --no-state).
      if (written.length > 0) await checkpointLocked();
      return written;
    });
    nextBoundary = Math.floor((at ?? now()) / loc.periodMs) * loc.periodMs + loc.periodMs;
    return written;
  }

  /** Called inside the serial queue after an append: seals finished periods; a failure warns, never loses the entry. */
  async function maybeAutoFlush(): Promise<void> {
    if (!autoFlush || now() < nextBoundary) return;
    try {
      await doFlush();
    } catch (err) {
      nextBoundary = Math.floor(now() / loc.periodMs) * loc.periodMs + loc.periodMs;
      process.stderr.write(`auditlake: digest: automatic flush failed (${(err as Error).message}); entries stay in the journal, run \`auditlake verify --flush\`\n`);
    }
  }

  return {
    location: loc,
    head: () => serial(async () => (await resolveHead()).head),
    record(entry: DigestObjectEntry) {
      return serial(async () => {
        await appendJournal(stateDir, { kind: 'object', t: stamp(), ...entry });
        await maybeAutoFlush();
      });
    },
    recordDeletion(entry: DigestDeletionEntry) {
      return serial(async () => {
        await appendJournal(stateDir, { kind: 'deletion', t: stamp(), ...entry });
        await maybeAutoFlush();
      });
    },
    flush(at?: number) {
      return serial(() => doFlush(at));
    },
    recordIntent(entry) {
      return serial(() => appendJournal(stateDir, { kind: 'intent', t: stamp(), ...entry, pid: process.pid }));
    },
    checkpoint() {
      return serial(() => withLock(stateDir, checkpointLocked));
    },
  };
}

/**
 * What stays in the journal after a flush: the entries not yet digested, the intents still open (in flight here,
 * or replacements their re-encryption will finish), and one checkpoint marker naming which of them are already
 * in a checkpoint (and the newest checkpoint, for the next link).
 */
function keptOnFlush(lines: JournalEntry[], remaining: RecordEntry[]): JournalEntry[] {
  const open = unresolvedIntents(lines).filter((i) => i.pid === process.pid || i.to !== undefined);
  const keep = [...remaining, ...open];
  const ids = new Set(keep.map(entryId));
  const markers = lines.filter((e): e is Extract<JournalEntry, { kind: 'checkpoint' }> => e.kind === 'checkpoint');
  const last = markers[markers.length - 1];
  if (!last) return keep;
  const checked = markers.flatMap((m) => m.ids).filter((id) => ids.has(id));
  return [...keep, { ...last, ids: checked }];
}
