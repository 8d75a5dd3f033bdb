import { monthRange } from './month.js';
import { scalar, type QueryFn } from './run-query.js';
import { SECTIONS, type SectionContext } from './sections.js';
import { monthFilter } from './sql.js';
import { runChecks, type VaultStatus } from './frameworks.js';
import type { ReportData, ReportOptions } from './types.js';

export const DEFAULT_REPORT_OPTIONS: Omit<ReportOptions, 'month'> = {
  framework: 'pci-dss',
  businessHours: { startHour: 8, endHour: 18, days: [1, 2, 3, 4, 5] },
  timeZone: 'UTC',
  adminUsers: [],
  maxRows: 500,
};

/**
 * Runs every section's SQL against the lake and assembles the report data. Each query aggregates
 * inside DuckDB, so memory stays bounded by the displayed rows, not by the month's events.
 */
export async function buildReport(q: QueryFn, options: ReportOptions, vault: VaultStatus = {}): Promise<ReportData> {
  const range = monthRange(options.month);
  const where = monthFilter(range, options.account);
  const ctx: SectionContext = { q, where, range, options };
  const totalsRow = (await q(`
    SELECT count(*), count(*) FILTER (WHERE log_type = 'connection'), count(*) FILTER (WHERE log_type = 'connection' AND success = false),
           count(*) FILTER (WHERE log_type = 'user'), count(*) FILTER (WHERE log_type = 'activity'), count(*) FILTER (WHERE log_type = 'api')
    FROM events WHERE ${where}`)).rows[0] ?? [];
  const [events, connections, failedLogins, userLog, activity, apiCalls] = totalsRow.map((v) => Number(v ?? 0));
  const sections = [];
  for (const s of SECTIONS) sections.push(await s(ctx));
  const userChanges = sections.find((s) => s.id === 'user-changes')?.tables[0]?.totalRows ?? userLog;
  const completenessRow = (await q(`
    SELECT avg(CASE WHEN "user" IS NOT NULL AND "user" <> '' THEN 1 ELSE 0 END),
           avg(CASE WHEN action IS NOT NULL AND action <> '' THEN 1 ELSE 0 END),
           avg(CASE WHEN time IS NOT NULL THEN 1 ELSE 0 END),
           avg(CASE WHEN success IS NOT NULL THEN 1 ELSE 0 END),
           coalesce(avg(CASE WHEN remote_host IS NOT NULL AND remote_host <> '' THEN 1 ELSE 0 END) FILTER (WHERE log_type = 'connection'), 1),
           avg(CASE WHEN object IS NOT NULL AND object <> '' THEN 1 ELSE 0 END)
    FROM events WHERE ${where}`)).rows[0] ?? [];
  const [who, what, when, outcome, origin, object] = completenessRow.map((v) => Number(v ?? 0));
  const oldestDays = events > 0 ? await scalar(q, `SELECT date_diff('day', min(time), TIMESTAMP '${range.to.slice(0, 10)}') FROM events`) : null;
  const base: Omit<ReportData, 'checks'> = {
    title: `Database audit report — ${options.month}${options.account ? ` — account ${options.account}` : ''}`,
    month: options.month,
    range: { from: range.from, to: range.to },
    account: options.account ?? null,
    framework: options.framework,
    generatedAt: new Date().toISOString(),
    totals: { events, connections, failedLogins, userChanges, activity, apiCalls },
    sections,
  };
  const checks = runChecks(options.framework, { data: base, completeness: { who, what, when, outcome, origin, object }, oldestEventDays: oldestDays, vault });
  return { ...base, checks };
}
