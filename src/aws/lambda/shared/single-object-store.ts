import type { ObjectInfo, ObjectStore } from '../../../core/object-store.js';

/**
 * A view of `base` that lists exactly one object (the one an event named), so the ingest pipeline — which works
 * on listings — processes that object and nothing that merely shares its prefix.
 */
export function singleObjectStore(base: ObjectStore, info: ObjectInfo): ObjectStore {
  return {
    ...base,
    url: base.url,
    async *list(prefix = '') {
      if (info.key.startsWith(prefix)) yield info;
    },
  };
}
