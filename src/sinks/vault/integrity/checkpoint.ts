import { createPublicKey } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError, hasErrorCode } from '../../../core/errors.js';
import { gunzipBufferSync, gzipBufferSync } from '../../../core/gzip.js';
import { readAll } from '../../../stores/read-all.js';
import type { ObjectStore } from '../../../core/object-store.js';
import {
  assertCheckpointBody,
  CHECKPOINT_TYPE,
  checkpointKey,
  checkpointPrefix,
  checkpointStringToSign,
  parseCheckpointKey,
  type CheckpointBody,
} from './checkpoint-format.js';
import { HASH_ALGORITHM, SIGNATURE_ALGORITHM, sha256Hex, type ChainLocation } from './digest-format.js';
import { appendJournal, entryId, readPending, type JournalEntry, type RecordEntry } from './journal.js';
import { verifySignature, type DigestSigner } from './signing-key.js';

/** `<state>/checkpoint-head.json`: the newest checkpoint this home wrote (what the next one links to). */
export const CHECKPOINT_HEAD_FILE = 'checkpoint-head.json';

export interface CheckpointHead {
  key: string;
  seq: number;
  sha256: string;
  signature: string;
  /** The digest it pinned. */
  headDigest: string | null;
  createdTime: string;
}

export interface LoadedCheckpoint {
  key: string;
  body: CheckpointBody;
  sha256: string;
  signature: string | null;
}

export type CheckpointReadResult = { ok: true; cp: LoadedCheckpoint } | { ok: false; reason: 'not-found' | 'invalid-format'; detail: string };

/** Reads, gunzips and parses one checkpoint; never throws for a missing or malformed one. */
export async function readCheckpoint(store: ObjectStore, key: string): Promise<CheckpointReadResult> {
  const head = await store.head(key);
  if (!head) return { ok: false, reason: 'not-found', detail: 'not found' };
  let json: Buffer;
  try {
    json = gunzipBufferSync(await readAll(await store.get(key)));
  } catch (err) {
    if (hasErrorCode(err, 'E_NOT_FOUND')) return { ok: false, reason: 'not-found', detail: 'not found' };
    return { ok: false, reason: 'invalid-format', detail: `not gzip (${(err as Error).message})` };
  }
  try {
    const body: unknown = JSON.parse(json.toString('utf8'));
    assertCheckpointBody(body, key);
    return { ok: true, cp: { key, body, sha256: sha256Hex(json), signature: head.metadata?.signature ?? null } };
  } catch (err) {
    return { ok: false, reason: 'invalid-format', detail: err instanceof AuditlakeError ? err.message : 'not JSON' };
  }
}

/** Journal entries a checkpoint lists, with the ids the journal gave them (entryId). */
export function checkpointEntryIds(body: CheckpointBody): string[] {
  return [
    ...body.objects.map((o) => `object ${o.key} ${o.hashValue} ${Date.parse(o.recordedTime)}`),
    ...body.deletions.map((d) => `deletion ${d.key} ${d.hashValue} ${Date.parse(d.deletedTime)}`),
    ...body.intents.map((i) => `intent ${i.key} ${i.toHashValue ?? ''} ${Date.parse(i.recordedTime)}`),
  ];
}

export async function readCheckpointHead(stateDir: string): Promise<CheckpointHead | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, CHECKPOINT_HEAD_FILE), 'utf8')) as CheckpointHead;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuditlakeError('E_PARSE', `checkpoint: cannot read ${join(stateDir, CHECKPOINT_HEAD_FILE)}`, { cause: err });
  }
}

async function writeCheckpointHead(stateDir: string, head: CheckpointHead): Promise<void> {
  const tmp = join(stateDir, `${CHECKPOINT_HEAD_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(head, null, 2) + '\n', { flush: true });
  await rename(tmp, join(stateDir, CHECKPOINT_HEAD_FILE));
}

export interface CheckpointContext {
  store: ObjectStore;
  signer: DigestSigner;
  stateDir: string;
  loc: ChainLocation;
  now: () => number;
}

/**
 * Intents whose put finished but whose `object` entry never came (kill -9 between the two): the object is hashed
 * as stored and recorded now. Intents of this process are writes still in flight and are left alone; replacement
 * intents (`to` set) are finished by the re-encryption that wrote them.
 */
export async function reconcileIntents(ctx: CheckpointContext, pending: JournalEntry[]): Promise<number> {
  let n = 0;
  for (const i of unresolvedIntents(pending)) {
    if (i.pid === process.pid || i.to !== undefined) continue;
    const info = await ctx.store.head(i.key);
    if (!info) continue;
    const sha = sha256Hex(await readAll(await ctx.store.get(i.key)));
    await appendJournal(ctx.stateDir, { kind: 'object', t: Math.max(ctx.now(), i.t + 1), key: i.key, sha256: sha, size: info.size });
    n++;
  }
  return n;
}

/** Intents not followed by an object or deletion entry of the same key. */
export function unresolvedIntents(entries: JournalEntry[]): Extract<JournalEntry, { kind: 'intent' }>[] {
  const lastRecord = new Map<string, number>();
  for (const e of entries) if (e.kind === 'object' || e.kind === 'deletion') lastRecord.set(e.key, Math.max(lastRecord.get(e.key) ?? -Infinity, e.t));
  return entries.filter((e): e is Extract<JournalEntry, { kind: 'intent' }> => e.kind === 'intent' && !((lastRecord.get(e.key) ?? -Infinity) >= e.t));
}

/**
 * The checkpoint to link to: the head file, then any checkpoint already stored under the next numbers (a crash
 * after the put, before the head file was written) — adopted after its signature checks out, its entries counted
 * as checkpointed. Without a head file (state lost) the newest stored checkpoint.
 */
async function resolvePrevious(ctx: CheckpointContext, checked: Set<string>): Promise<CheckpointHead | null> {
  let prev = await readCheckpointHead(ctx.stateDir);
  if (!prev) {
    let newest: string | null = null;
    for await (const o of ctx.store.list(checkpointPrefix(ctx.loc))) if (parseCheckpointKey(o.key)) newest = o.key;
    if (newest) prev = await adopt(ctx, newest, checked);
  }
  for (;;) {
    const next = checkpointKey(ctx.loc, (prev?.seq ?? 0) + 1);
    if (!(await ctx.store.head(next))) return prev;
    prev = await adopt(ctx, next, checked);
  }
}

async function adopt(ctx: CheckpointContext, key: string, checked: Set<string>): Promise<CheckpointHead> {
  const r = await readCheckpoint(ctx.store, key);
  const pub = createPublicKey(ctx.signer.publicKeyPem);
  if (!r.ok || !r.cp.signature || !verifySignature(pub, checkpointStringToSign(r.cp.body, r.cp.sha256), r.cp.signature)) {
    throw new AuditlakeError('E_INTEGRITY', `checkpoint: ${key} in ${ctx.store.url} is ${r.ok ? 'not signed by this home' : r.detail}; run \`auditlake verify\` before writing more`);
  }
  for (const id of checkpointEntryIds(r.cp.body)) checked.add(id);
  return { key, seq: r.cp.body.sequence, sha256: r.cp.sha256, signature: r.cp.signature, headDigest: r.cp.body.headDigestObject, createdTime: r.cp.body.createdTime };
}

