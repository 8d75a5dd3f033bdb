import { AuditlakeError } from '../core/errors.js';
import { hashObject } from '../sinks/vault/integrity/hash-objects.js';
import type { DigestRecorder } from '../core/digest.js';
import { describeRule } from './rules.js';
import { planRetention, type PlanInput, type RetentionPlan } from './plan.js';

export interface ApplyResult {
  plan: RetentionPlan;
  vaultDeleted: number;
  lakeDropped: number;
  bytes: number;
  /** Digests written by the final flush. */
  digests: string[];
}

/**
 * Deletes what planRetention() finds, recording every vault deletion in the digest chain first, so `verify` reports
 * an authorised expiry, never a missing object. Order: record → delete: a crash in between leaves a recorded deletion
 * of an object still present, which verify accepts (the object is simply still valid) and the next apply redoes.
 * Refused (E_POLICY) while any rule violates the framework without an override.
 */
export async function applyRetention(input: PlanInput & { recorder: DigestRecorder; flushAt?: number }): Promise<ApplyResult> {
  const plan = await planRetention(input);
  if (plan.violations.length > 0) {
    throw new AuditlakeError('E_POLICY', `retention: apply refused, ${plan.violations.length} rule(s) violate framework ${plan.framework}: ${plan.violations[0]}`);
  }
  let vaultDeleted = 0;
  let bytes = 0;
  for (const item of plan.items) {
    if (item.target !== 'vault' || item.action !== 'delete') continue;
    const h = await hashObject(input.store, item.id);
    if (!h) continue; // already gone (a concurrent apply)
    await input.recorder.recordDeletion({
      key: item.id,
      sha256: h.sha256,
      reason: 'retention',
      rule: `retention ${describeRule(item.rule)} framework ${plan.framework}, age ${item.ageDays}d`,
    });
    await input.store.delete(item.id);
    vaultDeleted++;
    bytes += h.size;
  }
  const lakeItems = plan.items.filter((i) => i.target === 'lake' && i.action === 'delete');
  let lakeDropped = 0;
  if (lakeItems.length > 0 && input.lake?.dropPartitions) {
    const r = await input.lake.dropPartitions(lakeItems.map((i) => ({ logType: i.logType ?? '', account: i.account, region: i.region, date: i.date })));
    lakeDropped = lakeItems.length;
    bytes += r.bytes;
  }
  const digests = await input.recorder.flush(input.flushAt);
  return { plan, vaultDeleted, lakeDropped, bytes, digests };
}
