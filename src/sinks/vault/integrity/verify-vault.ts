import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo, ObjectStore } from '../../../core/object-store.js';
import { parseDigestKey } from './digest-format.js';
import { DEFAULT_PERIOD_MS, HEAD_FILE, type ChainHead } from './digest-recorder.js';
import { parseCheckpointKey } from './checkpoint-format.js';
import { readCheckpointHead, type LoadedCheckpoint } from './checkpoint.js';
import { evaluateObjects, type KeyRecord } from './evaluate-objects.js';
import { isProblem, type Finding } from './findings.js';
import { hashObjects, type HashStats } from './hash-objects.js';
import { readPending, type JournalEntry } from './journal.js';
import type { ChainHeadInfo } from '../../../core/digest.js';
import { walkChain } from './walk-chain.js';
import { walkCheckpoints } from './walk-checkpoints.js';

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
  /** Hex SHA-256 of a checkpoint (or digest) the user kept: it must be in the chain (else `head-not-found`). */
  expectHead?: string;
}

export interface VerifyVaultReport {
  findings: Finding[];
  digests: { valid: number; total: number };
  checkpoints: { valid: number; total: number };
  objects: { valid: number; total: number; expired: number; pending: number };
  /** Earliest start / latest end of the valid digests in range (ISO), or null. */
  found: { from: string; to: string } | null;
  /** The newest valid checkpoint: the head to keep for `--expect-head`. */
  head: ChainHeadInfo | null;
  hash: HashStats;
  problems: number;
}

