import { AuditlakeError, hasErrorCode } from '../core/errors.js';
import { MANIFEST_NAME, emptyManifest, partitionOf, type Manifest, type ManifestFile } from '../sinks/lake/manifest.js';
import type { SourceObjectRef } from '../core/lake.js';
import { readAll } from '../stores/read-all.js';
import type { ObjectStore } from '../core/object-store.js';

/** Where Lambda handlers drop what they added to the lake, for the one manifest writer to adopt. */
export const INCOMING_PREFIX = 'state/lake-incoming/';
export const LAKE_PREFIX = 'lake/';
const FORMAT = 'auditlake-lake-incoming/1';

/**
 * What one handler invocation added to the lake: Parquet files already under `lake/` plus the source version they
 * came from. Handlers run concurrently, so none of them touches the manifest (one object, one writer at a time);
 * they drop this fragment instead, and the manifest's writer (the sweep, or any command on the S3 home) adopts it.
 */
export interface IncomingFragment {
  format: typeof FORMAT;
  source: SourceObjectRef;
  files: ManifestFile[];
  at: string;
}

export function incomingFragment(source: SourceObjectRef, files: ManifestFile[]): IncomingFragment {
  return { format: FORMAT, source, files, at: new Date().toISOString() };
}

/**
 * Folds fragments into a manifest (pure). Their partitions are marked overlapping: a redelivered or changed source
 * may repeat events already there, and the views then de-duplicate by event_id until compaction does it on disk.
 */
export function mergeIncoming(m: Manifest, fragments: IncomingFragment[]): Manifest {
  const files = [...m.files];
  const have = new Set(files.map((f) => f.path));
  const overlapping = new Set(m.overlapping);
  const sources: Manifest['sources'] = { ...m.sources };
  for (const fr of fragments) {
    for (const f of fr.files) {
      if (have.has(f.path)) continue;
      have.add(f.path);
      files.push({ path: f.path, rows: f.rows, bytes: f.bytes });
      overlapping.add(partitionOf(f.path));
    }
    sources[fr.source.store] = { ...(sources[fr.source.store] ?? {}), [fr.source.key]: { etag: fr.source.etag, size: fr.source.size } };
  }
  return { ...m, generation: m.generation + 1, updatedAt: new Date().toISOString(), files, overlapping: [...overlapping].sort(), sources };
}

export function parseFragment(text: string, where: string): IncomingFragment {
  let f: IncomingFragment;
  try {
    f = JSON.parse(text) as IncomingFragment;
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `lake incoming: ${where} is not JSON (${(err as Error).message})`, { cause: err });
  }
  if (f.format !== FORMAT || !Array.isArray(f.files) || !f.source?.key) throw new AuditlakeError('E_PARSE', `lake incoming: ${where} is not a ${FORMAT} fragment`);
  return f;
}

/** Every fragment waiting under the home, with its key. */
export async function readIncoming(home: ObjectStore): Promise<Array<{ key: string; fragment: IncomingFragment }>> {
  const out: Array<{ key: string; fragment: IncomingFragment }> = [];
  for await (const o of home.list(INCOMING_PREFIX)) {
    if (!o.key.endsWith('.json')) continue;
    out.push({ key: o.key, fragment: parseFragment((await readAll(await home.get(o.key))).toString('utf8'), o.key) });
  }
  return out;
}

/**
 * Adopts waiting fragments into the S3 home's manifest directly on the store: read manifest + etag, merge, write it
 * back with If-Match (If-None-Match when it does not exist yet), then delete the adopted fragments. A lost race
 * (another adopter, an S3-home command) is retried from a fresh read; after `attempts` it is E_CONFLICT.
 */
export async function adoptIncoming(home: ObjectStore, attempts = 5): Promise<{ adopted: number; files: number }> {
  const waiting = await readIncoming(home);
  if (waiting.length === 0) return { adopted: 0, files: 0 };
  const key = LAKE_PREFIX + MANIFEST_NAME;
  for (let attempt = 1; ; attempt++) {
    const cur = await home.head(key);
    const m = cur ? (JSON.parse((await readAll(await home.get(key))).toString('utf8')) as Manifest) : emptyManifest();
    const next = Buffer.from(JSON.stringify(mergeIncoming(m, waiting.map((w) => w.fragment)), null, 1));
    try {
      if (cur) await home.replace(key, next, { ifMatch: cur.etag, contentType: 'application/json' });
      else await home.put(key, next, { contentType: 'application/json' });
      break;
    } catch (err) {
      if (!(hasErrorCode(err, 'E_CONFLICT') || hasErrorCode(err, 'E_EXISTS')) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
    }
  }
  for (const w of waiting) await home.delete(w.key);
  return { adopted: waiting.length, files: waiting.reduce((n, w) => n + w.fragment.files.length, 0) };
}
