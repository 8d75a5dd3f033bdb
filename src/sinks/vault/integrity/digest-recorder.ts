import { AuditlakeError } from '../../../core/errors.js';
import type { ObjectStore } from '../../../core/object-store.js';
import type { ChainLocation } from './digest-format.js';
import { readHeadFile, resolveHead, writeHeadFile, type ChainHead } from './digest-head.js';
import { writeDigest } from './digest-write.js';
import { reconcileIntents, unresolvedIntents, writeCheckpoint, type CheckpointContext } from './checkpoint.js';
import { appendJournal, entryId, finishJournal, readPending, takeJournal, withLock, type JournalEntry, type RecordEntry } from './journal.js';
import type { DigestSigner } from './signing-key.js';
import type { ChainHeadInfo, DigestDeletionEntry, DigestObjectEntry, DigestRecorder } from '../../../core/digest.js';

export { HEAD_FILE, type ChainHead } from './digest-head.js';
export const DEFAULT_PERIOD_MS = 3_600_000;
export const DEFAULT_CHAIN_ACCOUNT = 'auditlake';
export const DEFAULT_CHAIN_REGION = 'global';

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
  const loc = chainLocation(opts);
  const now = opts.now ?? Date.now;
  const autoFlush = opts.autoFlush ?? true;
  const { store, stateDir } = opts;
  const cpCtx: CheckpointContext = { store, signer: opts.signer, stateDir, loc, now };
  // Next period end at which an automatic flush is due; -Infinity = not known yet (check on the first record).
  let nextBoundary = Number.NEGATIVE_INFINITY;
  // Entry times are strictly increasing within a process, so "the newest record of a key wins" is never a tie
  // (a re-encryption records deletion old → object new within the same millisecond).
  let lastT = Number.NEGATIVE_INFINITY;
  const stamp = () => (lastT = Math.max(now(), lastT + 1));
  // Serialises this process's appends and flushes so a flush never races its own appends.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };
  const nextBoundaryAfter = (t: number) => Math.floor(t / loc.periodMs) * loc.periodMs + loc.periodMs;

  async function doFlush(at?: number): Promise<string[]> {
    const written = await withLock(stateDir, () => flushLocked(cpCtx, at ?? now()));
    nextBoundary = nextBoundaryAfter(at ?? now());
    return written;
  }

  /** Called inside the serial queue after an append: seals finished periods; a failure warns, never loses the entry. */
  async function maybeAutoFlush(): Promise<void> {
    if (!autoFlush || now() < nextBoundary) return;
    try {
      await doFlush();
    } catch (err) {
      nextBoundary = nextBoundaryAfter(now());
      process.stderr.write(`auditlake: digest: automatic flush failed (${(err as Error).message}); entries stay in the journal, run \`auditlake verify --flush\`\n`);
    }
  }
  // The entry is made (and stamped) when its turn in the queue comes, as the journal order requires.
  const append = (entry: () => RecordEntry) => serial(async () => {
    await appendJournal(stateDir, entry());
    await maybeAutoFlush();
  });

  return {
    location: loc,
    head: () => serial(async () => (await resolveHead(store, loc, stateDir)).head),
    record: (entry: DigestObjectEntry) => append(() => ({ kind: 'object', t: stamp(), ...entry })),
    recordDeletion: (entry: DigestDeletionEntry) => append(() => ({ kind: 'deletion', t: stamp(), ...entry })),
    flush: (at?: number) => serial(() => doFlush(at)),
    recordIntent: (entry) => serial(() => appendJournal(stateDir, { kind: 'intent', t: stamp(), ...entry, pid: process.pid })),
    checkpoint: () => serial(() => withLock(stateDir, () => checkpointLocked(cpCtx))),
  };
}

/** The chain's account, region and period, checked (they become parts of object keys). */
function chainLocation(opts: DigestRecorderOptions): ChainLocation {
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
  return loc;
}

/** Under the lock: the next checkpoint, pinned to the newest digest (head file, else resolved from the store). */
async function checkpointLocked(ctx: CheckpointContext): Promise<ChainHeadInfo | null> {
  const digestHead = (await readHeadFile(ctx.stateDir)) ?? (await resolveHead(ctx.store, ctx.loc, ctx.stateDir)).head;
  const h = await writeCheckpoint(ctx, digestHead);
  return h ? { sha256: h.sha256, key: h.key, seq: h.seq, createdTime: h.createdTime } : null;
}

/** Under the lock: writes a digest for every whole period ended by `t`; returns their keys. */
async function flushLocked(ctx: CheckpointContext, t: number): Promise<string[]> {
  const { store, signer, stateDir, loc } = ctx;
  // A put killed before its record: hash and record it now, so it goes into its digest like any other.
  await reconcileIntents(ctx, await readPending(stateDir));
  const { head: startHead, covered } = await resolveHead(store, loc, stateDir);
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
    head = await writeDigest(store, signer, loc, start, end, head, mine);
    written.push(head.key);
    start = end;
  }
  // Order matters for crash safety: journal first, head file last. A crash before the head file is
  // rewritten is repaired by resolveHead(), which finds the newer digests in the store and what they cover.
  await finishJournal(stateDir, keptOnFlush(lines, pending));
  if (head && head !== startHead) await writeHeadFile(stateDir, head);
  // A checkpoint on top of the new digest: deleting the newest digest now breaks a signed link (also --no-state).
  if (written.length > 0) await checkpointLocked(ctx);
  return written;
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
