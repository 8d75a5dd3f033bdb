export type { DigestRecorder, DigestObjectEntry, DigestDeletionEntry, DeletionReason } from '../../../core/digest.js';
export { createDigestRecorder, type DigestRecorderOptions, type ChainHead } from './digest-recorder.js';
export { openDigestRecorder, type OpenDigestRecorderOptions } from './open-recorder.js';
export { loadOrCreateSigningKey, readHomePublicKeys, parsePublicKeys, createSigner, type DigestSigner } from './signing-key.js';
export { verifyVault, type VerifyVaultOptions, type VerifyVaultReport } from './verify-vault.js';
export { formatVerifyReport } from './format-verify.js';
export type { Finding, FindingKind } from './findings.js';
