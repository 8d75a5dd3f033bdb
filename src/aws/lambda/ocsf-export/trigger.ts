import { AuditlakeError } from '../../../core/errors.js';
import { MANIFEST_NAME } from '../../../sinks/lake/manifest.js';

/** Why the handler was invoked: a schedule, a lake commit, or something that does not concern the lake. */
export type Trigger = { run: true; reason: 'schedule' | 'lake-commit' | 'manual' } | { run: false; reason: string };

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the event just far enough to know whether to run: every run derives its work from the manifest and the
 * export state, never from the event, so a duplicate or late event costs one cheap no-op run at most.
 * A lake commit is a (re)write of `lake/_auditlake_manifest.json` (EventBridge "Object Created" or an S3
 * notification); other objects created in the bucket are acknowledged without running.
 */
export function classifyTrigger(event: unknown): Trigger {
  if (!isObj(event)) throw new AuditlakeError('E_USAGE', `ocsf-export: the event is not a JSON object (got ${event === null ? 'null' : typeof event})`);
  if (event['detail-type'] === 'Scheduled Event' && event.source === 'aws.events') return { run: true, reason: 'schedule' };
  if (event.source === 'aws.s3' && event['detail-type'] === 'Object Created') {
    const key = isObj(event.detail) && isObj(event.detail.object) ? String(event.detail.object.key ?? '') : '';
    return key.endsWith(`/${MANIFEST_NAME}`) || key === MANIFEST_NAME ? { run: true, reason: 'lake-commit' } : { run: false, reason: `not a lake commit: ${key}` };
  }
  if (Array.isArray(event.Records)) {
    const keys = event.Records.map((r: unknown) => (isObj(r) && isObj(r.s3) && isObj(r.s3.object) ? decodeURIComponent(String(r.s3.object.key ?? '').replace(/\+/g, ' ')) : ''));
    return keys.some((k) => k.endsWith(MANIFEST_NAME)) ? { run: true, reason: 'lake-commit' } : { run: false, reason: `not a lake commit: ${keys.join(', ')}` };
  }
  if (event.action === 'export') return { run: true, reason: 'manual' };
  throw new AuditlakeError('E_USAGE', `ocsf-export: unknown event (keys ${Object.keys(event).slice(0, 8).join(', ')}); expected an EventBridge Scheduled Event, an S3 "Object Created" for the lake manifest, or {"action":"export"}`);
}
