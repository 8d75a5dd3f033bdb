import type { HomeLayout } from '../../../core/home.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { createDigestRecorder } from './digest-recorder.js';
import { parseDuration } from '../../../core/duration.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import type { DigestRecorder } from '../../../core/digest.js';

export interface OpenDigestRecorderOptions {
  home: HomeLayout;
  /** The vault's store (digests go next to the objects). */
  store: ObjectStore;
  /** Digest period like `1h` or `15m`; default env AUDITLAKE_DIGEST_PERIOD, else 1h. */
  period?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The digest recorder for a home: signing key from `home.keys` (created on first use), journal and head under
 * `home.state`. This is what the vault wires in; `retention apply` uses it too.
 */
export async function openDigestRecorder(opts: OpenDigestRecorderOptions) {
  const env = opts.env ?? process.env;
  const period = opts.period ?? env.AUDITLAKE_DIGEST_PERIOD ?? '1h';
  const signer = await loadOrCreateSigningKey(opts.home.keys, env);
  return createDigestRecorder({ store: opts.store, signer, stateDir: opts.home.state, periodMs: parseDuration(period, 'digest period') });
}

/**
 * A recorder that opens the real one (creating the signing key) only when something is recorded, so commands that
 * may delete nothing from the vault (retention on a lake-only home) leave no key behind. flush() is a no-op until then.
 */
export function lazyDigestRecorder(open: () => Promise<DigestRecorder>): DigestRecorder {
  let real: Promise<DigestRecorder> | null = null;
  const get = () => (real ??= open());
  return {
    record: async (e) => (await get()).record(e),
    recordDeletion: async (e) => (await get()).recordDeletion(e),
    flush: async (now) => (real ? (await real).flush(now) : []),
    recordIntent: async (e) => (await get()).recordIntent(e),
    checkpoint: async () => (real ? (await real).checkpoint() : null),
  };
}
