import type { HomeLayout } from '../../core/home.js';
import { openDigestRecorder } from './integrity/open-recorder.js';
import type { DigestRecorder } from '../../core/digest.js';
import { keyringConfigured, openKeyring, resolveVaultKeyId } from '../../keyring/open-keyring.js';
import { openStore } from '../../stores/open-store.js';
import type { ObjectStore } from '../../core/object-store.js';
import { createVault, type Vault } from './vault.js';

export interface HomeVaultOptions {
  /** `on`: fail without keys; `off`: no vault; `auto` (default): on exactly when a keyring is configured. */
  mode?: 'on' | 'off' | 'auto';
  /** Customer key (id or alias); default AUDITLAKE_VAULT_KEY, else the keyring's default key. */
  keyId?: string;
  /** Where the vault lives; default the store at `home.vault` (a directory, or S3 for an S3 home). */
  store?: ObjectStore;
  /** Digest chain to notify; default: the home's recorder (src/integrity/open-recorder.ts); `false` for none. */
  digest?: DigestRecorder | false;
  env?: NodeJS.ProcessEnv;
}

/**
 * The vault for CLI commands. `auto` keeps the demo and first runs passphrase-free: without a keyring
 * (`auditlake keys create` never ran and AUDITLAKE_KEYRING is not aws-kms) it returns null and nothing is vaulted.
 */
export async function openHomeVault(home: HomeLayout, opts: HomeVaultOptions = {}): Promise<Vault | null> {
  const env = opts.env ?? process.env;
  const mode = opts.mode ?? 'auto';
  if (mode === 'off' || (mode === 'auto' && !keyringConfigured(home, env))) return null;
  const keyring = openKeyring(home, env);
  const keyId = await resolveVaultKeyId(keyring, opts.keyId, env);
  await keyring.describe(keyId); // unlock now and fail fast (wrong passphrase, unknown key) before any ingest work
  // A directory, or the vault prefix of an S3 home (used in place, never copied).
  const store = opts.store ?? openStore(home.vault, { env });
  const digest = opts.digest === false ? undefined : (opts.digest ?? (await openDigestRecorder({ home, store, env })));
  return createVault({ store, keyring, keyId, ...(digest ? { digest } : {}) });
}
