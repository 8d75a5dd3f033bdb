import { createDecipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuditlakeError, hasErrorCode } from '../../core/errors.js';
import type { Keyring } from '../../core/keyring.js';
import { createByteReader, type ByteReader } from './byte-reader.js';
import { gunzipStream } from '../../core/gzip.js';
import {
  ALGORITHM, FRAME_DATA, FRAME_TRAILER, MAGIC, MAX_FRAME_SIZE, MAX_JSON_BLOCK, TAG_BYTES, frameAad, frameIv, sameKeyId, wrapContext,
  type EnvelopeHeader, type KeyBlock, type Trailer,
} from './envelope-format.js';

export interface EnvelopePrefix {
  keyBlock: KeyBlock;
  header: EnvelopeHeader;
  /** The exact header bytes (their SHA-256 is bound into every frame). */
  headerBytes: Buffer;
  /** Size of magic + key block + header. */
  prefixSize: number;
}

/** Reads and checks the clear part of an envelope (nothing here is trusted until the frames authenticate). */
export async function readPrefix(r: ByteReader, label: string): Promise<EnvelopePrefix> {
  const bad = (why: string) => new AuditlakeError('E_INTEGRITY', `vault: ${label}: ${why} (not an .alv envelope, truncated or modified)`);
  const magic = await r.read(4);
  if (!magic.equals(MAGIC)) throw bad(`bad magic at byte 0`);
  const block = async (what: string) => {
    const lenBuf = await r.read(4);
    if (lenBuf.length < 4) throw bad(`${what} length missing at byte ${r.offset}`);
    const len = lenBuf.readUInt32BE(0);
    if (len > MAX_JSON_BLOCK) throw bad(`${what} length ${len} too large at byte ${r.offset - 4}`);
    const bytes = await r.read(len);
    if (bytes.length < len) throw bad(`${what} truncated at byte ${r.offset}`);
    try {
      return { bytes, json: JSON.parse(bytes.toString('utf8')) as unknown };
    } catch {
      throw bad(`${what} is not JSON`);
    }
  };
  const kb = await block('key block');
  const hd = await block('header');
  const keyBlock = kb.json as KeyBlock;
  const header = hd.json as EnvelopeHeader;
  if (typeof keyBlock?.keyId !== 'string' || typeof keyBlock.wrappedKey !== 'string') throw bad('key block lacks keyId/wrappedKey');
  if (header?.v !== 1 || header.alg !== ALGORITHM) throw bad(`unsupported header version/algorithm ${JSON.stringify([header?.v, header?.alg])}`);
  if (!(header.frameSize > 0 && header.frameSize <= MAX_FRAME_SIZE)) throw bad(`frameSize ${header.frameSize} out of range`);
  if (header.compression !== 'none' && header.compression !== 'gzip') throw bad(`unknown compression ${JSON.stringify(header.compression)}`);
  return { keyBlock, header, headerBytes: hd.bytes, prefixSize: r.offset };
}

export interface OpenOptions {
  keyring: Keyring;
  /** The vault key the envelope must have been written for; a mismatch means the object was moved. */
  vaultKey: string;
  /** Name used in messages (defaults to vaultKey), e.g. the staging key. */
  label?: string;
}

export interface OpenResult {
  /** The original bytes; errors (E_INTEGRITY, E_KEY) surface as stream errors. */
  stream: Readable;
  /** Resolves after the stream ended and SHA-256 and size matched the trailer. */
  done: Promise<Trailer & { keyId: string; header: EnvelopeHeader }>;
}

/**
 * Decrypts and verifies an envelope as a stream. Each frame is authenticated before its bytes are released;
 * the SHA-256 and size of the whole original are checked at the end against the (authenticated) trailer.
 */
