/**
 * The silence rule, one alert per episode: a database is silent once its last audit record (auditlake's own canary
 * traffic excluded, see pipeline/own-activity.ts) is older than the threshold. That raises one `silence` alert;
 * nothing more while the silence lasts, however long; when a record arrives again the episode ends with one
 * `resumed` notice and the rule is re-armed for the next silence.
 */
export interface SilenceInput {
  now: number;
  /** Last real audit record (ms); the enable time when none was read yet. */
  lastRecordAt: number;
  limitMs: number;
  /** When the current episode was alerted (persisted), if it was. */
  alertedAt?: number;
}

export type SilenceStep = { kind: 'none' } | { kind: 'silent'; message: string } | { kind: 'resumed'; message: string };

export function silenceStep(i: SilenceInput): SilenceStep {
  const s = (ms: number) => Math.round(ms / 1000);
  if (i.alertedAt !== undefined && i.lastRecordAt > i.alertedAt) {
    return { kind: 'resumed', message: `audit records again after ${s(i.lastRecordAt - i.alertedAt)} s since the silence alert` };
  }
  if (i.alertedAt !== undefined) return { kind: 'none' }; // this episode was alerted already
  if (i.now - i.lastRecordAt > i.limitMs) {
    return { kind: 'silent', message: `no audit record for ${s(i.now - i.lastRecordAt)} s (threshold ${s(i.limitMs)} s; auditlake's own canary checks do not count)` };
  }
  return { kind: 'none' };
}
