import { AuditlakeError } from '../../../core/errors.js';
import { digestPrefix, type DigestDeletionRecord, type DigestObjectRecord } from './digest-format.js';

/**
 * A signed checkpoint: what the vault recorded since the previous checkpoint, written at the end of every ingest
 * commit (and after every digest), so objects of the open digest period are covered by a signature too and the
 * newest digest is pinned by something newer. Spec: docs/vault-format.md `## Checkpoints`.
 */
export const CHECKPOINT_TYPE = 'auditlake-checkpoint';

/** A replacement announced before it happens (re-encryption swap) or a write interrupted before its record. */
export interface CheckpointIntentRecord {
  key: string;
  /** Stored SHA-256 before / after; null when unknown (a new object whose hash is not known before sealing). */
  fromHashValue: string | null;
  toHashValue: string | null;
  recordedTime: string;
}

export interface CheckpointBody {
  version: 1;
  type: typeof CHECKPOINT_TYPE;
  chainAccount: string;
  chainRegion: string;
  checkpointObject: string;
  /** 1, 2, 3, … without gaps: a missing checkpoint is named by its number. */
  sequence: number;
  createdTime: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  /** The newest digest when this checkpoint was written (null before the first digest). */
  headDigestObject: string | null;
  headDigestHashValue: string | null;
  headDigestSignature: string | null;
  previousCheckpointObject: string | null;
  previousCheckpointHashValue: string | null;
  previousCheckpointSignature: string | null;
  objects: DigestObjectRecord[];
  deletions: DigestDeletionRecord[];
  intents: CheckpointIntentRecord[];
}

/** `AWSLogs/<acct>/auditlake-digest/<region>/checkpoint/<acct>_auditlake-checkpoint_<region>_<12-digit seq>.json.gz` */
export function checkpointKey(loc: { account: string; region: string }, seq: number): string {
  return `${checkpointPrefix(loc)}${loc.account}_${CHECKPOINT_TYPE}_${loc.region}_${String(seq).padStart(12, '0')}.json.gz`;
}

export function checkpointPrefix(loc: { account: string; region: string }): string {
  return `${digestPrefix(loc)}checkpoint/`;
}

const KEY_RE = /(?:^|\/)AWSLogs\/([^/]+)\/auditlake-digest\/([^/]+)\/checkpoint\/([^/_]+)_auditlake-checkpoint_([^/_]+)_(\d{12})\.json\.gz$/;

export function parseCheckpointKey(key: string): { account: string; region: string; seq: number } | null {
  const m = KEY_RE.exec(key);
  return m ? { account: m[1], region: m[2], seq: Number(m[5]) } : null;
}

/**
 * The signed bytes: a type line (so a checkpoint signature can never pass as a digest signature), then the
 * creation time, the checkpoint's own key, the hex SHA-256 of the gunzipped body, the previous checkpoint's
 * signature (or `null`).
 */
export function checkpointStringToSign(body: Pick<CheckpointBody, 'createdTime' | 'checkpointObject' | 'previousCheckpointSignature'>, sha256Hex: string): string {
  return `${CHECKPOINT_TYPE}\n${body.createdTime}\n${body.checkpointObject}\n${sha256Hex}\n${body.previousCheckpointSignature ?? 'null'}`;
}

/** Throws E_PARSE naming the field when `value` is not a checkpoint body. */
export function assertCheckpointBody(value: unknown, where: string): asserts value is CheckpointBody {
  const fail = (field: string, why: string) => {
    throw new AuditlakeError('E_PARSE', `checkpoint: ${where}: field ${field} ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('(root)', 'is not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.version !== 1) fail('version', `is ${JSON.stringify(v.version)}, expected 1`);
  if (v.type !== CHECKPOINT_TYPE) fail('type', `is ${JSON.stringify(v.type)}, expected ${CHECKPOINT_TYPE}`);
  for (const f of ['checkpointObject', 'createdTime', 'digestPublicKeyFingerprint', 'chainAccount', 'chainRegion']) {
    if (typeof v[f] !== 'string') fail(f, 'is missing or not a string');
  }
  if (!Number.isInteger(v.sequence) || (v.sequence as number) < 1) fail('sequence', 'must be a whole number ≥ 1');
  for (const f of ['headDigestObject', 'headDigestHashValue', 'headDigestSignature', 'previousCheckpointObject', 'previousCheckpointHashValue', 'previousCheckpointSignature']) {
    if (v[f] !== null && typeof v[f] !== 'string') fail(f, 'must be a string or null');
  }
  for (const f of ['objects', 'deletions', 'intents']) {
    if (!Array.isArray(v[f])) fail(f, 'must be an array');
    (v[f] as unknown[]).forEach((o, i) => {
      const r = o as Record<string, unknown>;
      if (!r || typeof r.key !== 'string') fail(`${f}[${i}]`, 'needs a string key');
    });
  }
}
