import type { Finding } from './findings.js';

/** One thing a signed record (digest, checkpoint) or the pending journal says about a vault key. */
export interface KeyRecord {
  /** When it was recorded (UTC ms): the newest record of a key decides what the key must hold. */
  t: number;
  kind: 'object' | 'deletion' | 'intent';
  /** object/deletion: the stored SHA-256. */
  sha?: string;
  /** intent: hashes before/after (null = unknown). */
  from?: string | null;
  to?: string | null;
  /** Digest or checkpoint key, or `pending journal`. */
  where: string;
  signed: boolean;
  rule?: string;
}

export interface ObjectVerdicts {
  findings: Finding[];
  valid: number;
  pending: number;
  expired: number;
  total: number;
  movedTargets: Set<string>;
}

/** Newest record first; at equal times the signed one (the journal's copy of the same entry is not trusted). */
export function newest(recs: KeyRecord[]): KeyRecord {
  return recs.reduce((a, b) => (b.t > a.t || (b.t === a.t && b.signed && !a.signed) ? b : a));
}

/**
 * Judges every key some record knows (`records`) against the store (`present` hashes), then every present object
 * no record knows (`uncovered`). The newest record wins: an object entry wants exactly its hash; a deletion makes
 * absence an authorised expiry; an intent (write announced, or a re-encryption old → new) accepts either side.
 */
export function evaluateObjects(records: Map<string, KeyRecord[]>, present: Map<string, string | null>, uncovered: string[]): ObjectVerdicts {
  const out: ObjectVerdicts = { findings: [], valid: 0, pending: 0, expired: 0, total: 0, movedTargets: new Set() };
  const presentShas = new Set([...present.values()].filter((h): h is string => !!h));
  const uncoveredBySha = new Map<string, string[]>();
  for (const k of uncovered) {
    const h = present.get(k);
    if (h) uncoveredBySha.set(h, [...(uncoveredBySha.get(h) ?? []), k]);
  }
  const push = (kind: Finding['kind'], key: string, detail: string, digest?: string) => out.findings.push({ kind, subject: 'object', key, detail, ...(digest ? { digest } : {}) });
  const ok = (key: string, r: KeyRecord, detail = 'valid') => {
    if (r.signed) {
      out.valid++;
      push('valid', key, detail, r.where);
    } else {
      out.pending++;
      push('pending', key, detail === 'valid' ? 'valid (recorded, not yet in a checkpoint or digest)' : detail);
    }
  };
  for (const [key, recs] of records) {
    const last = newest(recs);
    const h = present.has(key) ? present.get(key) ?? null : null;
    out.total++;
    if (last.kind === 'object') {
      if (h !== null) {
        if (h === last.sha) ok(key, last);
        else push('modified', key, `hash value doesn't match ${last.signed ? '' : 'the pending journal'}`.trim(), last.where);
        continue;
      }
      const target = uncoveredBySha.get(last.sha ?? '')?.find((k) => !out.movedTargets.has(k));
      if (target) {
        out.movedTargets.add(target);
        push('moved', key, `moved to ${target}`, last.where);
      } else push('missing', key, 'not found', last.where);
      continue;
    }
    if (last.kind === 'deletion') {
      if (h === null) {
        const wrote = recs.filter((r) => r.kind === 'object' && r.t <= last.t);
        const before = wrote.length ? newest(wrote) : null;
        if (before && before.sha !== last.sha) {
          push('missing', key, `not found; the deletion recorded ${new Date(last.t).toISOString()} by ${last.rule} names other bytes (hash ${last.sha?.slice(0, 12)}…, ${before.where} lists ${before.sha?.slice(0, 12)}…)`, before.where);
        } else {
          out.expired++;
          push('authorised-expiry', key, `deleted ${new Date(last.t).toISOString()} by ${last.rule} (recorded in ${last.where})`, last.where);
        }
      } else if (h === last.sha) ok(key, last, 'valid (deletion recorded, not yet carried out)');
      else push('modified', key, `present with bytes that were never recorded (after the deletion recorded in ${last.where})`, last.where);
      continue;
    }
    // intent
    if (h !== null) {
      if (last.to == null || h === last.to || h === last.from) ok(key, last, last.to ? 'valid (re-encryption swap recorded, old or new copy)' : 'valid (write interrupted; recorded by the next ingest or verify --flush)');
      else push('modified', key, `hash value matches neither side of the swap recorded in ${last.where}`, last.where);
    } else if (last.from == null) {
      out.total--; // an announced write that never happened: nothing to expect
    } else if (last.to && presentShas.has(last.to)) {
      ok(key, last, 'valid (re-encryption swap in progress; the verified new copy is in staging)');
    } else push('missing', key, `not found; ${last.where} recorded a swap from ${last.from.slice(0, 12)}… to ${last.to?.slice(0, 12)}…`, last.where);
  }
  for (const k of uncovered) {
    out.total++;
    if (out.movedTargets.has(k)) {
      out.total--; // counted once, as its source
      push('moved', k, 'present under a key no digest lists (moved here)');
    } else push('inserted', k, 'present but in no digest, checkpoint or journal');
  }
  return out;
}
