import type { SelfAuditFacts } from './self-audit.js';
import type { CheckStatus, FrameworkCheck, FrameworkId, ReportData } from './types.js';

/** What the vault can tell about integrity and retention (absent when no vault is configured). */
export interface VaultStatus {
  /** `verified` = objects covered by a signed digest and re-hashed; objects only in the journal do not count. */
  verify?: { ok: boolean; verified: number; summary: string };
  retention?: { minDays: number | null; queryableDays: number | null; summary: string };
}

/** Facts the checks read, computed once from the report and a few extra queries. */
export interface CheckFacts {
  data: Omit<ReportData, 'checks'>;
  /** Share (0–1) of events carrying each PCI 10.2.2 element. */
  completeness: { who: number; what: number; when: number; outcome: number; origin: number; object: number };
  vault: VaultStatus;
  /** auditlake's own access trail in the month (absent: not looked up). */
  selfAudit?: SelfAuditFacts;
}

type Rule = { requirement: string; text: string; check: (f: CheckFacts) => { status: CheckStatus; evidence: string } };

const section = (f: CheckFacts, id: string) => f.data.sections.find((s) => s.id === id);
const rows = (f: CheckFacts, sectionId: string, tableId: string) => section(f, sectionId)?.tables.find((t) => t.id === tableId)?.totalRows ?? 0;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const seen = (n: number, what: string) => (n > 0 ? { status: 'pass' as const, evidence: `${n.toLocaleString('en-US')} ${what} recorded this month.` } : { status: 'not-evidenced' as const, evidence: `No ${what} in the lake for this month.` });

const auditActive: Rule['check'] = (f) => {
  const streams = rows(f, 'coverage', 'coverage-sources');
  const gaps = section(f, 'coverage')?.tables.find((t) => t.id === 'coverage-gaps')?.rows.reduce((sum, r) => sum + Number(r[6] ?? 0), 0) ?? 0;
  if (streams === 0) return { status: 'not-evidenced', evidence: 'No audit records at all for this month.' };
  return gaps === 0
    ? { status: 'pass', evidence: `${streams} source/log-type stream(s) with records on every day of the month.` }
    : { status: 'fail', evidence: `${gaps} source-day(s) without any audit record (see Coverage gaps).` };
};

const integrity: Rule['check'] = (f) => {
  const v = f.vault.verify;
  if (!v) return { status: 'not-evidenced', evidence: 'No vault digest chain configured; keep evidence in the vault (auditlake keys create, then ingest) to evidence integrity.' };
  if (!v.ok) return { status: 'fail', evidence: v.summary };
  return v.verified > 0 ? { status: 'pass', evidence: v.summary } : { status: 'not-evidenced', evidence: `${v.summary} No object is covered by a signed digest yet.` };
};

const retention = (minDays: number, queryable: number | null, label: string): Rule['check'] => (f) => {
  const r = f.vault.retention;
  if (!r) return { status: 'not-evidenced', evidence: `No retention rules configured (${label} needs ≥ ${minDays} days).` };
  const okMin = r.minDays === null || r.minDays >= minDays;
  const okQ = queryable === null || r.queryableDays === null || r.queryableDays >= queryable;
  return { status: okMin && okQ ? 'pass' : 'fail', evidence: r.summary };
};

const recordContent: Rule['check'] = (f) => {
  const c = f.completeness;
  const min = Math.min(c.who, c.what, c.when, c.outcome, c.origin);
  const text = `who ${pct(c.who)}, type ${pct(c.what)}, time ${pct(c.when)}, success/failure ${pct(c.outcome)}, origin (connections) ${pct(c.origin)}, affected object ${pct(c.object)}`;
  if (f.data.totals.events === 0) return { status: 'not-evidenced', evidence: 'No events this month.' };
  return { status: min >= 0.99 ? 'pass' : 'fail', evidence: `Share of events carrying each element: ${text}. Redshift's user log does not record who made a change, and its activity log has no outcome; those are reported as gaps, not filled in.` };
};

const accessLogged: Rule['check'] = (f) => {
  const s = f.selfAudit;
  if (!s || s.records === 0) return { status: 'not-evidenced', evidence: "No record of access to the audit store this month: run `auditlake serve` (every API call is recorded) or flush the CLI's access journal into the lake (log type api, service auditlake)." };
  return { status: 'pass', evidence: `${s.records.toLocaleString('en-US')} access record(s) of auditlake itself this month (${s.reads.toLocaleString('en-US')} reads of audit data by ${s.principals} principal(s), ${s.refused} refused), each a CloudTrail-style record in the lake and in the vault's signed digest chain.` };
};

