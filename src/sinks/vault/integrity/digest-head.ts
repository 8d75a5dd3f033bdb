import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import { writeFileAtomicAsync } from '../../../buffer/atomic-file.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { digestPrefix, parseDigestKey, type ChainLocation } from './digest-format.js';
import { readDigest } from './read-digest.js';

/** `<stateDir>/digest-head.json`: the newest digest written by this home. */
export const HEAD_FILE = 'digest-head.json';

/** The newest digest of the chain: what the next digest links to. */
export interface ChainHead {
  key: string;
  endMs: number;
  sha256: string;
  signature: string;
}

export async function readHeadFile(stateDir: string): Promise<ChainHead | null> {
  try {
    return JSON.parse(await readFile(join(stateDir, HEAD_FILE), 'utf8')) as ChainHead;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuditlakeError('E_PARSE', `digest: cannot read ${join(stateDir, HEAD_FILE)}`, { cause: err });
  }
}

export async function writeHeadFile(stateDir: string, head: ChainHead): Promise<void> {
  await writeFileAtomicAsync(join(stateDir, HEAD_FILE), JSON.stringify(head, null, 2) + '\n');
}

/**
 * The head file, unless the store holds newer digests (a flush that crashed after its put): then the newest stored
 * digest, and the set of entries those newer digests already cover (so they are not listed twice).
 */
export async function resolveHead(store: ObjectStore, loc: ChainLocation, stateDir: string): Promise<{ head: ChainHead | null; covered: Set<string> }> {
  const fileHead = await readHeadFile(stateDir);
  const covered = new Set<string>();
  const newer: string[] = [];
  for await (const o of store.list(digestPrefix(loc))) {
    const p = parseDigestKey(o.key);
    if (p && p.account === loc.account && p.region === loc.region && (!fileHead || p.endMs > fileHead.endMs)) newer.push(o.key);
  }
  if (newer.length === 0) return { head: fileHead, covered };
  newer.sort((a, b) => parseDigestKey(a)!.endMs - parseDigestKey(b)!.endMs);
  // Without a head file only the newest stored digest is trusted as the link target.
  const scan = fileHead ? newer : newer.slice(-1);
  let head: ChainHead | null = fileHead;
  for (const key of scan) {
    const r = await readDigest(store, key);
    if (!r.ok || !r.digest.signature) {
      throw new AuditlakeError('E_INTEGRITY', `digest: ${key} in ${store.url} is ${r.ok ? 'unsigned' : r.detail}; run \`auditlake verify\` before writing more digests`);
    }
    for (const o of r.digest.body.objects) covered.add(`object ${o.key} ${o.hashValue}`);
    for (const d of r.digest.body.deletions) covered.add(`deletion ${d.key} ${d.hashValue}`);
    head = { key, endMs: parseDigestKey(key)!.endMs, sha256: r.digest.sha256, signature: r.digest.signature };
  }
  return { head, covered };
}
