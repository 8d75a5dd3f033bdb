import { keepMs } from './rules.js';
import type { RetentionConfig } from './types.js';

const DAY = 86_400_000;

/**
 * The shape the monthly report's retention check reads (src/report/frameworks.ts `VaultStatus.retention`):
 * the shortest kept and shortest queryable periods over all rules; null days = no rule shortens it (kept forever).
 */
export function retentionStatus(config: RetentionConfig): { minDays: number | null; queryableDays: number | null; summary: string } {
  if (config.rules.length === 0) return { minDays: null, queryableDays: null, summary: `No retention rules: every record is kept (framework ${config.framework}).` };
  const minDays = Math.min(...config.rules.map((r) => Math.floor(keepMs(r, 'keep') / DAY)));
  const queryableDays = Math.min(...config.rules.map((r) => Math.floor(keepMs(r, 'lakeKeep') / DAY)));
  const overrides = config.rules.filter((r) => r.override).length;
  return {
    minDays,
    queryableDays,
    summary: `${config.rules.length} rule(s) under framework ${config.framework}: shortest kept ${minDays} d, shortest queryable ${queryableDays} d${overrides ? `, ${overrides} framework override(s) on record` : ''}; ${config.holds.length} legal hold(s).`,
  };
}