export function open(input: AsyncIterable<Buffer | string>, opts: OpenOptions): OpenResult {
  const label = opts.label ?? opts.vaultKey;
  let resolveDone!: (r: Trailer & { keyId: string; header: EnvelopeHeader }) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<Trailer & { keyId: string; header: EnvelopeHeader }>((res, rej) => { resolveDone = res; rejectDone = rej; });
  done.catch(() => {});

  async function* generate(): AsyncGenerator<Buffer> {
    const r = createByteReader(input);
    const { keyBlock, header, headerBytes } = await readPrefix(r, label);
    if (header.object.vaultKey !== opts.vaultKey) {
      throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: envelope was written for ${header.object.vaultKey}, not ${opts.vaultKey} (object moved)`);
    }
    let dk: { plaintext: Buffer; keyId: string };
    try {
      dk = await opts.keyring.decrypt(Buffer.from(keyBlock.wrappedKey, 'base64'), wrapContext(opts.vaultKey, headerBytes));
    } catch (err) {
      const code = hasErrorCode(err, 'E_KEY') ? 'E_KEY' : hasErrorCode(err, 'E_INTEGRITY') ? 'E_INTEGRITY' : 'E_KEY';
      throw new AuditlakeError(code, `vault: object ${label} (data key wrapped by ${keyBlock.keyId}): ${(err as Error).message}`, { cause: err });
    }
    if (dk.keyId && !sameKeyId(dk.keyId, keyBlock.keyId)) {
      throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: key block names ${keyBlock.keyId} but the data key was wrapped by ${dk.keyId} (key block modified)`);
    }
    const headerHash = createHash('sha256').update(headerBytes).digest();
    const nonce = Buffer.from(header.noncePrefix, 'base64');
    let trailer: Trailer | null = null;

    async function* frames(): AsyncGenerator<Buffer> {
      for (let index = 0; ; index++) {
        const at = r.offset;
        const prefix = await r.read(5);
        if (prefix.length === 0) throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: ends at byte ${at} without its trailer frame (truncated)`);
        if (prefix.length < 5) throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: frame ${index} header truncated at byte ${at}`);
        const type = prefix.readUInt8(0);
        const n = prefix.readUInt32BE(1);
        if ((type !== FRAME_DATA && type !== FRAME_TRAILER) || n > header.frameSize + 64) {
          throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: frame ${index} at byte ${at} has type ${type} / length ${n} (modified)`);
        }
        const body = await r.read(n + TAG_BYTES);
        if (body.length < n + TAG_BYTES) throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: frame ${index} at byte ${at} truncated`);
        const d = createDecipheriv('aes-256-gcm', dk.plaintext, frameIv(nonce, index));
        d.setAAD(frameAad(headerHash, type, index, n));
        d.setAuthTag(body.subarray(n));
        let plain: Buffer;
        try {
          plain = Buffer.concat([d.update(body.subarray(0, n)), d.final()]);
        } catch (err) {
          throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: frame ${index} at byte ${at} failed authentication (object, header or key block modified)`, { cause: err });
        }
        if (type === FRAME_TRAILER) {
          trailer = JSON.parse(plain.toString('utf8')) as Trailer;
          if (!(await r.atEnd())) throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: bytes after the trailer frame at byte ${r.offset} (appended)`);
          return;
        }
        yield plain;
      }
    }

    const hash = createHash('sha256');
    let size = 0;
    try {
      const plainSource: AsyncIterable<Buffer> = header.compression === 'gzip' ? gunzipStream(frames()) : frames();
      for await (const chunk of plainSource) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    } finally {
      dk.plaintext.fill(0);
    }
    const t = trailer as Trailer | null;
    if (!t) throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: no trailer frame`);
    const got = hash.digest('hex');
    if (got !== t.sha256 || size !== t.size) {
      throw new AuditlakeError('E_INTEGRITY', `vault: ${label}: plaintext SHA-256 ${got} (${size} B) differs from the recorded ${t.sha256} (${t.size} B)`);
    }
    resolveDone({ ...t, keyId: dk.keyId || keyBlock.keyId, header });
  }

  const stream = Readable.from(generate(), { objectMode: false });
  stream.on('error', rejectDone);
  return { stream, done };
}
