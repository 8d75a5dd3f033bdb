/**
 * @module
 * The self-audit journal: every API call and audited CLI command appends one CloudTrail record (JSON line) to
 * `<home>/state/api-audit/journal.jsonl` at once. The flusher (api-audit.ts) later moves the journal into the vault
 * and the lake. Appends are single `write`s of whole lines (O_APPEND), so CLI processes and the server can share it.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toCloudTrailRecord, type ApiCall } from './api-call.js';

export const auditDir = (stateDir: string) => join(stateDir, 'api-audit');
export const JOURNAL = 'journal.jsonl';

export function appendApiCall(stateDir: string, call: ApiCall): void {
  const dir = auditDir(stateDir);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, JOURNAL), JSON.stringify(toCloudTrailRecord(call)) + '\n', { mode: 0o600 });
}