const RULES: Record<Exclude<FrameworkId, 'none'>, Rule[]> = {
  'pci-dss': [
    { requirement: '10.2.1', text: 'Audit logs are enabled and active for all system components.', check: auditActive },
    { requirement: '10.2.1.1', text: 'All individual user access to cardholder data is logged.', check: (f) => seen(f.data.totals.activity, 'user activity statements') },
    { requirement: '10.2.1.2', text: 'All actions taken by any individual with administrative access are logged.', check: (f) => seen(rows(f, 'admin-activity', 'admin-activity'), 'administrator statement groups') },
    { requirement: '10.2.1.3', text: 'All access to audit logs is logged.', check: accessLogged },
    { requirement: '10.2.1.4', text: 'All invalid logical access attempts are logged.', check: (f) => f.data.totals.connections > 0 ? { status: 'pass', evidence: `Connection logs present; ${f.data.totals.failedLogins} failed login(s) recorded and listed in "Failed logins".` } : { status: 'not-evidenced', evidence: 'No connection log for this month.' } },
    { requirement: '10.2.1.5', text: 'All changes to identification and authentication credentials are logged.', check: (f) => seen(f.data.totals.userChanges, 'user/privilege changes') },
    { requirement: '10.2.1.6', text: 'Initialization, starting, stopping or pausing of audit logs is logged.', check: (f) => f.data.totals.apiCalls > 0 ? { status: 'pass', evidence: `${f.data.totals.apiCalls} control-plane API events (CloudTrail); ${rows(f, 'control-plane', 'control-plane')} touch audit logging.` } : { status: 'not-evidenced', evidence: 'No CloudTrail events ingested for this month.' } },
    { requirement: '10.2.1.7', text: 'All creation and deletion of system-level objects is logged.', check: (f) => seen(rows(f, 'ddl', 'ddl'), 'DDL statements') },
    { requirement: '10.2.2', text: 'Each record has user, event type, date/time, success/failure, origin and affected object.', check: recordContent },
    { requirement: '10.3.4', text: 'Change detection: existing log data cannot be changed without generating alerts.', check: integrity },
    { requirement: '10.5.1', text: 'Retain audit logs ≥ 12 months, the most recent 3 months immediately available.', check: retention(365, 90, 'PCI DSS 10.5.1') },
  ],
  soc2: [
    { requirement: 'CC6.1', text: 'Logical access to databases is identified and logged.', check: (f) => seen(f.data.totals.connections, 'connection events') },
    { requirement: 'CC7.1', text: 'Configuration changes that affect monitoring are detected.', check: (f) => f.data.totals.apiCalls > 0 ? { status: 'pass', evidence: `${rows(f, 'control-plane', 'control-plane')} audit-relevant control-plane call(s) reviewed.` } : { status: 'not-evidenced', evidence: 'No CloudTrail events ingested.' } },
    { requirement: 'CC7.2', text: 'System components are monitored for anomalies (failed-login bursts, after-hours access, new sources).', check: (f) => f.data.totals.connections > 0 ? { status: 'pass', evidence: `${rows(f, 'failed-logins', 'failed-login-bursts')} failed-login burst(s), ${rows(f, 'after-hours', 'after-hours')} after-hours user/source pair(s), ${rows(f, 'connections', 'connections-new-sources')} new source(s) identified.` } : { status: 'not-evidenced', evidence: 'No connection events.' } },
    { requirement: 'CC7.3', text: 'Audit evidence is protected against alteration.', check: integrity },
  ],
  hipaa: [
    { requirement: '164.312(b)', text: 'Mechanisms record and examine activity in systems containing ePHI.', check: (f) => seen(f.data.totals.activity + f.data.totals.connections, 'connection and activity events') },
    { requirement: '164.308(a)(1)(ii)(D)', text: 'Information system activity is regularly reviewed.', check: (f) => ({ status: f.data.totals.events > 0 ? 'pass' : 'not-evidenced', evidence: `This monthly report (generated ${f.data.generatedAt}) is the review record; keep it with the signed bundle.` }) },
    { requirement: '164.312(c)(1)', text: 'Audit data is protected from improper alteration or destruction.', check: integrity },
    { requirement: '164.316(b)(2)(i)', text: 'Documentation retained for 6 years.', check: retention(6 * 365, null, 'HIPAA 164.316') },
  ],
  gxp: [
    { requirement: '21 CFR 11.10(e)', text: 'Secure, computer-generated, time-stamped audit trail of create/modify/delete actions.', check: (f) => seen(rows(f, 'ddl', 'ddl') + f.data.totals.userChanges, 'create/modify/delete actions') },
    { requirement: '21 CFR 11.10(e) integrity', text: 'Record changes do not obscure previously recorded information.', check: integrity },
    { requirement: 'Annex 11 §9', text: 'Audit trail of GMP-relevant changes and deletions, with who and when.', check: recordContent },
    { requirement: 'Annex 11 §8', text: 'Clear printed copies can be obtained.', check: () => ({ status: 'pass', evidence: 'report.pdf is produced with every report.' }) },
    { requirement: '21 CFR 11.10(c)', text: 'Records protected for their retention period.', check: retention(36_500, null, 'GxP (record lifetime)') },
  ],
};

export function runChecks(framework: FrameworkId, facts: CheckFacts): FrameworkCheck[] {
  if (framework === 'none') return [];
  return RULES[framework].map((r) => ({ requirement: r.requirement, text: r.text, ...r.check(facts) }));
}
