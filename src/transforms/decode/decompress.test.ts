import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decompressed, isCorruptData, SourceReadError } from './decompress.js';

async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

test('gunzips concatenated gzip members as one stream and counts compressed bytes', async () => {
  const gz = Buffer.concat([gzipSync('line 1\n'), gzipSync('line 2\n'), gzipSync('line 3\n')]);
  let n = 0;
  // Split at awkward places, including inside a member header.
  const chunks = [gz.subarray(0, 1), gz.subarray(1, 25), gz.subarray(25)];
  assert.equal(await text(decompressed(Readable.from(chunks), (k) => (n += k))), 'line 1\nline 2\nline 3\n');
  assert.equal(n, gz.length);
});

test('passes plain text through (a file someone already gunzipped)', async () => {
  assert.equal(await text(decompressed(Readable.from([Buffer.from('plain\n')]))), 'plain\n');
  assert.equal(await text(decompressed(Readable.from([]))), '');
});

test('a truncated gzip fails with a zlib error, not a source error', async () => {
  const gz = gzipSync('x'.repeat(10_000) + '\n');
  await assert.rejects(text(decompressed(Readable.from([gz.subarray(0, gz.length - 8)]))), (e: unknown) => isCorruptData(e) && !(e instanceof SourceReadError));
});

test('a failing source is reported as SourceReadError', async () => {
  const gz = gzipSync('abc\n');
  const src = new Readable({
    read() {
      this.push(gz.subarray(0, 5));
      this.destroy(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
    },
  });
  await assert.rejects(text(decompressed(src)), (e: unknown) => e instanceof SourceReadError && /connection reset/.test(e.message));
});
