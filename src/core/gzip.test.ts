import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { gunzipBufferSync, gunzipStream, gzipBuffer, gzipBufferSync, gzipStream, isCorruptData, isGzip } from './gzip.js';

async function collect(src: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of src) parts.push(c);
  return Buffer.concat(parts);
}
async function* chunks(...bufs: Buffer[]): AsyncGenerator<Buffer> { for (const b of bufs) yield b; }

test('gzip: stream and buffer forms round-trip and agree byte for byte (deterministic header)', async () => {
  const raw = Buffer.concat([randomBytes(100_000), Buffer.from('x'.repeat(300_000))]);
  const streamed = await collect(gzipStream(chunks(raw.subarray(0, 12345), raw.subarray(12345)), { level: 6 }));
  assert.ok(isGzip(streamed));
  assert.deepEqual(streamed, await gzipBuffer(raw, 6));
  assert.deepEqual(await collect(gunzipStream(chunks(streamed))), raw);
  assert.deepEqual(gunzipBufferSync(gzipBufferSync(raw)), raw);
});

test('gzip: concatenated members read as one text; a truncated stream fails as corrupt data, or decodes in part when asked', async () => {
  const a = gzipBufferSync('first\n');
  const b = gzipBufferSync('second\n');
  assert.equal((await collect(gunzipStream(chunks(a, b)))).toString(), 'first\nsecond\n');
  const long = gzipBufferSync('line of text\n'.repeat(5000));
  const cut = long.subarray(0, long.length - 20);
  await assert.rejects(collect(gunzipStream(chunks(cut))), (e: unknown) => isCorruptData(e));
  assert.throws(() => gunzipBufferSync(cut), (e: unknown) => isCorruptData(e));
  assert.ok(gunzipBufferSync(cut, { partial: true }).toString().startsWith('line of text\nline of text\n'));
  assert.equal(isGzip(Buffer.from('plain')), false);
});

test('gzip: an error of the source reaches the consumer instead of hanging it', async () => {
  async function* failing(): AsyncGenerator<Buffer> {
    yield gzipBufferSync('partial');
    throw Object.assign(new Error('socket reset'), { code: 'ECONNRESET' });
  }
  await assert.rejects(collect(gzipStream(failing())), /socket reset/);
  await assert.rejects(collect(gunzipStream(failing())), /socket reset/);
});
