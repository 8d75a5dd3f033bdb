import type { AuditEvent, SourceFormat } from './event.js';

/**
 * How an object's content is laid out: one of the event formats, or a container that carries several
 * (CloudWatch Logs → Firehose objects hold RDS PostgreSQL and MariaDB/MySQL audit lines).
 */
export type ObjectFormat = SourceFormat | 'cloudwatch-firehose';

/** What an object key tells us (see src/formats/object-key). */
export interface ObjectKeyInfo {
  format: ObjectFormat;
  account: string;
  region: string;
  service: string;
  /** Redshift cluster name; '' for CloudTrail. */
  cluster: string;
  /** Date from the key path (YYYY-MM-DD) — a partition hint only, never the event time. */
  keyDate: string;
  /** The key, URL-decoded. */
  key: string;
  /** PostgreSQL logs recognised by content: the log destination (otherwise the key's extension decides). */
  pgLog?: 'csvlog' | 'jsonlog' | 'stderr';
}

/** A record that parsed, mapped to the event model. */
export interface DecodedRecord {
  kind: 'event';
  event: AuditEvent;
}

/** A record that did not parse: it goes to the quarantine, the records around it are kept. */
export interface MalformedRecord {
  kind: 'malformed';
  /** 1-based line where the record starts. */
  line: number;
  /** Why, naming the field, e.g. `connection log: field 2 (recordtime) "Wed, 3 Jux 2020" is not a date`. Redacted. */
  reason: string;
  /** The offending text, secrets redacted. */
  raw: string;
}

export type DecodeResult = DecodedRecord | MalformedRecord;

/**
 * Turns the decompressed bytes of one object into events, incrementally: push() chunks as they
 * stream in, then end(). Memory stays bounded by the longest record, never the whole object.
 */
export interface ObjectDecoder {
  push(chunk: Buffer): DecodeResult[];
  end(): DecodeResult[];
}
