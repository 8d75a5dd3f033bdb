import { createCloudTrailScanner, type CloudTrailScanOptions, type ScannedElement } from './scan-records.js';
import type { CloudTrailRecord } from './record.js';

/** A record of the Records array, parsed, with its exact text and position. */
export interface CloudTrailParsedRecord {
  kind: 'record';
  index: number;
  offset: number;
  line: number;
  /** The record's bytes exactly as in the file (UTF-8 decoded). */
  text: string;
  record: CloudTrailRecord;
}

/** An element that is not a valid record; the records around it are still returned. */
export interface CloudTrailBadRecord {
  kind: 'malformed';
  index: number;
  offset: number;
  line: number;
  /** Names the record index and byte offset. Not redacted: callers redact before storing. */
  reason: string;
  text: string;
}

export type CloudTrailItem = CloudTrailParsedRecord | CloudTrailBadRecord;

export interface CloudTrailParseStats {
  records: number;
  /** Records dropped because an earlier record in the same file had the same eventID. */
  duplicates: number;
  malformed: number;
}

export interface CloudTrailParser {
  push(chunk: Buffer): CloudTrailItem[];
  end(): CloudTrailItem[];
  readonly stats: CloudTrailParseStats;
}

/**
 * Streaming parser for a decompressed CloudTrail log file (`{"Records":[…]}`): one record at a time,
 * all fields kept, duplicate `eventID`s within the file dropped and counted (CloudTrail documents that
 * duplicates happen). Throws AuditlakeError E_PARSE when the input is not a CloudTrail log file at all
 * (a digest file, an empty file, not JSON).
 */
export function createCloudTrailParser(opts: CloudTrailScanOptions = {}): CloudTrailParser {
  const scanner = createCloudTrailScanner(opts);
  const seen = new Set<string>();
  const stats: CloudTrailParseStats = { records: 0, duplicates: 0, malformed: 0 };

  const bad = (el: ScannedElement, text: string, why: string): CloudTrailBadRecord => {
    stats.malformed++;
    return { kind: 'malformed', index: el.index, offset: el.offset, line: el.line, text, reason: `record ${el.index} at byte ${el.offset}: ${why}` };
  };

  function convert(els: ScannedElement[]): CloudTrailItem[] {
    const out: CloudTrailItem[] = [];
    for (const el of els) {
      const text = el.bytes.toString('utf8');
      if (el.broken) {
        out.push(bad(el, text, el.broken));
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        out.push(bad(el, text, `invalid JSON (${jsonErrorWithoutText(err)})`));
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        out.push(bad(el, text, `element is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40) ?? typeof value}, not a JSON object`));
        continue;
      }
      const record = value as CloudTrailRecord;
      if (typeof record.eventID === 'string' && record.eventID !== '') {
        if (seen.has(record.eventID)) {
          stats.duplicates++;
          continue;
        }
        seen.add(record.eventID);
      }
      stats.records++;
      out.push({ kind: 'record', index: el.index, offset: el.offset, line: el.line, text, record });
    }
    return out;
  }

  return {
    push: (chunk) => convert(scanner.push(chunk)),
    end: () => convert(scanner.end()),
    stats,
  };
}

/** JSON.parse messages quote a slice of the input, which may hold a secret cut in half: keep only the diagnosis. */
function jsonErrorWithoutText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/,?\s*(?:\.\.\.)?"[\s\S]*$/, '').trim() || 'syntax error';
}
