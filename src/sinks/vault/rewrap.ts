import { Readable } from 'node:stream';
import type { Keyring } from '../../core/keyring.js';
import { createByteReader } from './byte-reader.js';
import { MAGIC, lengthPrefixed, wrapContext, type KeyBlock } from './envelope-format.js';
import { readPrefix } from './open.js';

/**
 * Re-wraps an envelope's data key under `toKey` (KMS ReEncrypt) and copies header and frames unchanged:
 * the cheap path of `reencrypt --rewrap-only`. The data key never reaches this process with KMS.
 */
export async function rewrapEnvelope(input: AsyncIterable<Buffer>, opts: { keyring: Keyring; toKey: string; vaultKey: string }): Promise<{ stream: Readable; keyId: string }> {
  const r = createByteReader(input);
  const { keyBlock, headerBytes } = await readPrefix(r, opts.vaultKey);
  const moved = await opts.keyring.reEncrypt(Buffer.from(keyBlock.wrappedKey, 'base64'), opts.toKey, wrapContext(opts.vaultKey, headerBytes));
  const next: KeyBlock = { keyring: opts.keyring.driver, keyId: moved.keyId, wrappedKey: moved.wrapped.toString('base64') };
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  async function* gen(): AsyncGenerator<Buffer> {
    yield Buffer.concat([MAGIC, lengthPrefixed(next), len, headerBytes]);
    yield* r.rest();
  }
  return { stream: Readable.from(gen(), { objectMode: false }), keyId: moved.keyId };
}
