import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo, ObjectStore } from '../../../core/object-store.js';
import { parseDigestKey } from './digest-format.js';
import { DEFAULT_PERIOD_MS, HEAD_FILE, type ChainHead } from './digest-recorder.js';
import { isProblem, type Finding } from './findings.js';
import { hashObjects, type HashStats } from './hash-objects.js';
import { readPending, type JournalEntry } from './journal.js';
import { walkChain } from './walk-chain.js';

export interface VerifyVaultOptions {
  store: ObjectStore;
  /** Public keys by fingerprint (signing-key.ts parsePublicKeys / readHomePublicKeys). */
  publicKeys: Map<string, KeyObject>;
  /**
   * The recorder's state dir (home.state), when verifying on the vault's own host: its head file detects a deleted
   * newest digest and its journal lists objects/deletions not yet in a digest. Auditors without it still get
   * every other check.
   */
  stateDir?: string;
  /** Only check objects listed in digests whose period overlaps [from, to] (UTC ms), and objects modified then. */
  from?: number;
  to?: number;
  /** Parallel reads while hashing (default 4). */
  concurrency?: number;
}

export interface VerifyVaultReport {
  findings: Finding[];
  digests: { valid: number; total: number };
  objects: { valid: number; total: number; expired: number; pending: number };
  /** Earliest start / latest end of the valid digests in range (ISO), or null. */
  found: { from: string; to: string } | null;
  hash: HashStats;
  problems: number;
}

interface Covered {
  sha256: string;
  digest: string;
}

