import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { AuditlakeError } from '../../core/errors.js';

export interface FirstMemberResult {
  /** Hex SHA-256 of the first gzip member's decompressed bytes. */
  sha256: string;
  size: number;
  /** Bytes after the end of the first member (the AWS CLI marks such a file INVALID since 2026-05). */
  trailingBytes: number;
}

const FTEXT_MASK = 0x1f; // FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT — anything above is reserved

/** Length of the gzip member header at the start of `buf`, or -1 when more bytes are needed; throws when not gzip. */
function headerLength(buf: Buffer): number {
  if (buf.length < 10) return -1;
  if (buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 8) throw new AuditlakeError('E_PARSE', 'not gzip (bad magic or method)');
  const flags = buf[3];
  if (flags & ~FTEXT_MASK) throw new AuditlakeError('E_PARSE', 'not gzip (reserved header flags set)');
  let p = 10;
  if (flags & 0x04) {
    if (buf.length < p + 2) return -1;
    p += 2 + buf.readUInt16LE(p);
  }
  for (const bit of [0x08, 0x10]) {
    if (flags & bit) {
      const z = buf.indexOf(0, p);
      if (z === -1) return -1;
      p = z + 1;
    }
  }
  if (flags & 0x02) p += 2;
  return buf.length >= p ? p : -1;
}

/**
 * Streams a gzip object through SHA-256, decompressing only its first member. Node's gunzip would concatenate all
 * members (formats.md C.4), which hides data appended after the original file; here the raw deflate stream stops at
 * its end, and whatever follows the 8-byte trailer is counted in `trailingBytes`.
 */
export async function hashFirstGzipMember(source: Readable): Promise<FirstMemberResult> {
  const hash = createHash('sha256');
  let size = 0;
  const inflate = createInflateRaw();
  inflate.on('data', (d: Buffer) => {
    size += d.length;
    hash.update(d);
  });
  const ended = new Promise<void>((resolve, reject) => {
    inflate.on('end', resolve);
    inflate.on('error', reject);
  });
  let head: Buffer | null = Buffer.alloc(0);
  let hdrLen = 0;
  let total = 0;
  try {
    for await (const c of source) {
      const chunk = c as Buffer;
      total += chunk.length;
      if (head) {
        head = Buffer.concat([head, chunk]);
        const n = headerLength(head);
        if (n === -1) continue;
        hdrLen = n;
        const rest = head.subarray(n);
        head = null;
        if (rest.length && !inflate.write(rest)) await new Promise((r) => inflate.once('drain', r));
      } else if (!inflate.writableEnded && !inflate.write(chunk)) {
        await new Promise((r) => inflate.once('drain', r));
      }
    }
    if (head) throw new AuditlakeError('E_PARSE', 'not gzip (truncated header)');
    inflate.end();
    await ended;
  } catch (err) {
    inflate.destroy();
    throw err;
  }
  // bytesWritten = deflate bytes consumed up to the end of the stream (trailing input is not counted).
  const memberEnd = hdrLen + inflate.bytesWritten + 8;
  if (total < memberEnd) throw new AuditlakeError('E_PARSE', 'not gzip (truncated: no trailer)');
  return { sha256: hash.digest('hex'), size, trailingBytes: total - memberEnd };
}
