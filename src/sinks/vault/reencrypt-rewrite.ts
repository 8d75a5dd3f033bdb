import { AuditlakeError, errorMessage } from '../../core/errors.js';
import { sameKeyId } from './envelope-format.js';
import { STAGING_PREFIX } from './layout.js';
import { measureEnvelope, storedSha256 } from './measure.js';
import { open, readPrefix } from './open.js';
import type { JournalEntry } from './reencrypt-journal.js';
import type { Before, RunContext } from './reencrypt-types.js';
import { rewrapEnvelope } from './rewrap.js';
import { seal } from './seal.js';
import { createByteReader } from './byte-reader.js';

/**
 * Phase 2 of reencrypt: per object in scope, write a staging copy, verify it decrypts to the same SHA-256, only
 * then replace the old copy (announced in the digest chain first), verify again and drop the staging copy; each
 * step journalled, so a crash resumes at the step it stopped in. Returns the objects that failed, with why.
 */
export async function rewriteAll(ctx: RunContext, before: Map<string, Before>): Promise<Map<string, string>> {
  const state = lastSteps(ctx.journal.entries);
  const failures = new Map<string, string>();
  let n = 0;
  for (const b of before.values()) {
    if (!b.inScope) continue;
    try {
      await rewriteOne(ctx, b, state.get(b.key));
    } catch (err) {
      failures.set(b.key, errorMessage(err));
      await ctx.journal.append({ t: 'failed', key: b.key, reason: errorMessage(err) });
    }
    ctx.opts.onProgress?.('rewrite', ++n, b.key);
  }
  return failures;
}

/** The last rewrite step journalled per object. */
function lastSteps(entries: JournalEntry[]): Map<string, JournalEntry> {
  const state = new Map<string, JournalEntry>();
  for (const e of entries) {
    if (e.t !== 'staged' && e.t !== 'swapped' && e.t !== 'done' && e.t !== 'failed') continue;
    // A failure after the staging copy was verified must not throw that copy away on retry: resume at the swap.
    const prev = state.get(e.key);
    if (e.t === 'failed' && (prev?.t === 'staged' || prev?.t === 'swapped')) continue;
    state.set(e.key, e);
  }
  return state;
}

async function rewriteOne(ctx: RunContext, b: Before, last: JournalEntry | undefined): Promise<void> {
  const stg = STAGING_PREFIX + b.key;
  if (last?.t === 'done') return;
  let staged = last?.t === 'staged' ? last : null;
  if (!last || last.t === 'failed') staged = await stageVerified(ctx, b, stg);
  if (staged) await swap(ctx, b, staged, stg);
  await dropStaging(ctx, stg);
  await ctx.journal.append({ t: 'done', key: b.key });
}

/** Writes the staging copy and proves it decrypts to the object's plaintext under the target key. */
async function stageVerified(ctx: RunContext, b: Before, stg: string): Promise<Extract<JournalEntry, { t: 'staged' }>> {
  const { store, keyring, target } = ctx;
  await dropStaging(ctx, stg);
  const written = await writeStaging(ctx, b.key, stg);
  const m = await measureEnvelope(store, stg, keyring, b.key).catch(async (err: unknown) => {
    await dropStaging(ctx, stg);
    throw new AuditlakeError('E_INTEGRITY', `reencrypt: new copy of ${b.key} does not verify (${errorMessage(err)}); old copy kept`, { cause: err });
  });
  if (m.sha256 !== b.sha256 || m.size !== b.size || !sameKeyId(m.keyId, target.keyId)) {
    await dropStaging(ctx, stg);
    throw new AuditlakeError('E_INTEGRITY', `reencrypt: new copy of ${b.key} decrypts to ${m.sha256} (${m.size} B) under ${m.keyId}, expected ${b.sha256} (${b.size} B) under ${target.keyId}; old copy kept`);
  }
  if (written !== m.storedSha256) throw new AuditlakeError('E_INTEGRITY', `reencrypt: staging copy ${stg} changed between write and verify`);
  const staged = { t: 'staged' as const, key: b.key, storedSha256: m.storedSha256, storedSize: m.storedSize };
  await ctx.journal.append(staged);
  return staged;
}

/** Replaces the old copy by the verified staging copy. */
async function swap(ctx: RunContext, b: Before, staged: Extract<JournalEntry, { t: 'staged' }>, stg: string): Promise<void> {
  const { store, keyring, digest } = ctx;
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
  await digest?.recordDeletion({ key: b.key, sha256: b.storedSha256, reason: 'reencrypt', rule: `reencrypt ${ctx.mode} to ${ctx.opts.toKey}` });
  await digest?.record({ key: b.key, sha256: m.storedSha256, size: m.storedSize, plaintextSha256: m.sha256 });
  await ctx.journal.append({ t: 'swapped', key: b.key });
}

async function writeStaging(ctx: RunContext, vaultKey: string, stg: string): Promise<string> {
  const { store, keyring, digest, opts } = ctx;
  const old = await store.get(vaultKey);
  let body;
  let verifiedOld: Promise<unknown> = Promise.resolve();
  if (ctx.mode === 'rewrap') {
    body = (await rewrapEnvelope(old, { keyring, toKey: opts.toKey, vaultKey })).stream;
  } else {
    const prefix = await peekHeader(ctx, vaultKey);
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

async function peekHeader(ctx: RunContext, key: string) {
  const body = await ctx.store.get(key);
  try {
    return (await readPrefix(createByteReader(body), key)).header;
  } finally {
    body.destroy();
  }
}

async function dropStaging(ctx: RunContext, stg: string): Promise<void> {
  const { store, digest } = ctx;
  if (!(await store.head(stg))) return;
  const sha = await storedSha256(store, stg);
  await digest?.recordDeletion({ key: stg, sha256: sha, reason: 'reencrypt', rule: `reencrypt staging copy` });
  // Signed before the copy goes, so an auditor without the home state sees an authorised deletion, not a loss.
  await digest?.checkpoint();
  await store.delete(stg);
}
