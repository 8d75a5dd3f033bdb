export { validateCloudTrail, formatCloudTrailReport, cloudTrailStringToSign, type CtReport, type CtLine, type ValidateOptions } from './validate.js';
export { openCloudTrailSource, SIG_SIDECAR, type CloudTrailSource } from './source.js';
export { readPublicKeysFile, cloudTrailFingerprint, loadRsaDer, type CloudTrailPublicKey } from './public-keys.js';
export { hashFirstGzipMember } from './gunzip-first-member.js';
export { parseCloudTrailDigestKey } from './digest-key.js';
