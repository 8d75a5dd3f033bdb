/**
 * @module
 * Moves the self-audit journal into the vault and the lake. A flush first renames the journal to a sealed segment
 * (`segment-<ms>.jsonl`, atomic), then writes the segment as one CloudTrail log file into the vault (envelope
 * encrypted, recorded in the signed digest chain) and its records into the lake as log type `api`, service
 * `auditlake`, committed with the segment as source object, then deletes the segment. A crash at any point leaves
 * a segment that the next flush finishes; the vault put and the lake commit are both idempotent per segment.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { eventIdFor } from '../../core/event-id.js';
import type { AuditEvent } from '../../core/event.js';
import type { Lake, SourceObjectRef } from '../../core/lake.js';
import type { Vault } from '../../sinks/vault/vault.js';
import type { ApiCall } from './api-call.js';
import { appendApiCall, auditDir, JOURNAL } from './audit-journal.js';

/** Partition values of the self-audit trail: auditlake's own records are not any AWS account's. */
export const SELF_ACCOUNT = 'auditlake';
export const SELF_REGION = 'local';
const STORE_URL = 'auditlake:api-audit';

export interface ApiAuditLog {
  record(call: ApiCall): void;
  /** Seals the journal and writes every sealed segment; returns the records written. */
  flush(): Promise<number>;
  /** Records journaled but not yet flushed. */
  pending(): number;
}

interface CtRecord {
  eventTime: string;
  eventName: string;
  eventID: string;
  userIdentity: { type: string; principalId: string };
  sourceIPAddress: string;
  errorCode?: string;
  requestParameters: Record<string, unknown>;
  requestID: string;
}

export function toAuditEvent(r: CtRecord, line: string, segment: string, lineNo: number): AuditEvent {
  return {
    eventId: eventIdFor(['auditlake-api', r.eventID]), time: Date.parse(r.eventTime), logType: 'api', sourceFormat: 'cloudtrail',
    account: SELF_ACCOUNT, region: SELF_REGION, service: 'auditlake', cluster: 'auditlake', database: null,
    user: r.userIdentity.principalId, session: r.requestID, remoteHost: r.sourceIPAddress, remotePort: null,
    action: r.eventName, statement: null, success: !r.errorCode, errorCode: r.errorCode ?? null,
    object: typeof r.requestParameters.path === 'string' ? r.requestParameters.path : null,
    details: { userIdentityType: r.userIdentity.type, requestParameters: r.requestParameters },
    raw: line, sourceObject: `${STORE_URL}/${segment}`, sourceLine: lineNo,
  };
}

export function createApiAuditLog(o: { stateDir: string; lake: Lake; vault: Vault | null }): ApiAuditLog {
  const dir = auditDir(o.stateDir);
  let pending = 0;
  let flushing: Promise<number> | null = null;

  async function writeSegment(name: string): Promise<number> {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim());
    const records: { r: CtRecord; line: string; n: number }[] = [];
    lines.forEach((line, i) => {
      try {
        records.push({ r: JSON.parse(line) as CtRecord, line, n: i + 1 });
      } catch { /* a torn line from a crashed writer: its caller never got an answer */ }
    });
    const ref: SourceObjectRef = { store: STORE_URL, key: name, etag: createHash('sha256').update(text).digest('hex'), size: text.length };
    if (records.length && o.vault) {
      const body = JSON.stringify({ Records: records.map((x) => x.r) });
      const day = records[0].r.eventTime.slice(0, 10);
      await o.vault.put(`${STORE_URL}/${name}`, (async function* () { yield body; })(), {
        source: ref, account: SELF_ACCOUNT, service: 'auditlake', region: SELF_REGION, date: day, name: `${SELF_ACCOUNT}_auditlake_${name.replace(/\.jsonl$/, '')}.json`,
        oldestEventTime: Date.parse(records[0].r.eventTime), newestEventTime: Date.parse(records[records.length - 1].r.eventTime),
      });
    }
    if (records.length && !o.lake.isIngested(ref)) {
      const batch = o.lake.beginBatch();
      try {
        for (const x of records) await batch.add(toAuditEvent(x.r, x.line, name, x.n));
        await batch.commit([ref]);
      } catch (err) {
        await batch.abort();
        throw err;
      }
    }
    unlinkSync(path);
    return records.length;
  }

  async function flushNow(): Promise<number> {
    if (!existsSync(dir)) return 0;
    const journal = join(dir, JOURNAL);
    if (existsSync(journal) && statSync(journal).size > 0) {
      renameSync(journal, join(dir, `segment-${Date.now()}-${process.pid}.jsonl`));
      pending = 0;
    }
    let n = 0;
    for (const f of readdirSync(dir).filter((x) => x.startsWith('segment-')).sort()) n += await writeSegment(f);
    return n;
  }

  return {
    record(call) {
      appendApiCall(o.stateDir, call);
      pending++;
    },
    flush() {
      flushing ??= flushNow().finally(() => {
        flushing = null;
      });
      return flushing;
    },
    pending: () => pending,
  };
}
