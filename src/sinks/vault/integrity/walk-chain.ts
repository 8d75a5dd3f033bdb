import type { KeyObject } from 'node:crypto';
import type { ObjectStore } from '../../../core/object-store.js';
import { digestKey, parseDigestKey, stringToSign } from './digest-format.js';
import type { ChainHead } from './digest-recorder.js';
import type { Finding } from './findings.js';
import { readDigest, type LoadedDigest } from './read-digest.js';
import { verifySignature } from './signing-key.js';

export interface ChainWalkInput {
  store: ObjectStore;
  account: string;
  region: string;
  /** Digest keys of this chain found by listing the store. */
  listed: string[];
  /** Public keys by fingerprint. */
  publicKeys: Map<string, KeyObject>;
  /** The head the recorder last wrote (home state), when known: detects a deleted newest digest. */
  head?: ChainHead | null;
  /** Who named `head` (for findings); default the recorder head file. */
  headFrom?: string;
  /** Digest period, used to name every digest a gap swallowed when no digest body says it. */
  defaultPeriodMs: number;
}

export interface ChainWalkResult {
  findings: Finding[];
  /** Digests whose signature and links check out, newest first. */
  valid: LoadedDigest[];
  total: number;
}

/**
 * Walks one chain newest → oldest along `previousDigestObject`, cross-checked against the listing.
 *
 * Unlike the AWS CLI (which, on a missing digest, jumps to the next older listed digest and so reports two or more
 * consecutive deletions as one — aws-cli issue #7054), periods are regular here, so every digest between the
 * missing one and the next older listed digest is named and reported.
 */
export async function walkChain(input: ChainWalkInput): Promise<ChainWalkResult> {
  const { store, account, region, publicKeys } = input;
  const loc = { account, region };
  const endOf = (k: string) => parseDigestKey(k)?.endMs ?? Number.NaN;
  const listed = [...new Set(input.listed)].sort((a, b) => endOf(b) - endOf(a));
  const listedSet = new Set(listed);
  const visited = new Set<string>();
  const findings: Finding[] = [];
  const valid: LoadedDigest[] = [];
  let total = 0;
  let periodMs = input.defaultPeriodMs;

  /** The next listed digest strictly older than `endMs` not yet visited. */
  const nextOlderListed = (endMs: number) => listed.find((k) => endOf(k) < endMs && !visited.has(k));

  let cursor: string | undefined;
  let expect: { sha256: string | null; signature: string | null; from: string } | null = null;
  const head = input.head;
  if (head && (!listed[0] || head.endMs >= endOf(listed[0]))) {
    cursor = head.key;
    expect = { sha256: head.sha256, signature: head.signature, from: input.headFrom ?? 'the recorder head (state/digest-head.json)' };
  } else {
    cursor = listed[0];
  }

  while (cursor) {
    const key: string = cursor;
    if (visited.has(key)) {
      findings.push({ kind: 'chain-broken', subject: 'digest', key, detail: 'chain loops back to a digest already visited' });
      break;
    }
    visited.add(key);
    total++;
    const r = listedSet.has(key) ? await readDigest(store, key) : ({ ok: false, reason: 'not-found', detail: 'not found' } as const);
    if (!r.ok) {
      if (r.reason === 'invalid-format') {
        findings.push({ kind: 'digest-invalid-format', subject: 'digest', key, detail: `invalid format: ${r.detail}`, ...(expect ? { digest: expect.from } : {}) });
      } else {
        findings.push({ kind: 'digest-missing', subject: 'digest', key, detail: 'not found', ...(expect ? { digest: expect.from } : {}) });
      }
      // Name every digest that should sit between this one and the next older digest we can still read.
      const endMs = endOf(key);
      const older = nextOlderListed(endMs);
      const stopAt = older ? endOf(older) : Number.NaN;
      if (r.reason === 'not-found' && older && Number.isFinite(endMs)) {
        for (let e = endMs - periodMs; e > stopAt; e -= periodMs) {
          const k = digestKey(loc, e);
          if (visited.has(k)) continue;
          visited.add(k);
          total++;
          findings.push({ kind: 'digest-missing', subject: 'digest', key: k, detail: 'consecutive: no digest for this period either' });
        }
      }
      cursor = older;
      expect = null;
      continue;
    }
    const d = r.digest;
    const body = d.body;
    periodMs = body.periodSeconds * 1000;
    const problems: Finding[] = [];
    if (body.digestObject !== key) {
      problems.push({ kind: 'digest-moved', subject: 'digest', key, detail: `has been moved from its original location ${body.digestObject}` });
    }
    const pub = publicKeys.get(body.digestPublicKeyFingerprint);
    if (!pub) {
      problems.push({ kind: 'digest-signature-invalid', subject: 'digest', key, detail: `public key not found for fingerprint ${body.digestPublicKeyFingerprint}` });
    } else if (!d.signature) {
      problems.push({ kind: 'digest-signature-invalid', subject: 'digest', key, detail: 'signature verification failed: no signature in object metadata' });
    } else if (!verifySignature(pub, stringToSign(body, d.sha256), d.signature)) {
      problems.push({ kind: 'digest-signature-invalid', subject: 'digest', key, detail: 'signature verification failed' });
    }
    if (expect?.sha256 && expect.sha256 !== d.sha256) {
      problems.push({ kind: 'digest-modified', subject: 'digest', key, detail: `hash value doesn't match previousDigestHashValue in ${expect.from}`, digest: expect.from });
    } else if (expect?.signature && d.signature && expect.signature !== d.signature) {
      problems.push({ kind: 'chain-broken', subject: 'digest', key, detail: `signature differs from previousDigestSignature in ${expect.from}`, digest: expect.from });
    }
    findings.push(...problems);
    if (problems.length === 0) {
      valid.push(d);
      findings.push({ kind: 'digest-valid', subject: 'digest', key, detail: 'valid' });
    }
    // Follow the link, checking the previous digest's period ends where this one starts.
    const prevKey = body.previousDigestObject;
    const startMs = Date.parse(body.digestStartTime);
    if (prevKey === null) {
      const older = nextOlderListed(endOf(key));
      if (older) {
        findings.push({ kind: 'chain-broken', subject: 'digest', key, detail: `is a starting digest (no previous) but older digest ${older} exists` });
      }
      cursor = older;
      expect = null;
      continue;
    }
    const prevEnd = endOf(prevKey);
    if (!Number.isFinite(prevEnd) || prevEnd !== startMs) {
      findings.push({ kind: 'chain-broken', subject: 'digest', key, detail: `previous digest ${prevKey} does not end at this digest's start ${body.digestStartTime}` });
    }
    cursor = prevKey;
    expect = { sha256: body.previousDigestHashValue, signature: body.previousDigestSignature, from: key };
  }
  for (const k of listed) {
    if (!visited.has(k)) {
      total++;
      findings.push({ kind: 'digest-inserted', subject: 'digest', key: k, detail: 'present but not linked from the chain' });
    }
  }
  return { findings, valid, total };
}
