import { errorMessage } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { DecodeResult, ObjectDecoder, ObjectKeyInfo } from '../../core/decode.js';
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
 * malformed elements become MalformedRecords naming their index and byte offset (the records around
 * them are kept). A file that is not a CloudTrail log at all (a digest file, empty, not JSON) makes
 * push()/end() throw AuditlakeError E_PARSE naming the key and the reason — the pipeline's signal
 * that the object itself is unusable (it quarantines the object and stops reading it).
 */
export function createCloudTrailDecoder(info: ObjectKeyInfo): CloudTrailDecoder {
  const parser = createCloudTrailParser({ source: info.key });

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

  return {
    push: (chunk) => convert(parser.push(chunk)),
    end: () => convert(parser.end()),
    get stats() {
      return parser.stats;
    },
  };
}
