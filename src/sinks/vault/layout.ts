import { VAULT_SUFFIX } from './envelope-format.js';

/** What places an object in the vault layout. */
export interface VaultPlacement {
  /** AWS account id ('' → `unknown`). */
  account: string;
  /** `redshift`, `cloudtrail`, `postgres`, … */
  service: string;
  region: string;
  /** YYYY-MM-DD ('' → the day of the write, UTC). */
  date: string;
  /** Original file name (the last segment of the source key). */
  name: string;
}

const SAFE = /[^A-Za-z0-9._=:+@-]/g;
const seg = (s: string, fallback: string) => (s ? s.replace(SAFE, '_') : fallback);

/**
 * `AWSLogs/<acct>/<service>/<region>/YYYY/MM/DD/<original file name>.alv` — the layout Redshift and CloudTrail
 * use for their own S3 delivery, so a vault bucket reads like the source bucket. Characters outside
 * [A-Za-z0-9._=:+@-] become `_` so every key is a valid object key on every store.
 */
export function vaultKeyFor(p: VaultPlacement, now: Date = new Date()): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(p.date) ? p.date : now.toISOString().slice(0, 10);
  const [y, m, d] = date.split('-');
  return `AWSLogs/${seg(p.account, 'unknown')}/${seg(p.service, 'unknown')}/${seg(p.region, 'unknown')}/${y}/${m}/${d}/${seg(p.name, 'object')}${VAULT_SUFFIX}`;
}

/** The last segment of a key or path. */
export function baseName(key: string): string {
  const parts = key.split(/[\\/]/);
  return parts[parts.length - 1] || key;
}

/** Prefix for re-encryption staging copies (never listed as vault objects). */
export const STAGING_PREFIX = 'reencrypt-staging/';
