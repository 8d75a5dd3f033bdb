import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { AuditlakeError } from '../../core/errors.js';
import { contextLabel } from '../context.js';
import { ALIAS_RE, type CreateKeyOptions, type EncryptionContext, type KeyInfo, type Keyring } from '../../core/keyring.js';

export interface AwsKmsKeyringOptions {
  /** A ready client (tests pass one with a custom request handler); otherwise one is built from `clientConfig`. */
  client?: KMSClient;
  clientConfig?: KMSClientConfig;
  /** Key used when none is named (env AUDITLAKE_KMS_KEY), e.g. `alias/RedshiftAuditKey`. */
  defaultKeyId?: string;
}

/**
 * Customer keys in AWS KMS. Data keys come from GenerateDataKey (AES_256) and are unwrapped with Decrypt, both
 * with the vault object's EncryptionContext, so CloudTrail shows which object each key use was for.
 * The SDK is imported lazily: people on the local keyring never load it.
 */
export function createAwsKmsKeyring(opts: AwsKmsKeyringOptions = {}): Keyring {
  let clientP: Promise<{ client: KMSClient; sdk: typeof import('@aws-sdk/client-kms') }> | null = null;
  const kms = () =>
    (clientP ??= import('@aws-sdk/client-kms').then((sdk) => ({ sdk, client: opts.client ?? new sdk.KMSClient(opts.clientConfig ?? {}) })));
  const region = typeof opts.clientConfig?.region === 'string' ? opts.clientConfig.region : 'default region';

  /** Maps KMS exceptions to our codes; `what` names the key and object. */
  async function call<T>(what: string, context: EncryptionContext | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const where = `${what}${contextLabel(context)}`;
      const msg = (err as Error).message ?? String(err);
      if (name === 'DisabledException') throw new AuditlakeError('E_KEY', `keyring (aws-kms): ${where}: key is disabled (${msg})`, { cause: err });
      if (name === 'InvalidCiphertextException') throw new AuditlakeError('E_INTEGRITY', `keyring (aws-kms): ${where}: wrapped data key does not authenticate (blob or encryption context modified)`, { cause: err });
      if (name === 'NotFoundException') throw new AuditlakeError('E_KEY', `keyring (aws-kms): ${where}: key not found (${msg})`, { cause: err });
      if (name === 'AlreadyExistsException') throw new AuditlakeError('E_EXISTS', `keyring (aws-kms): ${where}: ${msg}`, { cause: err });
      if (['AccessDeniedException', 'KMSInvalidStateException', 'IncorrectKeyException', 'KeyUnavailableException'].includes(name)) {
        throw new AuditlakeError('E_KEY', `keyring (aws-kms): ${where}: ${name}: ${msg}`, { cause: err });
      }
      throw new AuditlakeError('E_IO', `keyring (aws-kms): ${where}: ${name || 'error'}: ${msg}`, { cause: err });
    }
  }
  const ctx = (c: EncryptionContext | undefined) => (c && Object.keys(c).length ? { ...c } : undefined);
  const bytes = (u: Uint8Array | undefined, what: string): Buffer => {
    if (!u) throw new AuditlakeError('E_KEY', `keyring (aws-kms): ${what}: KMS answered without the expected bytes`);
    return Buffer.from(u);
  };

  async function describe(keyIdOrAlias: string): Promise<KeyInfo> {
    const { client, sdk } = await kms();
    const d = await call(`describe key ${keyIdOrAlias}`, undefined, () => client.send(new sdk.DescribeKeyCommand({ KeyId: keyIdOrAlias })));
    const m = d.KeyMetadata;
    if (!m?.KeyId) throw new AuditlakeError('E_KEY', `keyring (aws-kms): describe key ${keyIdOrAlias}: no metadata`);
    const aliases = await listAliases();
    const arn = m.Arn ?? m.KeyId;
    return {
      keyId: arn,
      aliases: aliases.filter((a) => a.target === m.KeyId).map((a) => a.name).sort(),
      description: m.Description ?? '',
      enabled: m.Enabled === true,
      createdAt: m.CreationDate ? m.CreationDate.toISOString() : '',
      versions: 0,
      isDefault: opts.defaultKeyId !== undefined && [m.KeyId, arn, ...aliases.filter((a) => a.target === m.KeyId).map((a) => a.name)].includes(opts.defaultKeyId),
    };
  }

  async function listAliases(): Promise<{ name: string; target: string }[]> {
    const { client, sdk } = await kms();
    const out: { name: string; target: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await call('list aliases', undefined, () => client.send(new sdk.ListAliasesCommand({ Marker: marker })));
      for (const a of page.Aliases ?? []) {
        // AWS-managed aliases (alias/aws/…) point at keys we cannot manage; hide them.
        if (a.AliasName && a.TargetKeyId && !a.AliasName.startsWith('alias/aws/')) out.push({ name: a.AliasName, target: a.TargetKeyId });
      }
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    return out;
  }

  /** DisableKey/EnableKey/RotateKeyOnDemand take a key id or ARN, not an alias. */
  async function keyIdOf(keyIdOrAlias: string): Promise<string> {
    if (!keyIdOrAlias.startsWith('alias/')) return keyIdOrAlias;
    const a = (await listAliases()).find((x) => x.name === keyIdOrAlias);
    if (!a) throw new AuditlakeError('E_KEY', `keyring (aws-kms): no alias ${keyIdOrAlias}`);
    return a.target;
  }

  return {
    driver: 'aws-kms',
    location: `kms:${region}`,
    async generateDataKey(keyIdOrAlias, context) {
      const { client, sdk } = await kms();
      const r = await call(`generate data key under ${keyIdOrAlias}`, context, () =>
        client.send(new sdk.GenerateDataKeyCommand({ KeyId: keyIdOrAlias, KeySpec: 'AES_256', EncryptionContext: ctx(context) })));
      return { plaintext: bytes(r.Plaintext, 'GenerateDataKey'), wrapped: bytes(r.CiphertextBlob, 'GenerateDataKey'), keyId: r.KeyId ?? keyIdOrAlias };
    },
    async decrypt(wrapped, context) {
      const { client, sdk } = await kms();
      const r = await call('decrypt data key', context, () =>
        client.send(new sdk.DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: ctx(context) })));
      return { plaintext: bytes(r.Plaintext, 'Decrypt'), keyId: r.KeyId ?? '' };
    },
    async reEncrypt(wrapped, toKey, context) {
      const { client, sdk } = await kms();
      const r = await call(`re-encrypt data key to ${toKey}`, context, () =>
        client.send(new sdk.ReEncryptCommand({ CiphertextBlob: wrapped, DestinationKeyId: toKey, SourceEncryptionContext: ctx(context), DestinationEncryptionContext: ctx(context) })));
      return { wrapped: bytes(r.CiphertextBlob, 'ReEncrypt'), keyId: r.KeyId ?? toKey };
    },
    async create(o: CreateKeyOptions = {}) {
      if (o.alias !== undefined && !ALIAS_RE.test(o.alias)) throw new AuditlakeError('E_USAGE', `keyring (aws-kms): alias ${JSON.stringify(o.alias)} must look like alias/NAME`);
      const { client, sdk } = await kms();
      const r = await call('create key', undefined, () =>
        client.send(new sdk.CreateKeyCommand({ Description: o.description ?? 'auditlake vault key', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' })));
      const id = r.KeyMetadata?.KeyId;
      if (!id) throw new AuditlakeError('E_KEY', 'keyring (aws-kms): CreateKey answered without a KeyId');
      if (o.alias) await call(`create alias ${o.alias}`, undefined, () => client.send(new sdk.CreateAliasCommand({ AliasName: o.alias, TargetKeyId: id })));
      return describe(id);
    },
    async list() {
      const aliases = await listAliases();
      const targets = [...new Set(aliases.map((a) => a.target))];
      return Promise.all(targets.map((t) => describe(t)));
    },
    describe,
    async rotate(keyIdOrAlias) {
      const { client, sdk } = await kms();
      const id = await keyIdOf(keyIdOrAlias);
      await call(`rotate key ${keyIdOrAlias}`, undefined, () => client.send(new sdk.RotateKeyOnDemandCommand({ KeyId: id })));
      return describe(id);
    },
    async disable(keyIdOrAlias) {
      const { client, sdk } = await kms();
      const id = await keyIdOf(keyIdOrAlias);
      await call(`disable key ${keyIdOrAlias}`, undefined, () => client.send(new sdk.DisableKeyCommand({ KeyId: id })));
    },
    async enable(keyIdOrAlias) {
      const { client, sdk } = await kms();
      const id = await keyIdOf(keyIdOrAlias);
      await call(`enable key ${keyIdOrAlias}`, undefined, () => client.send(new sdk.EnableKeyCommand({ KeyId: id })));
    },
    async defaultKey() {
      return opts.defaultKeyId ?? null;
    },
  };
}
