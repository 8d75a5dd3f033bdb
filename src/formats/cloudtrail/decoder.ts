import { errorMessage, hasErrorCode } from '../../core/errors.js';
import { redactSecrets } from '../../transforms/redact/redact-secrets.js';
import type { DecodeResult, ObjectDecoder, ObjectKeyInfo } from '../types.js';
import { mapCloudTrailRecord } from './map-record.js';
import { createCloudTrailParser, type CloudTrailItem, type CloudTrailParseStats } from './parse-cloudtrail.js';

/** Longest raw text kept for a quarantined record (whole records can be ~300 KB). */
const MAX_QUARANTINE_RAW = 64 * 1024;

export interface CloudTrailDecoder extends ObjectDecoder {
  /** Records, duplicates dropped (same eventID earlier in the file) and malformed elements so far. */
  readonly stats: CloudTrailParseStats;
}

/**
 * ObjectDecoder for one CloudTrail log file (decompressed bytes). Records become `api` events;
 * malformed elements become MalformedRecords naming their index and byte offset; a file that is not
 * a CloudTrail log (a digest file, empty, not JSON) becomes one MalformedRecord at line 1 and the
 * rest of the object is ignored.
 */
export function createCloudTrailDecoder(info: ObjectKeyInfo): CloudTrailDecoder {
  const parser = createCloudTrailParser({ source: info.key });
  let dead = false;

  function convert(items: CloudTrailItem[]): DecodeResult[] {
    const out: DecodeResult[] = [];
    for (const it of items) {
      if (it.kind === 'malformed') {
        out.push({ kind: 'malformed', line: it.line, reason: redactSecrets(`cloudtrail: ${info.key}: ${it.reason}`), raw: redactSecrets(it.text.slice(0, MAX_QUARANTINE_RAW)) });
        continue;
      }
      try {
        out.push({ kind: 'event', event: mapCloudTrailRecord(it.record, it.text, info, it) });
      } catch (err) {
        parser.stats.records--;
        parser.stats.malformed++;
        out.push({ kind: 'malformed', line: it.line, reason: redactSecrets(errorMessage(err)), raw: redactSecrets(it.text.slice(0, MAX_QUARANTINE_RAW)) });
      }
    }
    return out;
  }

  function guard(step: () => CloudTrailItem[]): DecodeResult[] {
    if (dead) return [];
    try {
      return convert(step());
    } catch (err) {
      if (!hasErrorCode(err, 'E_PARSE')) throw err;
      // Not a CloudTrail log at all: report once, ignore the rest of the object.
      dead = true;
      return [{ kind: 'malformed', line: 1, reason: redactSecrets(errorMessage(err)), raw: '' }];
    }
  }

  return {
    push: (chunk) => guard(() => parser.push(chunk)),
    end: () => guard(() => parser.end()),
    get stats() {
      return parser.stats;
    },
  };
}
