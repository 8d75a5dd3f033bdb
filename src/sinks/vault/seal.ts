import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Keyring } from '../../core/keyring.js';
import {
  ALGORITHM, DEFAULT_FRAME_SIZE, FRAME_DATA, FRAME_TRAILER, MAGIC, TAG_BYTES, frameAad, frameIv, lengthPrefixed, wrapContext,
  type EnvelopeHeader, type KeyBlock, type Trailer,
} from './envelope-format.js';
import { gzipStream } from '../../core/gzip.js';
import { AuditlakeError } from '../../core/errors.js';

export interface SealOptions {
  keyring: Keyring;
  /** Customer key (id or alias) that wraps the fresh data key. */
  keyId: string;
  /** Vault key the envelope is written for (bound into the wrap context). */
  vaultKey: string;
  /** Original file name. */
  name: string;
  source?: EnvelopeHeader['object']['source'];
  frameSize?: number;
  /** gzip level for inputs that are not gzip already (default 6). */
  gzipLevel?: number;
}

export interface SealResult {
  /** Canonical id of the customer key that wrapped the data key. */
  keyId: string;
  /** SHA-256 / size of the original bytes. */
  plaintextSha256: string;
  plaintextSize: number;
  /** SHA-256 / size of the envelope as stored. */
  storedSha256: string;
  storedSize: number;
  compression: EnvelopeHeader['compression'];
}

/**
 * Encrypts a stream into an `.alv` envelope, streaming: memory holds one frame, nothing is written to disk.
 * Inputs that are gzip already (magic 1f 8b) are kept byte-for-byte; others are gzip-compressed first.
 * `done` resolves after the last byte has been read from `stream`.
 */
export function seal(input: AsyncIterable<Buffer | string>, opts: SealOptions): { stream: Readable; done: Promise<SealResult> } {
  let resolveDone!: (r: SealResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<SealResult>((res, rej) => { resolveDone = res; rejectDone = rej; });
  done.catch(() => {}); // the stream reports the same error; avoid an unhandled rejection when nobody awaits done
  const frameSize = opts.frameSize ?? DEFAULT_FRAME_SIZE;

  async function* generate(): AsyncGenerator<Buffer> {
    const it = input[Symbol.asyncIterator]();
    // Peek until we know whether the input is gzip already (2 bytes) or it ended.
    const head: Buffer[] = [];
    let headLen = 0;
    let ended = false;
    while (headLen < 2) {
      const r = await it.next();
      if (r.done) { ended = true; break; }
      const c = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      head.push(c);
      headLen += c.length;
    }
    const first = Buffer.concat(head);
    const compression: EnvelopeHeader['compression'] = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b ? 'none' : 'gzip';

    const plainHash = createHash('sha256');
    let plainSize = 0;
    async function* original(): AsyncGenerator<Buffer> {
      if (first.length) { plainHash.update(first); plainSize += first.length; yield first; }
      while (!ended) {
        const r = await it.next();
        if (r.done) break;
        const c = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        plainHash.update(c);
        plainSize += c.length;
        yield c;
      }
    }
    const body: AsyncIterable<Buffer> = compression === 'gzip' ? gzipStream(original(), { level: opts.gzipLevel ?? 6 }) : original();

    const noncePrefix = randomBytes(8);
    const header: EnvelopeHeader = {
      v: 1, alg: ALGORITHM, frameSize, noncePrefix: noncePrefix.toString('base64'), compression,
      object: { vaultKey: opts.vaultKey, name: opts.name, ...(opts.source ? { source: opts.source } : {}) },
      createdAt: new Date().toISOString(),
    };
    const headerBlock = lengthPrefixed(header);
    const headerBytes = headerBlock.subarray(4);
    const headerHash = createHash('sha256').update(headerBytes).digest();
    const dk = await opts.keyring.generateDataKey(opts.keyId, wrapContext(opts.vaultKey, headerBytes));
    const keyBlock: KeyBlock = { keyring: opts.keyring.driver, keyId: dk.keyId, wrappedKey: dk.wrapped.toString('base64') };

    const storedHash = createHash('sha256');
    let storedSize = 0;
    const emit = (b: Buffer) => { storedHash.update(b); storedSize += b.length; return b; };
    let index = 0;
    // GCM output length equals input length, so the frame is written into one buffer with no extra copies.
    const frame = (type: number, plain: Buffer): Buffer => {
      const c = createCipheriv('aes-256-gcm', dk.plaintext, frameIv(noncePrefix, index));
      c.setAAD(frameAad(headerHash, type, index, plain.length));
      const out = Buffer.allocUnsafe(5 + plain.length + TAG_BYTES);
      out.writeUInt8(type, 0);
      out.writeUInt32BE(plain.length, 1);
      const body = c.update(plain);
      body.copy(out, 5);
      const fin = c.final();
      if (fin.length !== 0 || body.length !== plain.length) throw new AuditlakeError('E_INTERNAL', 'seal: AES-GCM output length differs from input length');
      c.getAuthTag().copy(out, 5 + plain.length);
      index++;
      return emit(out);
    };
    const join = (parts: Buffer[]) => (parts.length === 1 ? parts[0] : Buffer.concat(parts));

    try {
      yield emit(Buffer.concat([MAGIC, lengthPrefixed(keyBlock), headerBlock]));
      let pending: Buffer[] = [];
      let pendingLen = 0;
      for await (const chunk of body) {
        let c = chunk;
        while (pendingLen + c.length >= frameSize) {
          const take = frameSize - pendingLen;
          pending.push(c.subarray(0, take));
          yield frame(FRAME_DATA, join(pending));
          c = c.subarray(take);
          pending = [];
          pendingLen = 0;
        }
        if (c.length) { pending.push(c); pendingLen += c.length; }
      }
      if (pendingLen) yield frame(FRAME_DATA, join(pending));
      const trailer: Trailer = { sha256: plainHash.digest('hex'), size: plainSize };
      yield frame(FRAME_TRAILER, Buffer.from(JSON.stringify(trailer), 'utf8'));
      resolveDone({
        keyId: dk.keyId, plaintextSha256: trailer.sha256, plaintextSize: trailer.size,
        storedSha256: storedHash.digest('hex'), storedSize, compression,
      });
    } finally {
      dk.plaintext.fill(0);
    }
  }

  const stream = Readable.from(generate(), { objectMode: false });
  stream.on('error', rejectDone);
  return { stream, done };
}
