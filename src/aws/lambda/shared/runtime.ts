import type { KMSClient } from '@aws-sdk/client-kms';
import { createAwsKmsKeyring } from '../../../keyring/drivers/aws-kms.js';
import type { Keyring } from '../../../core/keyring.js';
import { openStore } from '../../../stores/open-store.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { withPutDefaults } from '../../../stores/with-put-defaults.js';
import { createVault, type Vault } from '../../../sinks/vault/vault.js';
import type { RuntimeConfig } from './runtime-config.js';

/** Everything a handler works with, built once per Lambda container and reused by every invocation. */
export interface Runtime {
  config: RuntimeConfig;
  /** The S3 home (lake/, state/, quarantine/), SSE-KMS on every put. */
  home: ObjectStore;
  vault: Vault;
  sideline: ObjectStore;
  /** A store on the root of a source bucket (landing, Firehose, CloudTrail). */
  source(bucket: string): ObjectStore;
  /** Local scratch (Lambda: /tmp). */
  tmpRoot: string;
}

export interface RuntimeDeps {
  /** Environment for S3 endpoint/region/credentials (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** KMS client (tests pass one answered by aws-sdk-client-mock). */
  kmsClient?: KMSClient;
  keyring?: Keyring;
  tmpRoot?: string;
}

const DAY_MS = 86_400_000;

export function createRuntime(config: RuntimeConfig, deps: RuntimeDeps = {}): Runtime {
  const env = deps.env ?? process.env;
  const sse = { mode: 'sse-kms' as const, keyId: config.kmsKeyId };
  const home = openStore(config.home, { env, sse });
  const lock = config.lock;
  // Object Lock retention counts from each write; legal holds are set later by `auditlake hold`.
  const vaultStore = withPutDefaults(openStore(config.vault, { env, sse }), () => (lock ? { lock: { mode: lock.mode, retainUntil: new Date(Date.now() + lock.days * DAY_MS) } } : {}));
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const keyring = deps.keyring ?? createAwsKmsKeyring({ ...(deps.kmsClient ? { client: deps.kmsClient } : { clientConfig: region ? { region } : {} }), defaultKeyId: config.kmsKeyId });
  const sources = new Map<string, ObjectStore>();
  return {
    config,
    home,
    vault: createVault({ store: vaultStore, keyring, keyId: config.kmsKeyId }),
    sideline: openStore(config.sideline, { env, sse }),
    source(bucket) {
      let s = sources.get(bucket);
      if (!s) sources.set(bucket, (s = openStore(`s3://${bucket}`, { env })));
      return s;
    },
    tmpRoot: deps.tmpRoot ?? '/tmp',
  };
}
