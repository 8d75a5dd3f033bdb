import type { KeyObject } from 'node:crypto';
import type { ObjectStore } from '../../../core/object-store.js';
import { checkpointKey, checkpointStringToSign, parseCheckpointKey } from './checkpoint-format.js';
import { readCheckpoint, type CheckpointHead, type LoadedCheckpoint } from './checkpoint.js';
import type { Finding } from './findings.js';
import { verifySignature } from './signing-key.js';

export interface CheckpointWalkInput {
  store: ObjectStore;
  account: string;
  region: string;
  /** Checkpoint keys of this chain found by listing the store. */
  listed: string[];
  publicKeys: Map<string, KeyObject>;
  /** The newest checkpoint the home wrote (state/checkpoint-head.json): detects a deleted newest checkpoint. */
  head?: CheckpointHead | null;
}

export interface CheckpointWalkResult {
  findings: Finding[];
  /** Checkpoints whose signature and links check out, newest first. */
  valid: LoadedCheckpoint[];
  total: number;
}

/**
 * Walks the checkpoint chain newest → oldest along `previousCheckpointObject`. Numbers run 1, 2, 3, … without gaps,
 * so every checkpoint a gap swallowed is named; a listed checkpoint the walk never reaches is "inserted".
 */
export async function walkCheckpoints(input: CheckpointWalkInput): Promise<CheckpointWalkResult> {
  const { store, publicKeys } = input;
  const loc = { account: input.account, region: input.region };
  const seqOf = (k: string) => parseCheckpointKey(k)?.seq ?? 0;
  const listed = [...new Set(input.listed)].sort((a, b) => seqOf(b) - seqOf(a));
  const listedSet = new Set(listed);
  const visited = new Set<string>();
  const findings: Finding[] = [];
  const valid: LoadedCheckpoint[] = [];
  let total = 0;
  const nextOlderListed = (seq: number) => listed.find((k) => seqOf(k) < seq && !visited.has(k));
  const f = (kind: Finding['kind'], key: string, detail: string, digest?: string): Finding => ({ kind, subject: 'checkpoint', key, detail, ...(digest ? { digest } : {}) });

  let cursor: string | undefined = listed[0];
  let expect: { sha256: string | null; signature: string | null; from: string } | null = null;
  const head = input.head;
  if (head && (!listed[0] || head.seq >= seqOf(listed[0]))) {
    cursor = head.key;
    expect = { sha256: head.sha256, signature: head.signature, from: 'the home state (state/checkpoint-head.json)' };
  }
  while (cursor) {
    const key: string = cursor;
    if (visited.has(key)) {
      findings.push(f('chain-broken', key, 'checkpoint chain loops back to a checkpoint already visited'));
      break;
    }
    visited.add(key);
    total++;
    const seq = seqOf(key);
    const r = listedSet.has(key) ? await readCheckpoint(store, key) : ({ ok: false, reason: 'not-found', detail: 'not found' } as const);
    if (!r.ok) {
      findings.push(f(r.reason === 'invalid-format' ? 'digest-invalid-format' : 'digest-missing', key, r.reason === 'invalid-format' ? `invalid format: ${r.detail}` : 'not found', expect?.from));
      const older = nextOlderListed(seq);
      const stopAt = older ? seqOf(older) : 0;
      if (r.reason === 'not-found') {
        for (let s = seq - 1; s > stopAt; s--) {
          const k = checkpointKey(loc, s);
          if (visited.has(k)) continue;
          visited.add(k);
          total++;
          findings.push(f('digest-missing', k, 'consecutive: this checkpoint number is missing too'));
        }
      }
      cursor = older;
      expect = null;
      continue;
    }
    const { body } = r.cp;
    const problems: Finding[] = [];
    if (body.checkpointObject !== key || body.sequence !== seq) problems.push(f('digest-moved', key, `has been moved from its original location ${body.checkpointObject}`));
    const pub = publicKeys.get(body.digestPublicKeyFingerprint);
    if (!pub) problems.push(f('digest-signature-invalid', key, `public key not found for fingerprint ${body.digestPublicKeyFingerprint}`));
    else if (!r.cp.signature || !verifySignature(pub, checkpointStringToSign(body, r.cp.sha256), r.cp.signature)) problems.push(f('digest-signature-invalid', key, 'signature verification failed'));
    if (expect?.sha256 && expect.sha256 !== r.cp.sha256) problems.push(f('digest-modified', key, `hash value doesn't match the one recorded in ${expect.from}`, expect.from));
    else if (expect?.signature && r.cp.signature && expect.signature !== r.cp.signature) problems.push(f('chain-broken', key, `signature differs from the one recorded in ${expect.from}`, expect.from));
    findings.push(...problems);
    if (problems.length === 0) {
      valid.push(r.cp);
      findings.push(f('digest-valid', key, 'valid'));
    }
    const prev = body.previousCheckpointObject;
    if (prev === null) {
      const older = nextOlderListed(seq);
      if (older || seq !== 1) findings.push(f('chain-broken', key, `is a first checkpoint (no previous) but its number is ${seq}${older ? ` and ${older} exists` : ''}`));
      cursor = older;
      expect = null;
      continue;
    }
    if (seqOf(prev) !== seq - 1) findings.push(f('chain-broken', key, `previous checkpoint ${prev} is not number ${seq - 1}`));
    cursor = prev;
    expect = { sha256: body.previousCheckpointHashValue, signature: body.previousCheckpointSignature, from: key };
  }
  for (const k of listed) {
    if (!visited.has(k)) {
      total++;
      findings.push(f('digest-inserted', k, 'present but not linked from the checkpoint chain'));
    }
  }
  return { findings, valid, total };
}
