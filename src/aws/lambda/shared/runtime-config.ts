import { AuditlakeError } from '../../../core/errors.js';
import type { ObjectLockOptions } from '../../../core/object-store.js';
import { COMMON_ENV, requireEnv } from './env-doc.js';

/** What every handler needs, read once per container from its environment (src/aws/lambda/<name>/config.ts). */
export interface RuntimeConfig {
  /** `s3://bucket/prefix` of the S3 home. */
  home: string;
  /** `s3://bucket/prefix` of the vault. */
  vault: string;
  sideline: string;
  kmsKeyId: string;
  /** Object Lock for new vault objects, as days from the write (undefined: bucket default). */
  lock?: { mode: ObjectLockOptions['mode']; days: number };
}

const byName = (n: (typeof COMMON_ENV)[number]['name']) => COMMON_ENV.find((d) => d.name === n) as (typeof COMMON_ENV)[number];

export function readRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const home = requireEnv(env, byName('AUDITLAKE_HOME')).replace(/\/+$/, '');
  if (!home.startsWith('s3://')) throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_HOME=${home} must be an s3:// location`);
  const mode = (env.AUDITLAKE_LOCK_MODE ?? 'off').toUpperCase();
  let lock: RuntimeConfig['lock'];
  if (mode === 'GOVERNANCE' || mode === 'COMPLIANCE') {
    const days = Number(env.AUDITLAKE_LOCK_DAYS ?? '');
    if (!Number.isInteger(days) || days < 1) throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_LOCK_DAYS=${JSON.stringify(env.AUDITLAKE_LOCK_DAYS ?? '')} must be a whole number of days ≥ 1 with AUDITLAKE_LOCK_MODE=${mode}`);
    lock = { mode, days };
  } else if (mode !== 'OFF') {
    throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_LOCK_MODE=${JSON.stringify(env.AUDITLAKE_LOCK_MODE)} must be GOVERNANCE, COMPLIANCE or off`);
  }
  return {
    home,
    vault: (env.AUDITLAKE_VAULT ?? `${home}/vault`).replace(/\/+$/, ''),
    sideline: (env.AUDITLAKE_SIDELINE ?? `${home}/sideline`).replace(/\/+$/, ''),
    kmsKeyId: requireEnv(env, byName('AUDITLAKE_KMS_KEY')),
    ...(lock ? { lock } : {}),
  };
}
