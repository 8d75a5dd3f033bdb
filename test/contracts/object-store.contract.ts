import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { hasErrorCode } from '../../src/core/errors.js';
import type { ObjectStore } from '../../src/core/object-store.js';

/** Everything a driver needs to run the contract: a fresh, empty store per call. */
export interface StoreHarness {
  name: string;
  create(): Promise<ObjectStore>;
  /** Bytes for the large-object case (multipart on S3). Default 12 MiB. */
  largeSize?: number;
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function keysOf(store: ObjectStore, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

/**
 * The ObjectStore contract (src/stores/types.ts). Every driver — fs, s3 (against s3rver),
 * memory — runs exactly this suite, so code written against one behaves the same on all.
 */
export function objectStoreContract(h: StoreHarness): void {
  describe(`ObjectStore contract: ${h.name}`, () => {
    test('put then get returns the same bytes; head reports size, etag and metadata', async () => {
      const store = await h.create();
      const body = Buffer.from('hello, audit\n');
      const put = await store.put('a/b/c.txt', body, { metadata: { sha256: 'abc123' }, contentType: 'text/plain' });
      assert.equal(put.key, 'a/b/c.txt');
      assert.equal(put.size, body.length);
      assert.ok(put.etag.length > 0);
      assert.deepEqual(await readAll(await store.get('a/b/c.txt')), body);
      const head = await store.head('a/b/c.txt');
      assert.ok(head);
      assert.equal(head.size, body.length);
      assert.equal(head.etag, put.etag);
      assert.equal(head.metadata?.sha256, 'abc123');
      assert.ok(head.lastModified instanceof Date);
    });

    test('put never overwrites: a second put of the same key fails with E_EXISTS and keeps the first body', async () => {
      const store = await h.create();
      await store.put('k', Buffer.from('first'));
      await assert.rejects(store.put('k', Buffer.from('second')), (e: unknown) => hasErrorCode(e, 'E_EXISTS'));
      await assert.rejects(store.put('k', Readable.from([Buffer.from('third')])), (e: unknown) => hasErrorCode(e, 'E_EXISTS'));
      assert.equal((await readAll(await store.get('k'))).toString(), 'first');
    });

    test('missing objects: head is null, get fails with E_NOT_FOUND, delete is a no-op', async () => {
      const store = await h.create();
      assert.equal(await store.head('nope/x'), null);
      await assert.rejects(store.get('nope/x'), (e: unknown) => hasErrorCode(e, 'E_NOT_FOUND'));
      await store.delete('nope/x');
    });

    test('list is recursive, in lexicographic key order, filtered by prefix', async () => {
      const store = await h.create();
      // 'a-b' sorts before 'a/…' ('-' < '/'), which a naive depth-first walk gets wrong.
      const keys = ['b.txt', 'a/z.txt', 'a-b', 'a/b/c.txt', 'a/b/a.txt', 'AWSLogs/1/x.gz', 'a/b0'];
      for (const k of keys) await store.put(k, Buffer.from(k));
      const sorted = [...keys].sort();
      assert.deepEqual(await keysOf(store), sorted);
      assert.deepEqual(await keysOf(store, 'a/'), sorted.filter((k) => k.startsWith('a/')));
      assert.deepEqual(await keysOf(store, 'a/b'), ['a/b/a.txt', 'a/b/c.txt', 'a/b0']);
      assert.deepEqual(await keysOf(store, 'zzz'), []);
      for await (const o of store.list('b')) {
        assert.equal(o.key, 'b.txt');
        assert.equal(o.size, 5);
        assert.ok(o.etag);
      }
    });

    test('delete removes the object; the key can then be written again', async () => {
      const store = await h.create();
      await store.put('d/1', Buffer.from('one'));
      await store.delete('d/1');
      assert.equal(await store.head('d/1'), null);
      assert.deepEqual(await keysOf(store), []);
      await store.put('d/1', Buffer.from('two'));
      assert.equal((await readAll(await store.get('d/1'))).toString(), 'two');
    });

    test('streams in and out: a large body round-trips byte for byte', async () => {
      const store = await h.create();
      const size = h.largeSize ?? 12 * 1024 * 1024;
      const body = randomBytes(size);
      // Deliver in odd-sized chunks so drivers cannot rely on chunk boundaries.
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += 1_000_003) chunks.push(body.subarray(i, i + 1_000_003));
      const put = await store.put('big/blob.bin', Readable.from(chunks));
      assert.equal(put.size, size);
      const back = await readAll(await store.get('big/blob.bin'));
      assert.equal(back.length, size);
      assert.ok(back.equals(body), 'large body differs after round trip');
      assert.equal((await store.head('big/blob.bin'))?.size, size);
    });

    test('etag changes when content changes', async () => {
      const store = await h.create();
      const a = await store.put('e', Buffer.from('version one'));
      await store.delete('e');
      // fs etags are size+mtime: make the size differ so the test does not depend on clock resolution.
      const b = await store.put('e', Buffer.from('version two, longer'));
      assert.notEqual(a.etag, b.etag);
    });

    test('keys that could escape the root are refused with E_USAGE', async () => {
      const store = await h.create();
      for (const k of ['../x', '/abs', 'a//b', 'a/./b', '', 'dir/']) {
        await assert.rejects(store.put(k, Buffer.from('x')), (e: unknown) => hasErrorCode(e, 'E_USAGE'), `key ${JSON.stringify(k)}`);
      }
    });

    test('a failing body stream fails the put and leaves no object behind', async () => {
      const store = await h.create();
      const bad = new Readable({
        read() {
          this.destroy(new Error('source broke'));
        },
      });
      await assert.rejects(store.put('broken', bad));
      assert.equal(await store.head('broken'), null);
      assert.deepEqual(await keysOf(store), []);
    });
  });
}
