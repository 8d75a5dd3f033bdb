import type { GenerateManifest } from './types.js';

const mb = (n: number): string => (n / 1e6).toFixed(1);

/** A few plain lines describing what generate() wrote (printed by `auditlake generate` and the demo). */
export function formatGenerateSummary(m: GenerateManifest, out: string, seconds: number): string {
  const t = m.totals;
  const lines = [
    `generated ${m.accounts.length} account(s) × ${m.days} day(s) from ${m.start} (seed ${m.seed}) into ${out} in ${seconds.toFixed(1)} s`,
    `  connectionlog    ${pad(t.connectionlog.objects)} objects ${pad(t.connectionlog.records, 9)} records ${mb(t.connectionlog.bytes).padStart(8)} MB`,
    `  userlog          ${pad(t.userlog.objects)} objects ${pad(t.userlog.records, 9)} records ${mb(t.userlog.bytes).padStart(8)} MB`,
    `  useractivitylog  ${pad(t.useractivitylog.objects)} objects ${pad(t.useractivitylog.records, 9)} records ${mb(t.useractivitylog.bytes).padStart(8)} MB`,
    `  cloudtrail       ${pad(t.cloudtrail.objects)} objects ${pad(t.cloudtrail.records, 9)} records ${mb(t.cloudtrail.bytes).padStart(8)} MB`,
  ];
  for (const a of m.accounts) {
    lines.push(
      `  account ${a.account} (${a.region}; ${a.clusters.join(', ')}): ${a.sessions} sessions, ${a.failedLogins} failed logins, ` +
        `${a.userChanges} user changes, ${a.afterHoursSessions} after-hours sessions, ${a.cloudtrail.auditLoggingCalls} audit-logging API calls`,
    );
  }
  lines.push(`  counts per account and log type: ${out}/manifest.json`);
  return lines.join('\n');
}

function pad(n: number, w = 6): string {
  return String(n).padStart(w);
}
