import type { LogType } from '../core/event.js';

export type FrameworkId = 'pci-dss' | 'hipaa' | 'gxp' | 'none';

/** One retention rule: objects of `account` × `logType` are deleted once older than `keep`. */
export interface RetentionRule {
  /** AWS account id or `*`. */
  account: string;
  /** Event log type or `*`. */
  logType: LogType | '*';
  /** How long vault objects are kept, e.g. `180d`, `6y`. */
  keep: string;
  /** How long lake partitions stay queryable (≤ keep); defaults to `keep`. */
  lakeKeep?: string;
  /** Set when the rule is shorter than the framework requires and someone accepted that on the record. */
  override?: { reason: string; by: string; at: string };
  createdBy: string;
  createdAt: string;
}

/** A legal hold: nothing it matches is deleted, whatever the rules say. */
export interface LegalHold {
  id: string;
  /** What it covers — at least one of these; all given ones must match. */
  prefix?: string;
  account?: string;
  cluster?: string;
  reason: string;
  by: string;
  createdAt: string;
}

/** `<home>/retention.json`. */
export interface RetentionConfig {
  version: 1;
  framework: FrameworkId;
  rules: RetentionRule[];
  holds: LegalHold[];
}
