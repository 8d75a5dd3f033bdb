import { inIntervalsSql, outsideBusinessHours } from './business-hours.js';
import { runChecks, type VaultStatus } from './frameworks.js';
import { monthRange } from './month.js';
import { loadOverview } from './overview.js';
import type { QueryFn } from './run-query.js';
import { loadNotable, SECTIONS, type SectionContext } from './sections.js';
import { loadSelfAudit } from './self-audit.js';
import { monthFilter } from './sql.js';
import type { ReportData, ReportOptions } from './types.js';

export const DEFAULT_REPORT_OPTIONS: Omit<ReportOptions, 'month'> = {
  framework: 'pci-dss',
  businessHours: { startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5] },
  timeZone: 'UTC',
  adminUsers: [],
  maxRows: 100,
};

/**
 * Runs the report's SQL against the lake and assembles the report data. The bulk of the month is read
 * once (the overview, GROUPING SETS); the other queries touch only the small log types (connection,
 * user, api partitions) or a selective filter, so memory stays bounded by the result rows.
 */
export async function buildReport(q: QueryFn, options: ReportOptions, vault: VaultStatus = {}): Promise<ReportData> {
  const range = monthRange(options.month);
  const where = monthFilter(range, options.account);
  const afterHoursSql = inIntervalsSql(outsideBusinessHours(range, options.businessHours, options.timeZone));
  const overview = await loadOverview(q, where, afterHoursSql);
  const notable = await loadNotable(q, where);
  const ctx: SectionContext = { q, where, range, options, afterHoursSql, overview, notable };
  const sections = [];
  for (const s of SECTIONS) sections.push(await s(ctx));

  const lt = (t: string) => overview.byLogType.get(t);
  const all = [...overview.byLogType.values()];
  const sum = (f: (x: (typeof all)[number]) => number) => all.reduce((s, x) => s + f(x), 0);
  const events = sum((x) => x.events);
  const userChanges = sections.find((s) => s.id === 'user-changes')?.tables[0]?.totalRows ?? 0;
  const conn = lt('connection');
  const share = (k: 'who' | 'what' | 'outcome' | 'object') => (events ? sum((x) => x[k]) / events : 0);
  const completeness = { who: share('who'), what: share('what'), when: events ? 1 : 0, outcome: share('outcome'), origin: conn?.events ? conn.origin / conn.events : 1, object: share('object') };
  const base: Omit<ReportData, 'checks'> = {
    title: `Database audit report — ${options.month}${options.account ? ` — account ${options.account}` : ''}`,
    month: options.month,
    range: { from: range.from, to: range.to },
    account: options.account ?? null,
    framework: options.framework,
    generatedAt: new Date().toISOString(),
    totals: { events, connections: conn?.events ?? 0, failedLogins: conn?.failed ?? 0, userChanges, activity: lt('activity')?.events ?? 0, apiCalls: lt('api')?.events ?? 0 },
    sections,
  };
  const selfAudit = await loadSelfAudit(q, range);
  const checks = runChecks(options.framework, { data: base, completeness, vault, selfAudit });
  return { ...base, checks };
}
