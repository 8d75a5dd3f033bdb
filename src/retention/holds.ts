import { randomBytes } from 'node:crypto';
import { AuditlakeError } from '../core/errors.js';
import type { VaultKeyInfo } from './classify-key.js';
import type { LegalHold, RetentionConfig } from './types.js';

/** Adds a hold; returns the new config and the hold (id `hold-<8 hex>`). */
export function addHold(config: RetentionConfig, h: { prefix?: string; account?: string; cluster?: string; reason: string; by: string; now?: Date }): { config: RetentionConfig; hold: LegalHold } {
  if (!h.prefix && !h.account && !h.cluster) throw new AuditlakeError('E_USAGE', 'hold: name what to hold with --prefix, --account and/or --cluster');
  if (!h.reason.trim()) throw new AuditlakeError('E_USAGE', 'hold: --reason must not be empty');
  const hold: LegalHold = {
    id: `hold-${randomBytes(4).toString('hex')}`,
    ...(h.prefix ? { prefix: h.prefix } : {}),
    ...(h.account ? { account: h.account } : {}),
    ...(h.cluster ? { cluster: h.cluster } : {}),
    reason: h.reason,
    by: h.by,
    createdAt: (h.now ?? new Date()).toISOString(),
  };
  return { config: { ...config, holds: [...config.holds, hold] }, hold };
}

export function removeHold(config: RetentionConfig, id: string): RetentionConfig {
  if (!config.holds.some((h) => h.id === id)) throw new AuditlakeError('E_NOT_FOUND', `hold: no hold with id ${id} (see \`auditlake hold list\`)`);
  return { ...config, holds: config.holds.filter((h) => h.id !== id) };
}

/** What a hold covers, for listings: `prefix …, account …, cluster …` (the criteria it has). */
export function describeHold(h: LegalHold): string {
  return [h.prefix && `prefix ${h.prefix}`, h.account && `account ${h.account}`, h.cluster && `cluster ${h.cluster}`].filter(Boolean).join(', ');
}

/** The first hold covering a vault object, or undefined. Every given criterion of a hold must match. */
export function holdFor(holds: readonly LegalHold[], key: string, info: VaultKeyInfo | null): LegalHold | undefined {
  return holds.find(
    (h) =>
      (h.prefix === undefined || key.startsWith(h.prefix)) &&
      (h.account === undefined || info?.account === h.account) &&
      (h.cluster === undefined || info?.cluster === h.cluster),
  );
}

/**
 * The first hold covering a lake partition. Partitions carry no cluster or key, so a hold by cluster or prefix
 * protects every partition of the accounts it could touch (`accountsOf`), or all partitions when unknown:
 * over-keeping is safe, under-keeping is not.
 */
export function holdForPartition(holds: readonly LegalHold[], account: string, accountsOf: (h: LegalHold) => Set<string> | null): LegalHold | undefined {
  return holds.find((h) => {
    if (h.account !== undefined && h.account !== account) return false;
    if (h.cluster === undefined && h.prefix === undefined) return true;
    const acc = accountsOf(h);
    return acc === null || acc.has(account);
  });
}
