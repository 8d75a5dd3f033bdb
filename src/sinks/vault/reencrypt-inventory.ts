import { errorMessage } from '../../core/errors.js';
import { VAULT_SUFFIX, sameKeyId } from './envelope-format.js';
import { measureEnvelope } from './measure.js';
import { byKey, setHash, type Before, type ReencryptObjectReport, type ReencryptReport, type RunContext } from './reencrypt-types.js';

export interface Inventory { before: Map<string, Before>; unreadable: Map<string, string> }

/**
 * Phase 1 of reencrypt: decrypt and verify every vault object and journal its plaintext SHA-256 and key. Resumes
 * where a previous run stopped; nothing is changed before it completes.
 */
export async function takeInventory(ctx: RunContext): Promise<Inventory> {
  const { store, keyring, journal, target, fromKeyId } = ctx;
  const before = new Map<string, Before>();
  const unreadable = new Map<string, string>();
  for (const e of journal.entries) {
    if (e.t === 'before') before.set(e.key, e);
    if (e.t === 'unreadable') unreadable.set(e.key, e.reason);
  }
  if (journal.entries.some((e) => e.t === 'inventory-done')) return { before, unreadable };
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
    ctx.opts.onProgress?.('inventory', ++n, o.key);
  }
  await journal.append({ t: 'inventory-done', count: before.size + unreadable.size });
  return { before, unreadable };
}

/** The report of a run refused after the inventory because some objects do not decrypt (nothing was changed). */
export function refusedReport(ctx: RunContext, inv: Inventory, resumed: boolean, journalPath: string): ReencryptReport {
  const { before, unreadable } = inv;
  const objects: ReencryptObjectReport[] = [
    ...[...before.values()].map((b) => ({ key: b.key, sha256Before: b.sha256, sha256After: b.sha256, keyIdBefore: b.keyId, keyIdAfter: b.keyId, action: 'none' as const, status: 'match' as const })),
    ...[...unreadable].map(([key, reason]) => ({ key, sha256Before: null, sha256After: null, keyIdBefore: null, keyIdAfter: null, action: 'none' as const, status: 'UNREADABLE' as const, reason })),
  ].sort(byKey);
  const shas = new Map([...before.values()].map((b) => [b.key, b.sha256]));
  const count = before.size + unreadable.size;
  return {
    to: ctx.opts.toKey, toKeyId: ctx.target.keyId, from: ctx.opts.fromKey ?? null, mode: ctx.mode, resumed,
    countBefore: count, countAfter: count, setSha256Before: setHash(shas), setSha256After: setHash(shas),
    changed: 0, objects, ok: false, journal: journalPath,
  };
}
