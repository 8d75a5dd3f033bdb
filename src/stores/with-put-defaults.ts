import type { ObjectStore, PutOptions } from '../core/object-store.js';

/**
 * The same store with options added to every put (Object Lock retention, legal hold) — so the vault, which knows
 * nothing about S3, writes WORM objects when its store is an Object Lock bucket. `defaults` is called per put
 * because retention is counted from the write.
 */
export function withPutDefaults(store: ObjectStore, defaults: () => PutOptions): ObjectStore {
  return {
    ...store,
    url: store.url,
    list: (p) => store.list(p),
    put: (key, body, options = {}) => store.put(key, body, { ...defaults(), ...options }),
    replace: (key, body, options) => store.replace(key, body, { ...defaults(), ...options }),
  };
}
