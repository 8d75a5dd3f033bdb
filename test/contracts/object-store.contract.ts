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
  /**
   * The store enforces conditional writes atomically (fs, memory). s3rver ignores If-Match / If-None-Match, so
   * the S3 driver's atomicity is asserted on the exact requests instead (test/aws/s3-conditional.test.ts).
   */
  strictConditional?: boolean;
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

    test('replace is compare-and-swap: the current etag wins, a stale one fails with E_CONFLICT and changes nothing', async () => {
      const store = await h.create();
      const v1 = await store.put('state/head.json', Buffer.from('{"gen":1}'));
      const v2 = await store.replace('state/head.json', Buffer.from('{"gen":2}'), { ifMatch: v1.etag });
      assert.notEqual(v2.etag, v1.etag);
      assert.equal((await store.head('state/head.json'))?.etag, v2.etag);
      await assert.rejects(store.replace('state/head.json', Buffer.from('{"gen":99}'), { ifMatch: v1.etag }), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
      assert.equal((await readAll(await store.get('state/head.json'))).toString(), '{"gen":2}');
      if (h.strictConditional) {
        // Same bytes again still move the etag, so a reader holding v2 cannot mistake v3 for v2. (S3's ETag is the
        // MD5 of the body, so there identical bytes keep it: callers put a generation or nonce in mutable objects.)
        const v3 = await store.replace('state/head.json', Buffer.from('{"gen":2}'), { ifMatch: v2.etag });
        assert.notEqual(v3.etag, v2.etag);
      }
      await assert.rejects(store.replace('absent', Buffer.from('x'), { ifMatch: v1.etag }), (e: unknown) => hasErrorCode(e, 'E_NOT_FOUND'));
    });

    if (h.strictConditional) {
      test('racing writers: of 8 concurrent puts exactly one wins, of 8 concurrent replaces of one etag exactly one wins', async () => {
        const store = await h.create();
        const puts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.put('race/lock', Buffer.from(`writer ${i}`))));
        assert.equal(puts.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(puts.filter((r) => r.status === 'rejected').every((r) => hasErrorCode((r as PromiseRejectedResult).reason, 'E_EXISTS')));
        const base = await store.head('race/lock');
        assert.ok(base);
        const reps = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.replace('race/lock', Buffer.from(`replace ${i}`), { ifMatch: base.etag })));
        const won = reps.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<ObjectStore['replace']>>> => r.status === 'fulfilled');
        assert.equal(won.length, 1, 'exactly one replace of the same etag may win');
        assert.ok(reps.filter((r) => r.status === 'rejected').every((r) => hasErrorCode((r as PromiseRejectedResult).reason, 'E_CONFLICT')));
        assert.equal((await store.head('race/lock'))?.etag, won[0].value.etag);
      });

      test('a lost race retried with a fresh etag: 5 concurrent read-modify-write increments give exactly 5', async () => {
        const store = await h.create();
        await store.put('counter', Buffer.from('0'));
        const incr = async () => {
          for (;;) {
            const cur = await store.head('counter');
            if (!cur) throw new Error('counter vanished');
            const n = Number((await readAll(await store.get('counter'))).toString());
            try {
              await store.replace('counter', Buffer.from(String(n + 1)), { ifMatch: cur.etag });
              return;
            } catch (e) {
              if (!hasErrorCode(e, 'E_CONFLICT')) throw e;
            }
          }
        };
        await Promise.all(Array.from({ length: 5 }, incr));
        assert.equal((await readAll(await store.get('counter'))).toString(), '5');
      });
    }
  });
}
