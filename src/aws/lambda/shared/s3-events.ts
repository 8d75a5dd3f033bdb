import { AuditlakeError } from '../../../core/errors.js';

/** One object a notification says was created. */
export interface LandedObject {
  bucket: string;
  /** Decoded key (notifications URL-encode it). */
  key: string;
  versionId?: string;
  /** S3's per-key ordering token: later writes of the same key carry a greater sequencer. */
  sequencer?: string;
  etag?: string;
  size?: number;
}

interface S3RecordShape {
  eventName?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string; versionId?: string; sequencer?: string; eTag?: string; size?: number } };
}

/** S3 event notifications URL-encode keys the way HTML forms do (space as '+'). */
export function decodeS3Key(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `s3 event: object key ${JSON.stringify(raw)} is not valid URL encoding`, { cause: err });
  }
}

/**
 * The objects in one S3 notification, whatever carried it: an S3 event (`Records[].s3`, direct or as an SQS body),
 * an EventBridge "Object Created" event (`detail.bucket.name`, key not encoded), or an SNS envelope around either.
 * The s3:TestEvent S3 sends when a notification is configured yields nothing. Anything else is E_PARSE with `where`.
 */
export function objectsFromNotification(body: unknown, where: string): LandedObject[] {
  if (!body || typeof body !== 'object') throw new AuditlakeError('E_PARSE', `${where}: not a JSON object`);
  const b = body as Record<string, unknown>;
  if (b.Event === 's3:TestEvent') return [];
  if (b.Type === 'Notification' && typeof b.Message === 'string') return objectsFromNotification(parseJson(b.Message, `${where} (SNS Message)`), where);
  if (Array.isArray(b.Records)) {
    return (b.Records as S3RecordShape[]).filter((r) => !r.eventName || r.eventName.startsWith('ObjectCreated:')).map((r, i) => {
      const name = r.s3?.bucket?.name;
      const o = r.s3?.object;
      if (!name || !o?.key) throw new AuditlakeError('E_PARSE', `${where}: Records[${i}] has no s3.bucket.name / s3.object.key`);
      return {
        bucket: name,
        key: decodeS3Key(o.key),
        ...(o.versionId ? { versionId: o.versionId } : {}),
        ...(o.sequencer ? { sequencer: o.sequencer } : {}),
        ...(o.eTag ? { etag: o.eTag } : {}),
        ...(typeof o.size === 'number' ? { size: o.size } : {}),
      };
    });
  }
  if (b.source === 'aws.s3' && b['detail-type'] === 'Object Created') {
    const d = b.detail as { bucket?: { name?: string }; object?: { key?: string; 'version-id'?: string; sequencer?: string; etag?: string; size?: number } } | undefined;
    if (!d?.bucket?.name || !d.object?.key) throw new AuditlakeError('E_PARSE', `${where}: EventBridge Object Created event without detail.bucket.name / detail.object.key`);
    return [{
      bucket: d.bucket.name,
      key: d.object.key,
      ...(d.object['version-id'] ? { versionId: d.object['version-id'] } : {}),
      ...(d.object.sequencer ? { sequencer: d.object.sequencer } : {}),
      ...(d.object.etag ? { etag: d.object.etag } : {}),
      ...(typeof d.object.size === 'number' ? { size: d.object.size } : {}),
    }];
  }
  throw new AuditlakeError('E_PARSE', `${where}: neither an S3 event notification, an EventBridge Object Created event nor an SNS notification of one`);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `${where}: body is not JSON (${(err as Error).message})`, { cause: err });
  }
}
