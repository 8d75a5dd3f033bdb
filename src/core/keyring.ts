/**
 * Seam between envelope encryption (src/vault) and whoever holds the customer-managed keys.
 * Drivers: src/keyring/drivers/local.ts (default; passphrase-protected key file under home) and
 * src/keyring/drivers/aws-kms.ts (AWS KMS). Contract suite: test/contracts/keyring.contract.ts.
 *
 * A *customer key* never leaves the keyring; it only wraps and unwraps per-object *data keys*.
 * Keys are named by id (`lk-…` locally, a KMS key id or ARN) or by alias (`alias/RedshiftAuditKey`).
 */

/**
 * Additional authenticated data bound to a wrapped data key (KMS `EncryptionContext`). Unwrapping with a
 * different context fails, which stops a wrapped key being moved to another object. Not secret.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/** A fresh data key: use `plaintext` once, store `wrapped`, forget `plaintext`. */
export interface DataKey {
  /** 32 random bytes (AES-256). Never log or persist. */
  plaintext: Buffer;
  /** Opaque blob only the keyring can unwrap. */
  wrapped: Buffer;
  /** Canonical id of the customer key that wrapped it (never an alias). */
  keyId: string;
}

export interface KeyInfo {
  /** Canonical key id (`lk-…` or KMS key ARN). */
  keyId: string;
  aliases: string[];
  description: string;
  enabled: boolean;
  /** ISO-8601 creation time ('' when the driver does not say). */
  createdAt: string;
  /** Number of key-material versions (local driver); 0 when the driver does not say. */
  versions: number;
  /** True for the keyring's default key (see Keyring.defaultKey). */
  isDefault: boolean;
}

export interface CreateKeyOptions {
  /** `alias/<name>`; letters, digits, `/_-`. */
  alias?: string;
  description?: string;
  /** Make it the keyring's default key (the first key created always is). */
  makeDefault?: boolean;
}

export interface Keyring {
  /** `local` or `aws-kms`. */
  readonly driver: string;
  /** Where the keys live, for messages (a file path or `kms:<region>`). Never contains secrets. */
  readonly location: string;
  generateDataKey(keyIdOrAlias: string, context?: EncryptionContext): Promise<DataKey>;
  /** Unwraps; fails with E_KEY (disabled / unknown key) or E_INTEGRITY (blob or context modified). */
  decrypt(wrapped: Buffer, context?: EncryptionContext): Promise<{ plaintext: Buffer; keyId: string }>;
  /** Re-wraps under `toKey` without exposing the data key to the caller (KMS ReEncrypt). */
  reEncrypt(wrapped: Buffer, toKey: string, context?: EncryptionContext): Promise<{ wrapped: Buffer; keyId: string }>;
  create(opts?: CreateKeyOptions): Promise<KeyInfo>;
  list(): Promise<KeyInfo[]>;
  describe(keyIdOrAlias: string): Promise<KeyInfo>;
  /** New key material; data keys wrapped by older versions still decrypt. */
  rotate(keyIdOrAlias: string): Promise<KeyInfo>;
  disable(keyIdOrAlias: string): Promise<void>;
  enable(keyIdOrAlias: string): Promise<void>;
  /** The key new objects are wrapped under when none is named (local: first key created; KMS: configured). */
  defaultKey(): Promise<string | null>;
  /** Makes `keyIdOrAlias` the default key (local keyring; with KMS the default comes from AUDITLAKE_KMS_KEY). */
  setDefault?(keyIdOrAlias: string): Promise<void>;
}

/** `alias/` names as KMS allows them. */
export const ALIAS_RE = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
