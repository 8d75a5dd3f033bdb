import { AuditlakeError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import type { FrameworkId, RetentionRule } from './types.js';

const DAY = 86_400_000;

export interface FrameworkProfile {
  id: FrameworkId;
  /** Minimum time audit records must be kept; null = never delete automatically (record lifetime). */
  minKeepMs: number | null;
  /** Minimum time they must stay immediately queryable (the lake). */
  minQueryableMs: number;
  /** The requirement, quoted (research/anchors.md §5). */
  requirement: string;
}

export const FRAMEWORKS: Record<FrameworkId, FrameworkProfile> = {
  'pci-dss': {
    id: 'pci-dss',
    minKeepMs: 365 * DAY,
    minQueryableMs: 90 * DAY,
    requirement:
      'PCI DSS v4.0.1 10.5.1: "Retain audit log history for at least 12 months, with at least the most recent three months immediately available for analysis." (enforced as ≥ 365d kept, ≥ 90d queryable)',
  },
  hipaa: {
    id: 'hipaa',
    minKeepMs: 6 * 365 * DAY,
    minQueryableMs: 0,
    requirement: 'HIPAA 45 CFR 164.316(b)(2)(i): required documentation is retained "for 6 years from the date of its creation or the date when it last was in effect" (applied to audit records: ≥ 6y)',
  },
  gxp: {
    id: 'gxp',
    minKeepMs: null,
    minQueryableMs: 0,
    requirement:
      '21 CFR 11.10(e): audit trail documentation "shall be retained for a period at least as long as that required for the subject electronic records" (record lifetime: no automatic deletion)',
  },
  none: { id: 'none', minKeepMs: 0, minQueryableMs: 0, requirement: 'no framework selected' },
};

export function isFrameworkId(s: string): s is FrameworkId {
  return Object.hasOwn(FRAMEWORKS, s);
}

/**
 * Why `rule` falls short of `framework`, or null when it complies. The message quotes the requirement so the
 * refusal explains itself.
 */
export function frameworkViolation(framework: FrameworkId, rule: Pick<RetentionRule, 'account' | 'logType' | 'keep' | 'lakeKeep'>): string | null {
  const f = FRAMEWORKS[framework];
  const keep = parseDuration(rule.keep, 'retention: keep');
  const lakeKeep = rule.lakeKeep ? parseDuration(rule.lakeKeep, 'retention: lake-keep') : keep;
  const what = `rule ${rule.account}/${rule.logType} (keep ${rule.keep}${rule.lakeKeep ? `, lake ${rule.lakeKeep}` : ''})`;
  if (f.minKeepMs === null) return `${what} deletes records automatically, which ${framework} does not allow: ${f.requirement}`;
  if (keep < f.minKeepMs) return `${what} keeps records ${Math.round(keep / DAY)}d, shorter than ${framework} requires: ${f.requirement}`;
  if (lakeKeep < f.minQueryableMs) return `${what} keeps records queryable ${Math.round(lakeKeep / DAY)}d, shorter than ${framework} requires: ${f.requirement}`;
  return null;
}

/** Throws E_POLICY for a rule that violates the framework and carries no override. */
export function assertRuleAllowed(framework: FrameworkId, rule: RetentionRule): void {
  if (rule.override) return;
  const v = frameworkViolation(framework, rule);
  if (v) throw new AuditlakeError('E_POLICY', `retention: ${v}. Refused; to record an exception use --override-framework "<reason>".`);
}