/** Verifies the vault's digest chain(s), checkpoints and every object they list; see docs/reference/vault-format.md. */
export async function verifyVault(opts: VerifyVaultOptions): Promise<VerifyVaultReport> {
  const { store } = opts;
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const to = opts.to ?? Number.POSITIVE_INFINITY;
  // A digest period [start, end) overlaps the requested [from, to] when it ends after `from` and starts by `to`.
  const inRange = (startMs: number, endMs: number) => endMs > from && startMs <= to;

  // One listing: digests and checkpoints grouped per chain, everything else is a vault object.
  const chains = new Map<string, { digests: string[]; checkpoints: string[] }>();
  const chain = (account: string, region: string) => {
    const id = `${account}/${region}`;
    if (!chains.has(id)) chains.set(id, { digests: [], checkpoints: [] });
    return chains.get(id)!;
  };
  const objects = new Map<string, ObjectInfo>();
  for await (const o of opts.store.list('')) {
    const p = parseDigestKey(o.key);
    const c = p ? null : parseCheckpointKey(o.key);
    if (p) chain(p.account, p.region).digests.push(o.key);
    else if (c) chain(c.account, c.region).checkpoints.push(o.key);
    else objects.set(o.key, o);
  }
  const head = opts.stateDir ? await readHead(opts.stateDir) : null;
  const cpHead = opts.stateDir ? await readCheckpointHead(opts.stateDir).catch(() => null) : null;
  for (const k of [head?.key, cpHead?.key]) {
    const p = k ? (parseDigestKey(k) ?? parseCheckpointKey(k)) : null;
    if (p) chain(p.account, p.region);
  }
  const pending: JournalEntry[] = opts.stateDir ? await readPending(opts.stateDir) : [];

  const findings: Finding[] = [];
  const records = new Map<string, KeyRecord[]>();
  const add = (key: string, r: KeyRecord) => records.set(key, [...(records.get(key) ?? []), r]);
  const cps = { valid: 0, total: 0 };
  const allCheckpoints: LoadedCheckpoint[] = [];
  const digestShas = new Set<string>();
  let digestsValid = 0;
  let digestsTotal = 0;
  let foundFrom = Number.POSITIVE_INFINITY;
  let foundTo = Number.NEGATIVE_INFINITY;
  for (const [id, listed] of chains) {
    const [account, region] = id.split('/');
    const mine = (k: string | undefined) => {
      const p = k ? (parseDigestKey(k) ?? parseCheckpointKey(k)) : null;
      return !!p && p.account === account && p.region === region;
    };
    const cw = await walkCheckpoints({ store, account, region, listed: listed.checkpoints, publicKeys: opts.publicKeys, head: mine(cpHead?.key) ? cpHead : null });
    findings.push(...cw.findings);
    cps.valid += cw.valid.length;
    cps.total += cw.total;
    allCheckpoints.push(...cw.valid);
    const chainHead = pickDigestHead(mine(head?.key) ? head : null, cw.valid[0] ?? null);
    const walk = await walkChain({ store, account, region, listed: listed.digests, publicKeys: opts.publicKeys, head: chainHead?.head ?? null, headFrom: chainHead?.from, defaultPeriodMs: DEFAULT_PERIOD_MS });
    for (const f of walk.findings) {
      const end = parseDigestKey(f.key)?.endMs ?? Number.NaN;
      // Digest findings outside the range are dropped; undated ones (bad keys) always reported.
      if (Number.isNaN(end) || inRange(end - 1, end)) findings.push(f);
    }
    digestsTotal += new Set(walk.findings.filter((f) => f.subject === 'digest' && inRange(...span(f.key))).map((f) => f.key)).size;
    for (const d of walk.valid) {
      digestShas.add(d.sha256);
      const start = Date.parse(d.body.digestStartTime);
      const end = Date.parse(d.body.digestEndTime);
      for (const del of d.body.deletions) add(del.key, { t: Date.parse(del.deletedTime), kind: 'deletion', sha: del.hashValue, rule: del.rule, where: d.key, signed: true });
      if (!inRange(start, end)) continue;
      if (inRange(...span(d.key))) digestsValid++;
      foundFrom = Math.min(foundFrom, start);
      foundTo = Math.max(foundTo, end);
      for (const o of d.body.objects) add(o.key, { t: Date.parse(o.recordedTime), kind: 'object', sha: o.hashValue, where: d.key, signed: true });
    }
    for (const c of cw.valid) {
      for (const del of c.body.deletions) add(del.key, { t: Date.parse(del.deletedTime), kind: 'deletion', sha: del.hashValue, rule: del.rule, where: c.key, signed: true });
      for (const o of c.body.objects) {
        const t = Date.parse(o.recordedTime);
        if (inRange(t, t)) add(o.key, { t, kind: 'object', sha: o.hashValue, where: c.key, signed: true });
      }
      for (const i of c.body.intents) add(i.key, { t: Date.parse(i.recordedTime), kind: 'intent', from: i.fromHashValue, to: i.toHashValue, where: c.key, signed: true });
    }
  }
  for (const e of pending) {
    if (e.kind === 'deletion') add(e.key, { t: e.t, kind: 'deletion', sha: e.sha256, rule: e.rule, where: 'pending journal', signed: false });
    else if (e.kind === 'object') add(e.key, { t: e.t, kind: 'object', sha: e.sha256, where: 'pending journal', signed: false });
    else if (e.kind === 'intent') add(e.key, { t: e.t, kind: 'intent', from: e.from ?? null, to: e.to ?? null, where: 'pending journal', signed: false });
  }
  // A key known only through deletions (its object listed outside the range) is not judged unless present.
  for (const [k, recs] of records) if (!objects.has(k) && recs.every((r) => r.kind === 'deletion')) records.delete(k);

  // Hash every present object that is recorded, or a candidate for inserted/moved.
  const uncovered = [...objects.values()].filter((o) => !records.has(o.key) && inRange(o.lastModified.getTime(), o.lastModified.getTime())).map((o) => o.key);
  const toHash = [...[...records.keys()].filter((k) => objects.has(k)), ...uncovered];
  const { hashes, stats } = await hashObjects(store, toHash, opts.concurrency ?? 4);
  const present = new Map(toHash.map((k) => [k, hashes.get(k)?.sha256 ?? null] as const));
  const v = evaluateObjects(records, present, uncovered);
  findings.push(...v.findings);

  const newestCp = allCheckpoints.reduce<LoadedCheckpoint | null>((a, c) => (!a || c.body.sequence > a.body.sequence ? c : a), null);
  if (opts.expectHead) {
    const want = opts.expectHead.toLowerCase();
    const at = allCheckpoints.find((c) => c.sha256 === want);
    if (!at && !digestShas.has(want)) {
      findings.push({ kind: 'head-not-found', subject: 'checkpoint', key: want, detail: `no valid checkpoint or digest with SHA-256 ${want}: records newer than it were cut off, or the vault was rolled back to before it` });
    }
  }
  const problems = findings.filter(isProblem).length;
  return {
    findings,
    digests: { valid: digestsValid, total: Math.max(digestsTotal, digestsValid) },
    checkpoints: cps,
    objects: { valid: v.valid, total: v.total - v.expired, expired: v.expired, pending: v.pending },
    found: Number.isFinite(foundFrom) ? { from: new Date(foundFrom).toISOString().replace(/\.\d{3}Z$/, 'Z'), to: new Date(foundTo).toISOString().replace(/\.\d{3}Z$/, 'Z') } : null,
    head: newestCp ? { sha256: newestCp.sha256, key: newestCp.key, seq: newestCp.body.sequence, createdTime: newestCp.body.createdTime } : null,
    hash: stats,
    problems,
  };
}

/**
 * Where the digest walk starts: the newest digest any trusted source names — the home's head file or the newest
 * valid checkpoint (signed, in the store: catches a deleted newest digest without the home state too).
 */
function pickDigestHead(stateHead: ChainHead | null, cp: LoadedCheckpoint | null): { head: ChainHead; from: string } | null {
  const b = cp?.body;
  const fromCp = b?.headDigestObject && b.headDigestHashValue && b.headDigestSignature
    ? { key: b.headDigestObject, endMs: parseDigestKey(b.headDigestObject)?.endMs ?? 0, sha256: b.headDigestHashValue, signature: b.headDigestSignature }
    : null;
  if (fromCp && (!stateHead || fromCp.endMs >= stateHead.endMs)) return { head: fromCp, from: cp!.key };
  return stateHead ? { head: stateHead, from: 'the recorder head (state/digest-head.json)' } : null;
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