/**
 * Writes the next checkpoint: every journal entry not yet in one, plus the current newest digest. Call under the
 * state lock. Returns the head unchanged (no write) when nothing is new.
 */
export async function writeCheckpoint(ctx: CheckpointContext, headDigest: { key: string; sha256: string; signature: string } | null): Promise<CheckpointHead | null> {
  await reconcileIntents(ctx, await readPending(ctx.stateDir));
  const pending = await readPending(ctx.stateDir);
  const checked = new Set(pending.flatMap((e) => (e.kind === 'checkpoint' ? e.ids : [])));
  const prev = await resolvePrevious(ctx, checked);
  const fresh = pending.filter((e): e is RecordEntry => e.kind !== 'checkpoint' && !checked.has(entryId(e)));
  if (prev && fresh.length === 0 && prev.headDigest === (headDigest?.key ?? null)) return prev;
  const seq = (prev?.seq ?? 0) + 1;
  const key = checkpointKey(ctx.loc, seq);
  const body = checkpointBody(ctx, key, seq, prev, headDigest, fresh);
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const sha256 = sha256Hex(json);
  const signature = ctx.signer.sign(checkpointStringToSign(body, sha256));
  await ctx.store.put(key, gzipBufferSync(json), { contentType: 'application/gzip', metadata: { signature, 'signature-algorithm': SIGNATURE_ALGORITHM } });
  // Marker first, head file last: a crash in between is repaired by resolvePrevious() (adopts the stored one).
  await appendJournal(ctx.stateDir, { kind: 'checkpoint', t: ctx.now(), key, seq, sha256, signature, ids: fresh.map(entryId) });
  const head: CheckpointHead = { key, seq, sha256, signature, headDigest: headDigest?.key ?? null, createdTime: body.createdTime };
  await writeCheckpointHead(ctx.stateDir, head);
  return head;
}

function checkpointBody(ctx: CheckpointContext, key: string, seq: number, prev: CheckpointHead | null, headDigest: { key: string; sha256: string; signature: string } | null, fresh: RecordEntry[]): CheckpointBody {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    version: 1,
    type: CHECKPOINT_TYPE,
    chainAccount: ctx.loc.account,
    chainRegion: ctx.loc.region,
    checkpointObject: key,
    sequence: seq,
    createdTime: iso(ctx.now()),
    digestPublicKeyFingerprint: ctx.signer.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    headDigestObject: headDigest?.key ?? null,
    headDigestHashValue: headDigest?.sha256 ?? null,
    headDigestSignature: headDigest?.signature ?? null,
    previousCheckpointObject: prev?.key ?? null,
    previousCheckpointHashValue: prev?.sha256 ?? null,
    previousCheckpointSignature: prev?.signature ?? null,
    objects: fresh.flatMap((e) =>
      e.kind === 'object'
        ? [{
            key: e.key, hashValue: e.sha256, hashAlgorithm: HASH_ALGORITHM, size: e.size,
            oldestEventTime: e.oldestEventTime === undefined ? null : iso(e.oldestEventTime),
            newestEventTime: e.newestEventTime === undefined ? null : iso(e.newestEventTime),
            recordedTime: iso(e.t),
            ...(e.plaintextSha256 ? { plaintextHashValue: e.plaintextSha256 } : {}),
          } as const]
        : [],
    ),
    deletions: fresh.flatMap((e) => (e.kind === 'deletion' ? [{ key: e.key, hashValue: e.sha256, hashAlgorithm: HASH_ALGORITHM, reason: e.reason, rule: e.rule, deletedTime: iso(e.t) } as const] : [])),
    intents: fresh.flatMap((e) => (e.kind === 'intent' ? [{ key: e.key, fromHashValue: e.from ?? null, toHashValue: e.to ?? null, recordedTime: iso(e.t) }] : [])),
  };
}
