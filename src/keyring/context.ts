import type { EncryptionContext } from '../core/keyring.js';

/** Canonical bytes of an encryption context: JSON of the entries sorted by key (used as GCM AAD). */
export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

/** `object=<value>` for messages, when the context names one. */
export function contextLabel(context: EncryptionContext | undefined): string {
  const obj = context?.['auditlake:object'];
  return obj ? ` (object ${obj})` : '';
}
