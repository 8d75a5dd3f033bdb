import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import type { HomeLayout } from '../core/home.js';
import { createAwsKmsKeyring } from './drivers/aws-kms.js';
import { createLocalKeyring, LOCAL_KEYRING_FILE } from './drivers/local.js';
import type { PassphraseSource } from './passphrase.js';
import { defaultPassphraseSource } from './passphrase.js';
import type { Keyring } from '../core/keyring.js';

/**
 * Which keyring: env AUDITLAKE_KEYRING = `local` (default; `<home>/keys/keyring.json`) or `aws-kms`
 * (region from AUDITLAKE_KMS_REGION / AWS_REGION, optional AUDITLAKE_KMS_ENDPOINT, default key AUDITLAKE_KMS_KEY;
 * credentials from the usual AWS chain).
 */
export function keyringDriverName(env: NodeJS.ProcessEnv = process.env): 'local' | 'aws-kms' {
  const d = env.AUDITLAKE_KEYRING ?? 'local';
  if (d !== 'local' && d !== 'aws-kms') throw new AuditlakeError('E_USAGE', `keyring: AUDITLAKE_KEYRING=${JSON.stringify(d)} is not local or aws-kms`);
  return d;
}

/** True when keys have been set up (so the vault can be on by default without asking anyone for a passphrase). */
export function keyringConfigured(home: HomeLayout, env: NodeJS.ProcessEnv = process.env): boolean {
  return keyringDriverName(env) === 'aws-kms' || existsSync(join(home.keys, LOCAL_KEYRING_FILE));
}

export function openKeyring(home: HomeLayout, env: NodeJS.ProcessEnv = process.env, passphrase?: PassphraseSource): Keyring {
  if (keyringDriverName(env) === 'aws-kms') {
    const region = env.AUDITLAKE_KMS_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    return createAwsKmsKeyring({
      clientConfig: { ...(region ? { region } : {}), ...(env.AUDITLAKE_KMS_ENDPOINT ? { endpoint: env.AUDITLAKE_KMS_ENDPOINT } : {}) },
      ...(env.AUDITLAKE_KMS_KEY ? { defaultKeyId: env.AUDITLAKE_KMS_KEY } : {}),
    });
  }
  return createLocalKeyring({ dir: home.keys, passphrase: passphrase ?? defaultPassphraseSource(env) });
}

/** The customer key for new vault objects: `flag` (library callers) > env AUDITLAKE_VAULT_KEY > the keyring's default key. */
export async function resolveVaultKeyId(keyring: Keyring, flag?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const k = flag ?? env.AUDITLAKE_VAULT_KEY ?? (await keyring.defaultKey());
  if (!k) throw new AuditlakeError('E_KEY', `keyring: no vault key chosen; set AUDITLAKE_VAULT_KEY, make one the default (auditlake keys default alias/NAME) or create one: auditlake keys create --alias alias/NAME`);
  return k;
}
