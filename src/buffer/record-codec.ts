import { crc32 } from 'node:zlib';

/**
 * One write-ahead-buffer record on disk: `<length:8 hex> <crc32:8 hex> <payload>\n`, payload = UTF-8 JSON.
 * The length and the CRC-32 of the payload let a reader tell a whole record from a torn write (kill -9 or power
 * loss in the middle of an append) and stop exactly at the last good record.
 */
const HEADER = 18; // 8 hex + space + 8 hex + space

export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const head = `${body.length.toString(16).padStart(8, '0')} ${crc32(body).toString(16).padStart(8, '0')} `;
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\n')]);
}

export interface DecodedRecords<T> {
  records: Array<{ value: T; start: number; end: number }>;
  /** Offset just past the last good record: everything after it is torn or corrupt. */
  goodEnd: number;
  /** Why decoding stopped before the end of the buffer, if it did. */
  stopReason: string | null;
}

export function decodeRecords<T>(buf: Buffer): DecodedRecords<T> {
  const records: Array<{ value: T; start: number; end: number }> = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < HEADER + 1) return { records, goodEnd: pos, stopReason: `torn header at byte ${pos}` };
    const head = buf.toString('latin1', pos, pos + HEADER);
    const m = /^([0-9a-f]{8}) ([0-9a-f]{8}) $/.exec(head);
    if (!m) return { records, goodEnd: pos, stopReason: `bad header at byte ${pos}` };
    const len = parseInt(m[1], 16);
    const end = pos + HEADER + len + 1;
    if (end > buf.length) return { records, goodEnd: pos, stopReason: `torn record at byte ${pos}` };
    const body = buf.subarray(pos + HEADER, pos + HEADER + len);
    if (crc32(body) !== parseInt(m[2], 16) || buf[end - 1] !== 0x0a) return { records, goodEnd: pos, stopReason: `checksum mismatch at byte ${pos}` };
    records.push({ value: JSON.parse(body.toString('utf8')) as T, start: pos, end });
    pos = end;
  }
  return { records, goodEnd: pos, stopReason: null };
}
