import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { AuditlakeError, errorMessage, hasErrorCode } from '../../../core/errors.js';
import { resolveHome } from '../../../core/home.js';
import { isUnknownKey, parseObjectKey } from '../../../formats/object-key/index.js';
import { ingest } from '../../../pipeline/ingest.js';
import type { IngestSummary } from '../../../pipeline/summary.js';
import { openLake } from '../../../sinks/lake/open-lake.js';
import type { ManifestFile } from '../../../sinks/lake/manifest.js';
import type { SourceObjectRef } from '../../../core/lake.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { INCOMING_PREFIX, LAKE_PREFIX, incomingFragment } from '../../lake-incoming.js';
import type { Runtime } from './runtime.js';
import type { LandedObject } from './s3-events.js';
import { singleObjectStore } from './single-object-store.js';

export const PROCESSED_PREFIX = 'state/processed/';

export type Outcome =
  | { status: 'done'; key: string; events: number; quarantined: number; files: number }
  | { status: 'duplicate' | 'ignored' | 'gone'; key: string; reason: string }
  | { status: 'sidelined'; key: string; reason: string };

/** Codes that mean the object itself is bad (retrying cannot help): it goes to the sideline. */
const POISON = ['E_PARSE', 'E_UNKNOWN_KEY', 'E_INTEGRITY'] as const;

/**
 * The whole job for one landed object, idempotent under at-least-once and out-of-order delivery:
 * the object's *current* version (etag from HEAD, so an older event for an overwritten key resolves to what is
 * there now) is keyed as sha256(bucket, key, etag); a marker `state/processed/<hash>.json`, written last with
 * If-None-Match, says it is done. A redelivery finds the marker and stops; a crash before the marker redoes the
 * work, and every write on the way is put-if-absent under a name derived from the same hash (vault: same source
 * version → same vault key; lake: `<hash>-<n>.parquet`), so a redo never doubles anything.
 * Poison (unknown layout, unreadable, does not authenticate) is copied to the sideline with a reason and marked
 * done, so it never blocks the queue and never disappears; transient errors (S3, KMS) are thrown for a retry.
 */
export async function processObject(rt: Runtime, landed: LandedObject): Promise<Outcome> {
  const src = rt.source(landed.bucket);
  const info = await src.head(landed.key);
  if (!info) return { status: 'gone', key: landed.key, reason: 'the object no longer exists (deleted or expired before it was processed)' };
  const ref: SourceObjectRef = { store: src.url, key: info.key, etag: info.etag, size: info.size };
  const hash = createHash('sha256').update(`${landed.bucket}\n${info.key}\n${info.etag}`).digest('hex');
  const marker = `${PROCESSED_PREFIX}${hash.slice(0, 2)}/${hash}.json`;
  if (await rt.home.head(marker)) return { status: 'duplicate', key: info.key, reason: `already processed (${marker})` };

  const parsed = parseObjectKey(info.key);
  if (isUnknownKey(parsed)) {
    if (parsed.recognised) {
      await putOnce(rt.home, marker, { status: 'ignored', source: ref, reason: parsed.unknown });
      return { status: 'ignored', key: info.key, reason: parsed.unknown };
    }
    return sideline(rt, src, ref, marker, `unknown key layout: ${parsed.unknown}`);
  }

  const tmp = join(rt.tmpRoot, `auditlake-${randomBytes(6).toString('hex')}`);
  try {
    const home = resolveHome(tmp);
    const lake = await openLake({ root: home.lake, tmpDir: home.tmp, tuning: { threads: 1 } });
    let summary: IngestSummary;
    try {
      summary = await ingest({ store: singleObjectStore(src, info), lake, home, evidence: rt.vault, workers: 0 });
    } catch (err) {
      await lake.close();
      if (POISON.some((c) => hasErrorCode(err, c))) return await sideline(rt, src, ref, marker, errorMessage(err));
      throw err;
    }
    const files: ManifestFile[] = [];
    try {
      let n = 0;
      for (const f of lake.manifest().files) {
        const path = `${f.path.slice(0, f.path.lastIndexOf('/'))}/${hash.slice(0, 24)}-${n++}.parquet`;
        await putOnce(rt.home, LAKE_PREFIX + path, createReadStream(join(home.lake, f.path)), 'application/vnd.apache.parquet');
        files.push({ path, rows: f.rows, bytes: f.bytes });
      }
    } finally {
      await lake.close();
    }
    for (const name of await readdir(home.quarantine).catch(() => [] as string[])) {
      if (!name.startsWith('.')) await putOnce(rt.home, `quarantine/${name}`, createReadStream(join(home.quarantine, name)), 'application/x-ndjson');
    }
    await putOnce(rt.home, `${INCOMING_PREFIX}${hash}.json`, incomingFragment(ref, files));
    if (summary.objects.corrupt > 0 || (summary.events === 0 && summary.quarantined > 0)) {
      // Events before the damage (if any) are in the lake; the object itself is kept aside with the reason.
      const why = summary.objects.corrupt > 0 ? 'object is damaged (unreadable part)' : 'no record of the object parsed';
      return await sideline(rt, src, ref, marker, `${why}: ${summary.quarantined} record(s) quarantined with their reasons under quarantine/`, files.length);
    }
    await putOnce(rt.home, marker, { status: 'done', source: ref, events: summary.events, quarantined: summary.quarantined, files: files.map((f) => f.path) });
    return { status: 'done', key: info.key, events: summary.events, quarantined: summary.quarantined, files: files.length };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Put-if-absent where an existing object is an earlier attempt's identical result (so E_EXISTS is success). */
async function putOnce(store: ObjectStore, key: string, body: Readable | object, contentType = 'application/json'): Promise<void> {
  const bytes = body instanceof Readable ? body : Buffer.from(JSON.stringify(body, null, 1));
  try {
    await store.put(key, bytes, { contentType });
  } catch (err) {
    if (body instanceof Readable) body.destroy();
    if (!hasErrorCode(err, 'E_EXISTS')) throw err;
  }
}

/** Copies the object (streamed) to `<sideline>/<bucket>/<key>` with `<…>.reason.json`, then marks it handled. */
async function sideline(rt: Runtime, src: ObjectStore, ref: SourceObjectRef, marker: string, reason: string, lakeFiles = 0): Promise<Outcome> {
  const bucket = src.url.replace(/^s3:\/\//, '').split('/')[0] ?? 'unknown';
  const base = `${bucket}/${ref.key}`;
  try {
    await rt.sideline.put(base, await src.get(ref.key), { metadata: { 'auditlake-etag': ref.etag } });
  } catch (err) {
    if (!hasErrorCode(err, 'E_EXISTS')) throw err;
  }
  await putOnce(rt.sideline, `${base}.reason.json`, { reason, source: ref, lakeFiles, at: new Date().toISOString() });
  await putOnce(rt.home, marker, { status: 'sidelined', source: ref, reason });
  return { status: 'sidelined', key: ref.key, reason };
}

/** For callers that must name the failing object in a thrown error. */
export function wrapFailure(landed: LandedObject, err: unknown): AuditlakeError {
  const code = err instanceof AuditlakeError ? err.code : 'E_INTERNAL';
  return new AuditlakeError(code, `lambda: s3://${landed.bucket}/${landed.key}: ${errorMessage(err)}`, { cause: err });
}
