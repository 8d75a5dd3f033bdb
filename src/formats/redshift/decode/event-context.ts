import * as crypto from 'node:crypto';
import { eventIdFor } from '../../../core/event-id.js';
import type { SourceFormat } from '../../../core/event.js';
import type { MalformedRecord, ObjectKeyInfo } from '../../../core/decode.js';
import { redactSecrets } from '../../../core/redact/redact-secrets.js';

/**
 * What every event of one object shares, and the id recipe. The id covers format, account, region, cluster,
 * the key's file name and the record's line: not the prefix (the same file under another prefix or in a flat
 * download folder gets the same ids), with `.gz` dropped and `:` written as `_` (a downloaded copy of
 * `…T18:31.gz` is often saved as `…T18_31` or gunzipped) so copies of one object de-duplicate.
 */
export interface EventContext {
  format: SourceFormat;
  account: string;
  region: string;
  cluster: string;
  sourceObject: string;
  /** `text`: the record as read (its hash is part of the id, see createEventContext). */
  eventId(line: number, text: string): string;
  malformed(line: number, reason: string, raw: string): MalformedRecord;
}

/** The file-name part of a key used in event ids (see EventContext). */
export function idFileName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/\.gz$/, '').replace(/:/g, '_');
}

/**
 * One-shot `crypto.hash` (Node ≥ 20.12) is about twice as fast as createHash().update().digest() and ids are
 * computed for every record; the result is the same as eventIdFor() (asserted in decoders.test.ts).
 */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

export function createEventContext(format: SourceFormat, info: ObjectKeyInfo): EventContext {
  const parts = [format, info.account, info.region, info.cluster, idFileName(info.key), '', ''];
  // eventIdFor joins its parts with U+001F; the line number and the record text are the last parts. The text
  // makes the id content-based: a re-delivered object whose line N changed (Redshift re-uploading a key, a
  // partial multipart upload completed later) gets new ids for the changed records instead of losing them to
  // de-duplication, while identical copies still collapse.
  const prefix = parts.slice(0, 5).join('\u001f') + '\u001f';
  return {
    format,
    account: info.account,
    region: info.region,
    cluster: info.cluster,
    sourceObject: info.key,
    eventId(line: number, text: string): string {
      if (oneShot) return oneShot('sha256', prefix + line + '\u001f' + text, 'hex').slice(0, 32);
      parts[5] = String(line);
      parts[6] = text;
      return eventIdFor(parts);
    },
    malformed(line: number, reason: string, raw: string): MalformedRecord {
      return { kind: 'malformed', line, reason: redactSecrets(reason), raw: redactSecrets(raw) };
    },
  };
}
