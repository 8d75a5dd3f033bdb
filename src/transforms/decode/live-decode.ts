import type { DecodeResult } from '../../core/decode.js';
import type { RecordFraming } from '../../formats/pgaudit/split-records.js';
import type { RawRecord } from '../../formats/pgaudit/split-records.js';
import { decodePgRecord } from '../../formats/pgaudit/decoder.js';
import { decodeServerAuditRecord } from '../../formats/server-audit/decoder.js';
import type { CollectSource } from '../../config/collect.js';

/** Framing and record decoder for a configured source. */
export function liveFormat(s: CollectSource): { framing: RecordFraming; decode: (r: RawRecord, fileId: string, path: string) => DecodeResult | null } {
  const ctx = (fileId: string, path: string) => ({ server: s.server, account: s.account, region: s.region, fileId, sourceObject: path });
  if (s.type === 'postgres') {
    return { framing: s.format === 'csvlog' ? 'csv' : s.format === 'jsonlog' ? 'line' : 'stderr', decode: (r, fileId, path) => decodePgRecord(s.format, r, ctx(fileId, path)) };
  }
  return { framing: 'line', decode: (r, fileId, path) => decodeServerAuditRecord(r, ctx(fileId, path), { utcOffsetMinutes: s.utcOffsetMinutes }) };
}
