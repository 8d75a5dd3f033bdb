import { errorMessage } from '../../core/errors.js';
import { VAULT_SUFFIX, sameKeyId } from './envelope-format.js';
import { measureEnvelope, type Measured } from './measure.js';
import { byKey, setHash, type Before, type ObjectStatus, type ReencryptObjectReport, type ReencryptReport, type RunContext } from './reencrypt-types.js';

/**
 * Phase 3 of reencrypt: decrypt every object again and compare count and every SHA-256 with the inventory.
 * The report says per object match / MISMATCH / MISSING / UNREADABLE / FAILED / ADDED; ok only when all match.
 */
export async function prove(ctx: RunContext, before: Map<string, Before>, failures: Map<string, string>, resumed: boolean): Promise<ReencryptReport> {
  const after = await measureAll(ctx);
  const objects = [...before.values()].map((b) => compare(ctx, b, after.get(b.key), failures.get(b.key)));
  for (const [key, a] of after) {
    if (!before.has(key)) objects.push({ key, sha256Before: null, sha256After: typeof a === 'object' ? a.sha256 : null, keyIdBefore: null, keyIdAfter: typeof a === 'object' ? a.keyId : null, action: 'none', status: 'ADDED', reason: 'appeared during the run (pause ingest while re-encrypting)' });
  }
  objects.sort(byKey);
  const ok = objects.every((o) => o.status === 'match') && before.size === after.size;
  const shaBefore = new Map([...before.values()].map((b) => [b.key, b.sha256]));
  const shaAfter = new Map([...after].map(([k, a]) => [k, typeof a === 'object' ? a.sha256 : 'unreadable']));
  return {
    to: ctx.opts.toKey, toKeyId: ctx.target.keyId, from: ctx.opts.fromKey ?? null, mode: ctx.mode, resumed,
    countBefore: before.size, countAfter: after.size, setSha256Before: setHash(shaBefore), setSha256After: setHash(shaAfter),
    changed: objects.filter((o) => o.action === 'rewrapped' || o.action === 'reencrypted').length, objects, ok, journal: ctx.journal.path,
  };
}

/** Every vault object measured now (or why it cannot be read). */
async function measureAll(ctx: RunContext): Promise<Map<string, Measured | string>> {
  const after = new Map<string, Measured | string>();
  let v = 0;
  for await (const o of ctx.store.list('AWSLogs/')) {
    if (!o.key.endsWith(VAULT_SUFFIX)) continue;
    try {
      after.set(o.key, await measureEnvelope(ctx.store, o.key, ctx.keyring, o.key));
    } catch (err) {
      after.set(o.key, errorMessage(err));
    }
    ctx.opts.onProgress?.('verify', ++v, o.key);
  }
  return after;
}

function compare(ctx: RunContext, b: Before, a: Measured | string | undefined, failure: string | undefined): ReencryptObjectReport {
  const m = typeof a === 'object' ? a : null;
  let status: ObjectStatus = 'match';
  let reason = failure;
  if (a === undefined) status = 'MISSING';
  else if (!m) { status = 'UNREADABLE'; reason = a as string; }
  else if (m.sha256 !== b.sha256 || m.size !== b.size) status = 'MISMATCH';
  else if (b.inScope && !sameKeyId(m.keyId, ctx.target.keyId)) status = 'FAILED';
  if (status === 'match' && reason) status = 'FAILED';
  const action = b.inScope ? (ctx.mode === 'rewrap' ? 'rewrapped' : 'reencrypted') : 'unchanged';
  return { key: b.key, sha256Before: b.sha256, sha256After: m?.sha256 ?? null, keyIdBefore: b.keyId, keyIdAfter: m?.keyId ?? null, action, status, ...(reason ? { reason } : {}) };
}
