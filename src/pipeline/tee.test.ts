import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { tee } from './tee.js';

async function collect(r: Readable, delayMs = 0): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) {
    parts.push(c as Buffer);
    if (delayMs) await sleep(delayMs);
  }
  return Buffer.concat(parts);
}

test('both branches get every byte, even when one reads slowly', async () => {
  const body = randomBytes(3 << 20);
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 64 * 1024) chunks.push(body.subarray(i, i + 64 * 1024));
  const [a, b] = tee(Readable.from(chunks), 128 * 1024);
  const [ra, rb] = await Promise.all([collect(a), collect(b, 1)]);
  assert.ok(ra.equals(body));
  assert.ok(rb.equals(body));
});

test('a branch destroyed by its consumer does not stall the other', async () => {
  const body = randomBytes(2 << 20);
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 64 * 1024) chunks.push(body.subarray(i, i + 64 * 1024));
  const [a, b] = tee(Readable.from(chunks), 64 * 1024);
  a.once('data', () => a.destroy());
  assert.ok((await collect(b)).equals(body));
});

test('a source error reaches both branches', async () => {
  const src = new Readable({
    read() {
      this.destroy(new Error('boom'));
    },
  });
  const [a, b] = tee(src);
  await Promise.all([assert.rejects(collect(a), /boom/), assert.rejects(collect(b), /boom/)]);
});