/** Verifies the vault's digest chain(s) and every object they list; see docs/vault-format.md `## Digest files`. */
export async function verifyVault(opts: VerifyVaultOptions): Promise<VerifyVaultReport> {
  const { store } = opts;
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const to = opts.to ?? Number.POSITIVE_INFINITY;
  // A digest period [start, end) overlaps the requested [from, to] when it ends after `from` and starts by `to`.
  const inRange = (startMs: number, endMs: number) => endMs > from && startMs <= to;

  // One listing: digest keys grouped per chain, everything else is a vault object.
  const chains = new Map<string, string[]>();
  const objects = new Map<string, ObjectInfo>();
  for await (const o of opts.store.list('')) {
    const p = parseDigestKey(o.key);
    if (p) {
      const id = `${p.account}/${p.region}`;
      chains.set(id, [...(chains.get(id) ?? []), o.key]);
    } else {
      objects.set(o.key, o);
    }
  }
  const head = opts.stateDir ? await readHead(opts.stateDir) : null;
  if (head) {
    const p = parseDigestKey(head.key);
    if (p && !chains.has(`${p.account}/${p.region}`)) chains.set(`${p.account}/${p.region}`, []);
  }
  const pending: JournalEntry[] = opts.stateDir ? await readPending(opts.stateDir) : [];

  const findings: Finding[] = [];
  const covered = new Map<string, Covered>();
  const deleted = new Map<string, { sha256: string; rule: string; time: string; digest: string }[]>();
  const addDeletion = (key: string, d: { sha256: string; rule: string; time: string; digest: string }) => deleted.set(key, [...(deleted.get(key) ?? []), d]);
  let digestsValid = 0;
  let digestsTotal = 0;
  let foundFrom = Number.POSITIVE_INFINITY;
  let foundTo = Number.NEGATIVE_INFINITY;
  for (const [id, listed] of chains) {
    const [account, region] = id.split('/');
    const headP = head ? parseDigestKey(head.key) : null;
    const chainHead = headP && headP.account === account && headP.region === region ? head : null;
    const walk = await walkChain({ store, account, region, listed, publicKeys: opts.publicKeys, head: chainHead, defaultPeriodMs: DEFAULT_PERIOD_MS });
    for (const f of walk.findings) {
      const end = parseDigestKey(f.key)?.endMs ?? Number.NaN;
      // Digest findings outside the range are dropped; undated ones (bad keys) always reported.
      if (Number.isNaN(end) || inRange(end - 1, end)) findings.push(f);
    }
    digestsTotal += new Set(walk.findings.filter((f) => f.subject === 'digest' && inRange(...span(f.key))).map((f) => f.key)).size;
    // Oldest first, so a later digest's entry for the same key wins.
    for (const d of [...walk.valid].reverse()) {
      const start = Date.parse(d.body.digestStartTime);
      const end = Date.parse(d.body.digestEndTime);
      for (const del of d.body.deletions) addDeletion(del.key, { sha256: del.hashValue, rule: del.rule, time: del.deletedTime, digest: d.key });
      if (!inRange(start, end)) continue;
      if (inRange(...span(d.key))) digestsValid++;
      foundFrom = Math.min(foundFrom, start);
      foundTo = Math.max(foundTo, end);
      for (const o of d.body.objects) covered.set(o.key, { sha256: o.hashValue, digest: d.key });
    }
  }
  for (const e of pending) if (e.kind === 'deletion') addDeletion(e.key, { sha256: e.sha256, rule: e.rule, time: new Date(e.t).toISOString(), digest: 'pending journal' });
  const pendingObjects = new Map(pending.flatMap((e) => (e.kind === 'object' ? [[e.key, e.sha256] as const] : [])));

  // Hash every present object that is covered, pending, or a candidate for inserted/moved.
  const uncovered = [...objects.values()].filter((o) => !covered.has(o.key) && (pendingObjects.has(o.key) || inRange(o.lastModified.getTime(), o.lastModified.getTime())));
  const toHash = [...[...covered.keys()].filter((k) => objects.has(k)), ...uncovered.map((o) => o.key)];
  const { hashes, stats } = await hashObjects(store, toHash, opts.concurrency ?? 4);

  const uncoveredBySha = new Map<string, string[]>();
  for (const o of uncovered) {
    const h = hashes.get(o.key);
    if (h && !pendingObjects.has(o.key)) uncoveredBySha.set(h.sha256, [...(uncoveredBySha.get(h.sha256) ?? []), o.key]);
  }
  const movedTargets = new Set<string>();
  let valid = 0;
  let expired = 0;
  let pendingCount = 0;
  for (const [key, c] of covered) {
    const h = objects.has(key) ? hashes.get(key) : null;
    if (h) {
      if (h.sha256 === c.sha256) {
        valid++;
        findings.push({ kind: 'valid', subject: 'object', key, detail: 'valid', digest: c.digest });
      } else {
        findings.push({ kind: 'modified', subject: 'object', key, detail: "hash value doesn't match", digest: c.digest });
      }
      continue;
    }
    const dels = deleted.get(key) ?? [];
    const del = dels.find((x) => x.sha256 === c.sha256);
    if (del) {
      expired++;
      findings.push({ kind: 'authorised-expiry', subject: 'object', key, detail: `deleted ${del.time} by ${del.rule} (recorded in ${del.digest})`, digest: c.digest });
      continue;
    }
    if (dels.length > 0) {
      const d0 = dels[dels.length - 1];
      findings.push({ kind: 'missing', subject: 'object', key, detail: `not found; the deletion recorded ${d0.time} by ${d0.rule} names other bytes (hash ${d0.sha256.slice(0, 12)}…, digest lists ${c.sha256.slice(0, 12)}…)`, digest: c.digest });
      continue;
    }
    const target = uncoveredBySha.get(c.sha256)?.find((k) => !movedTargets.has(k));
    if (target) {
      movedTargets.add(target);
      findings.push({ kind: 'moved', subject: 'object', key, detail: `moved to ${target}`, digest: c.digest });
    } else {
      findings.push({ kind: 'missing', subject: 'object', key, detail: 'not found', digest: c.digest });
    }
  }
  for (const o of uncovered) {
    if (movedTargets.has(o.key)) {
      findings.push({ kind: 'moved', subject: 'object', key: o.key, detail: 'present under a key no digest lists (moved here)' });
      continue;
    }
    const h = hashes.get(o.key);
    const p = pendingObjects.get(o.key);
    if (p !== undefined) {
      if (h && h.sha256 === p) {
        pendingCount++;
        findings.push({ kind: 'pending', subject: 'object', key: o.key, detail: 'valid (recorded, not yet in a digest)' });
      } else {
        findings.push({ kind: 'modified', subject: 'object', key: o.key, detail: "hash value doesn't match the pending journal" });
      }
      continue;
    }
    findings.push({ kind: 'inserted', subject: 'object', key: o.key, detail: 'present but in no digest' });
  }
  const problems = findings.filter(isProblem).length;
  return {
    findings,
    digests: { valid: digestsValid, total: Math.max(digestsTotal, digestsValid) },
    // Expected objects: listed and not deleted on purpose, plus the uncovered ones found (moved targets counted once).
    objects: { valid, total: covered.size - expired + uncovered.length - movedTargets.size, expired, pending: pendingCount },
    found: Number.isFinite(foundFrom) ? { from: new Date(foundFrom).toISOString().replace(/\.\d{3}Z$/, 'Z'), to: new Date(foundTo).toISOString().replace(/\.\d{3}Z$/, 'Z') } : null,
    hash: stats,
    problems,
  };
}

/** [end − 1 ms, end] of a digest key: enough to place it in or out of a range. */
function span(key: string): [number, number] {
  const end = parseDigestKey(key)?.endMs ?? 0;
  return [end - 1, end];
}

async function readHead(stateDir: string): Promise<ChainHead | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, HEAD_FILE), 'utf8')) as ChainHead;
  } catch {
    return null;
  }
}
