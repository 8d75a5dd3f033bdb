import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuditlakeError } from '../../core/errors.js';
import { assertValidKey } from '../keys.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/object-store.js';
import { readAll } from '../read-all.js';

interface Entry {
  body: Buffer;
  info: ObjectInfo;
}

/**
 * An in-memory store for tests and for the demo's scratch work. Same contract as fs and s3:
 * no overwrite, lexicographic list, E_NOT_FOUND on a missing get.
 */
export function createMemoryStore(opts: { name?: string } = {}): ObjectStore {
  const objects = new Map<string, Entry>();
  const url = `memory://${opts.name ?? 'default'}`;
  let generation = 0;
  return {
    url,
    async *list(prefix = '') {
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      for (const k of keys) {
        const e = objects.get(k);
        if (e) yield { ...e.info, metadata: undefined };
      }
    },
    async head(key) {
      const e = objects.get(key);
      return e ? { ...e.info, metadata: { ...(e.info.metadata ?? {}) } } : null;
    },
    async get(key) {
      const e = objects.get(key);
      if (!e) throw new AuditlakeError('E_NOT_FOUND', `memory store: ${url}/${key} not found`);
      return Readable.from([e.body]);
    },
    async put(key, body, options: PutOptions = {}) {
      assertValidKey('memory store', key);
      if (objects.has(key)) throw new AuditlakeError('E_EXISTS', `memory store: ${url}/${key} already exists (objects are never overwritten)`);
      const buf = Buffer.isBuffer(body) ? Buffer.from(body) : await readAll(body);
      // Re-check after the await: a concurrent put of the same key may have won.
      if (objects.has(key)) throw new AuditlakeError('E_EXISTS', `memory store: ${url}/${key} already exists (objects are never overwritten)`);
      const info: ObjectInfo = {
        key,
        size: buf.length,
        etag: createHash('md5').update(buf).digest('hex'),
        lastModified: new Date(),
        metadata: { ...(options.metadata ?? {}) },
      };
      objects.set(key, { body: buf, info });
      return { ...info, metadata: undefined };
    },
    async replace(key, body, options) {
      assertValidKey('memory store', key);
      const buf = Buffer.from(body);
      // Check and swap with no await in between: JS runs this atomically, so two racing replaces
      // of the same etag cannot both win.
      const cur = objects.get(key);
      if (!cur) throw new AuditlakeError('E_NOT_FOUND', `memory store: ${url}/${key} not found (replace needs an existing object)`);
      if (cur.info.etag !== options.ifMatch) {
        throw new AuditlakeError('E_CONFLICT', `memory store: ${url}/${key} changed since it was read (etag ${cur.info.etag}, expected ${options.ifMatch})`);
      }
      const info: ObjectInfo = {
        key,
        size: buf.length,
        // Content hash plus a generation: an identical body still gets a new etag, so A→B→A is a change.
        etag: `${createHash('md5').update(buf).digest('hex')}-${++generation}`,
        lastModified: new Date(),
        metadata: { ...(options.metadata ?? {}) },
      };
      objects.set(key, { body: buf, info });
      return { ...info, metadata: undefined };
    },
    async delete(key) {
      objects.delete(key);
    },
  };
}
