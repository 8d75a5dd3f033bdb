import { isUnknownKey, parseObjectKey } from '../../formats/object-key/index.js';
import type { ObjectKeyInfo } from '../../core/decode.js';
import type { SourceObjectRef } from '../../core/lake.js';
import type { ObjectStore } from '../../core/object-store.js';

/** What listing a store yields, object by object. */
export type ClassifiedObject =
  /** A known layout not ingested yet (or changed since: a new etag is a new version). */
  | { kind: 'new'; ref: SourceObjectRef; info: ObjectKeyInfo }
  /** The same version was ingested by an earlier run. */
  | { kind: 'done'; ref: SourceObjectRef }
  /** A known layout that holds no events (CloudTrail digest / Insights files). */
  | { kind: 'ignored'; key: string; reason: string }
  /**
   * A known layout with an invalid component (account, region, cluster): never read; refused with the
   * reason (a quarantine entry) and recorded as done, so a re-run does not refuse it again.
   */
  | { kind: 'refused'; ref: SourceObjectRef; reason: string }
  /** Matches no known layout: reported with the reason, never guessed. */
  | { kind: 'unknown'; key: string; reason: string; ref: SourceObjectRef };

/**
 * The object-store source: lists `store` (under `prefix`) in key order and tells, for every
 * object, whether it is new, already ingested (`isIngested`, from the lake's manifest), ignored
 * or unknown — by its key alone, before any byte is read.
 */
export async function* classifyObjects(
  store: ObjectStore,
  isIngested: (ref: SourceObjectRef) => boolean,
  prefix?: string,
): AsyncGenerator<ClassifiedObject> {
  for await (const o of store.list(prefix)) {
    const info = parseObjectKey(o.key);
    if (isUnknownKey(info) && info.invalid) {
      const ref: SourceObjectRef = { store: store.url, key: o.key, etag: o.etag, size: o.size };
      yield isIngested(ref) ? { kind: 'done', ref } : { kind: 'refused', ref, reason: info.unknown };
      continue;
    }
    if (isUnknownKey(info)) {
      yield info.recognised
        ? { kind: 'ignored', key: o.key, reason: info.unknown }
        : { kind: 'unknown', key: o.key, reason: info.unknown, ref: { store: store.url, key: o.key, etag: o.etag, size: o.size } };
      continue;
    }
    const ref: SourceObjectRef = { store: store.url, key: o.key, etag: o.etag, size: o.size };
    yield isIngested(ref) ? { kind: 'done', ref } : { kind: 'new', ref, info };
  }
}
