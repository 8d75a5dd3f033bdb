import type { LogType } from '../core/event.js';
import { isDigestKey } from '../sinks/vault/integrity/digest-format.js';
import type { Lake, LakePartition } from '../core/lake.js';
import type { ObjectStore } from '../core/object-store.js';
import { classifyVaultKey } from './classify-key.js';
import { frameworkViolation } from './frameworks.js';
import { holdFor, holdForPartition } from './holds.js';
import { describeRule, keepMs, ruleFor } from './rules.js';
import type { LegalHold, RetentionConfig, RetentionRule } from './types.js';

const DAY = 86_400_000;

export interface PlanItem {
  target: 'vault' | 'lake';
  /** Vault key, or the partition path `log_type=…/account=…/region=…/date=…`. */
  id: string;
  account: string;
  logType: LogType | null;
  region: string;
  date: string;
  /** Whole days since the end of `date`. */
  ageDays: number;
  size: number;
  rule: RetentionRule;
  action: 'delete' | 'hold';
  hold?: LegalHold;
}

export interface RetentionPlan {
  now: string;
  framework: RetentionConfig['framework'];
  items: PlanItem[];
  /** Rules that violate the framework without an override: apply refuses while any exist. */
  violations: string[];
  /** False when the lake cannot list/drop partitions (then only the vault is handled). */
  lakeSupported: boolean;
  summary: { vaultDeletes: number; lakeDeletes: number; held: number; bytes: number };
}

export interface PlanInput {
  config: RetentionConfig;
  store: ObjectStore;
  lake?: Pick<Lake, 'listPartitions' | 'dropPartitions'> | null;
  now?: number;
}

/** Age in whole days of a `YYYY-MM-DD` date, counted from the end of that day (a day expires only once all of it is old). */
function ageOf(date: string, now: number): number {
  return Math.floor((now - (Date.parse(`${date}T00:00:00Z`) + DAY)) / DAY);
}

/**
 * Dry run: what retention would delete now and why, and what a legal hold keeps. Objects without a matching rule,
 * outside the AWSLogs layout, and digest files are never candidates.
 */
export async function planRetention(input: PlanInput): Promise<RetentionPlan> {
  const { config, store } = input;
  const now = input.now ?? Date.now();
  const items: PlanItem[] = [];
  const violations = config.rules.filter((r) => !r.override).flatMap((r) => frameworkViolation(config.framework, r) ?? []);
  // Which accounts a cluster/prefix hold touches, learnt from the vault keys (for lake partitions).
  const accountsByHold = new Map<string, Set<string>>();
  for await (const o of store.list('')) {
    if (isDigestKey(o.key)) continue;
    const info = classifyVaultKey(o.key);
    if (!info) continue;
    for (const h of config.holds) {
      if ((h.cluster !== undefined && info.cluster === h.cluster) || (h.prefix !== undefined && o.key.startsWith(h.prefix))) {
        accountsByHold.set(h.id, (accountsByHold.get(h.id) ?? new Set()).add(info.account));
      }
    }
    const rule = ruleFor(config.rules, info.account, info.logType, 'keep');
    if (!rule) continue;
    const age = ageOf(info.date, now);
    if (age * DAY < keepMs(rule, 'keep')) continue;
    const hold = holdFor(config.holds, o.key, info);
    items.push({ target: 'vault', id: o.key, account: info.account, logType: info.logType, region: info.region, date: info.date, ageDays: age, size: o.size, rule, action: hold ? 'hold' : 'delete', ...(hold ? { hold } : {}) });
  }
  const lakeSupported = Boolean(input.lake?.listPartitions && input.lake.dropPartitions);
  if (lakeSupported) {
    const partitions: LakePartition[] = await input.lake!.listPartitions!();
    for (const p of partitions) {
      const logType = p.logType as LogType;
      const rule = ruleFor(config.rules, p.account, logType, 'lakeKeep');
      if (!rule) continue;
      const age = ageOf(p.date, now);
      if (age * DAY < keepMs(rule, 'lakeKeep')) continue;
      const hold = holdForPartition(config.holds, p.account, (h) => accountsByHold.get(h.id) ?? null);
      items.push({
        target: 'lake',
        id: `log_type=${p.logType}/account=${p.account}/region=${p.region}/date=${p.date}`,
        account: p.account,
        logType,
        region: p.region,
        date: p.date,
        ageDays: age,
        size: p.bytes,
        rule,
        action: hold ? 'hold' : 'delete',
        ...(hold ? { hold } : {}),
      });
    }
  }
  const del = items.filter((i) => i.action === 'delete');
  return {
    now: new Date(now).toISOString(),
    framework: config.framework,
    items,
    violations,
    lakeSupported,
    summary: {
      vaultDeletes: del.filter((i) => i.target === 'vault').length,
      lakeDeletes: del.filter((i) => i.target === 'lake').length,
      held: items.length - del.length,
      bytes: del.reduce((s, i) => s + i.size, 0),
    },
  };
}

/** One line per item: `delete vault <key> (age 200d > 180d: rule …)` / `hold …`. */
export function formatPlan(plan: RetentionPlan, verb: 'would delete' | 'deleted' = 'would delete'): string {
  const out: string[] = [];
  for (const i of plan.items) {
    const why = `age ${i.ageDays}d, rule ${describeRule(i.rule)}`;
    out.push(i.action === 'hold' ? `held\t${i.target}\t${i.id}\t(${why}; legal hold ${i.hold!.id} by ${i.hold!.by}: ${i.hold!.reason})` : `${verb}\t${i.target}\t${i.id}\t(${why})`);
  }
  if (!plan.lakeSupported) out.push('note\tlake\t-\t(this lake cannot list/drop partitions; only vault objects are handled)');
  for (const v of plan.violations) out.push(`refused\trule\t-\t(${v})`);
  const s = plan.summary;
  out.push(`${s.vaultDeletes} vault object(s) and ${s.lakeDeletes} lake partition(s) ${verb === 'deleted' ? 'deleted' : 'to delete'} (${(s.bytes / 1e6).toFixed(1)} MB), ${s.held} kept by legal hold; framework ${plan.framework}; as of ${plan.now}`);
  return out.join('\n') + '\n';
}
