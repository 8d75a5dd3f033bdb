import { AuditlakeError } from '../core/errors.js';
import type { LogType } from '../core/event.js';
import { parseDuration } from '../core/duration.js';
import { assertRuleAllowed, frameworkViolation } from './frameworks.js';
import type { FrameworkId, RetentionConfig, RetentionRule } from './types.js';

/**
 * Adds or replaces the rule for (account, logType). Refused (E_POLICY, quoting the requirement) when shorter than
 * the framework allows, unless `overrideReason` records the exception.
 */
export function setRule(
  config: RetentionConfig,
  r: { account: string; logType: LogType | '*'; keep: string; lakeKeep?: string; by: string; overrideReason?: string; now?: Date },
): RetentionConfig {
  const keepMs = parseDuration(r.keep, 'retention: --keep');
  if (r.lakeKeep !== undefined && parseDuration(r.lakeKeep, 'retention: --lake-keep') > keepMs) {
    throw new AuditlakeError('E_USAGE', `retention: --lake-keep ${r.lakeKeep} is longer than --keep ${r.keep} (the lake cannot outlive the evidence)`);
  }
  const at = (r.now ?? new Date()).toISOString();
  const rule: RetentionRule = {
    account: r.account,
    logType: r.logType,
    keep: r.keep,
    ...(r.lakeKeep ? { lakeKeep: r.lakeKeep } : {}),
    createdBy: r.by,
    createdAt: at,
  };
  if (r.overrideReason !== undefined) {
    if (!r.overrideReason.trim()) throw new AuditlakeError('E_USAGE', 'retention: --override-framework needs a reason');
    if (frameworkViolation(config.framework, rule)) rule.override = { reason: r.overrideReason, by: r.by, at };
  }
  assertRuleAllowed(config.framework, rule);
  return { ...config, rules: [...config.rules.filter((x) => !(x.account === r.account && x.logType === r.logType)), rule] };
}

export function removeRule(config: RetentionConfig, account: string, logType: string): RetentionConfig {
  if (!config.rules.some((x) => x.account === account && x.logType === logType)) {
    throw new AuditlakeError('E_NOT_FOUND', `retention: no rule for account ${account} log type ${logType}`);
  }
  return { ...config, rules: config.rules.filter((x) => !(x.account === account && x.logType === logType)) };
}

/** Switching framework is refused while existing rules (without an override) would violate it. */
export function setFramework(config: RetentionConfig, framework: FrameworkId): RetentionConfig {
  const next = { ...config, framework };
  for (const rule of config.rules) assertRuleAllowed(framework, rule);
  return next;
}

/**
 * The rule that governs objects of (account, logType): among all matching rules the one keeping longest wins
 * (research/anchors.md §5: "the longest selected rule must win"). `logType` null = a file mixing several types, so
 * every rule for the account applies. Undefined = no rule: kept forever.
 */
export function ruleFor(rules: readonly RetentionRule[], account: string, logType: LogType | null, which: 'keep' | 'lakeKeep' = 'keep'): RetentionRule | undefined {
  const ms = (r: RetentionRule) => parseDuration(which === 'lakeKeep' ? (r.lakeKeep ?? r.keep) : r.keep, 'retention');
  const matching = rules.filter((r) => (r.account === '*' || r.account === account) && (logType === null || r.logType === '*' || r.logType === logType));
  if (matching.length === 0) return undefined;
  // A mixed file is only expired when *every* type it holds has a rule; a wildcard rule covers them all.
  if (logType === null && !matching.some((r) => r.logType === '*')) return undefined;
  return matching.reduce((a, b) => (ms(b) > ms(a) ? b : a));
}

export function keepMs(rule: RetentionRule, which: 'keep' | 'lakeKeep'): number {
  return parseDuration(which === 'lakeKeep' ? (rule.lakeKeep ?? rule.keep) : rule.keep, 'retention');
}

export function describeRule(rule: RetentionRule): string {
  return `${rule.account}/${rule.logType} keep ${rule.keep}${rule.lakeKeep ? ` (lake ${rule.lakeKeep})` : ''}${rule.override ? ` [framework override: ${rule.override.reason}]` : ''}`;
}
