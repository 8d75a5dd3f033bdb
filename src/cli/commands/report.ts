import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import type { FrameworkId, ReportOptions } from '../../report/types.js';
import { intFlag } from '../int-flag.js';
import { engineOf, withEngineFlags, type EngineFlags } from '../athena-engine.js';
import { homeFlag } from '../main.js';

const FRAMEWORKS: FrameworkId[] = ['pci-dss', 'soc2', 'hipaa', 'gxp', 'none'];

function parseBusinessHours(spec: string): ReportOptions['businessHours'] {
  // "8-18" or "8-18,mon-fri" or "9-17,1-6" (ISO weekdays 1 = Monday … 7 = Sunday)
  const m = /^(\d{1,2})-(\d{1,2})(?:,(\w{3}|\d)-(\w{3}|\d))?$/i.exec(spec.trim());
  const day = (s: string) => (/^\d$/.test(s) ? Number(s) : ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(s.toLowerCase()) + 1);
  if (!m) throw new AuditlakeError('E_USAGE', `report: --business-hours "${spec}" is not like 8-18 or 8-18,mon-fri`);
  const [startHour, endHour] = [Number(m[1]), Number(m[2])];
  const [d0, d1] = m[3] ? [day(m[3]), day(m[4])] : [1, 5];
  if (!(startHour < endHour && endHour <= 24 && d0 >= 1 && d1 <= 7 && d0 <= d1)) throw new AuditlakeError('E_USAGE', `report: --business-hours "${spec}" is out of range`);
  return { startHour, endHour, days: Array.from({ length: d1 - d0 + 1 }, (_, i) => d0 + i) };
}

export function register(program: Command): void {
  withEngineFlags(program.command('report'))
    .description('Write the monthly compliance report: report.html (charts), report.pdf, report.json and one CSV per table')
    .requiredOption('--month <YYYY-MM>', 'the month to report on (UTC)')
    .option('--account <id>', 'only this AWS account / source account')
    .option('--framework <name>', `requirements to check: ${FRAMEWORKS.join(', ')}`, 'pci-dss')
    .option('--out <dir>', 'output directory', './report')
    .option('--business-hours <spec>', 'business hours for after-hours access, e.g. 8-18 or 9-17,mon-sat', '8-18,mon-fri')
    .option('--timezone <tz>', 'time zone of the business hours (IANA name)', 'UTC')
    .option('--admin-users <list>', 'comma-separated users to treat as administrators (superusers are found in the user log)', '')
    .option('--max-rows <n>', 'rows per table shown in HTML/PDF (CSV and JSON keep all)', '100')
    .option('--no-pdf', 'skip the PDF (no Chromium needed)')
    .option('--bundle', 'add a signed evidence bundle: manifest.json, SHA256SUMS, manifest.json.sig, report-signing.pub.pem')
    .option('--no-verify', 'skip verifying the vault digest chain (its integrity check then reads not-evidenced)')
    .addHelpText('after', `
Examples:
  auditlake report --month 2026-10 --out ./report-2026-10
  auditlake report --month 2026-10 --account 111122223333 --framework soc2 --timezone Europe/Berlin --bundle

Check a bundle (what an auditor runs):
  cd ./report-2026-10 && sha256sum -c SHA256SUMS && \\
  openssl pkeyutl -verify -pubin -inkey report-signing.pub.pem -rawin -in manifest.json -sigfile manifest.json.sig`)
    .action(async (opts: { month: string; account?: string; framework: string; out: string; businessHours: string; timezone: string; adminUsers: string; maxRows: string; pdf: boolean; bundle?: boolean; verify: boolean } & EngineFlags, cmd: Command) => {
      if (!FRAMEWORKS.includes(opts.framework as FrameworkId)) throw new AuditlakeError('E_USAGE', `report: --framework "${opts.framework}" is not one of ${FRAMEWORKS.join(', ')}`);
      const maxRows = intFlag('report', '--max-rows', opts.maxRows, 1);
      const home = resolveHome(homeFlag(cmd));
      const businessHours = parseBusinessHours(opts.businessHours);
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ buildReport, DEFAULT_REPORT_OPTIONS }, { writeReport }, { openHomeLake }, { homeVaultStatus }] = await Promise.all([
        import('../../report/build-report.js'),
        import('../../report/write-report.js'),
        import('../open-home-lake.js'),
        import('../vault-status.js'),
      ]);
      const options: ReportOptions = {
        ...DEFAULT_REPORT_OPTIONS, month: opts.month, account: opts.account, framework: opts.framework as FrameworkId,
        businessHours, timeZone: opts.timezone, maxRows,
        adminUsers: opts.adminUsers.split(',').map((s) => s.trim()).filter(Boolean),
      };
      const started = Date.now();
      const lake = engineOf(opts) === 'athena' ? await (await import('../athena-engine.js')).openAthenaEngine(opts) : await openHomeLake(home);
      try {
        const vault = await homeVaultStatus(home, { verify: opts.verify, onStep: (s) => process.stderr.write(`report: ${s}…\n`) });
        process.stderr.write(`report: querying the lake for ${opts.month}…\n`);
        const data = await buildReport((sql) => lake.query(sql), options, vault);
        const outDir = resolve(opts.out);
        const { files } = await writeReport(data, { outDir, pdf: opts.pdf, bundle: !!opts.bundle, keysDir: home.keys, maxRows, chromium: process.env.AUDITLAKE_CHROMIUM || undefined, onStep: (s) => process.stderr.write(`report: writing ${s}\n`) });
        const t = data.totals;
        process.stdout.write(`Report for ${opts.month}: ${t.events.toLocaleString('en-US')} events, ${t.failedLogins} failed logins, ${t.userChanges} user changes, ${t.apiCalls} API calls\n`);
        for (const c of data.checks) process.stdout.write(`  ${c.status.padEnd(13)} ${c.requirement.padEnd(22)} ${c.text}\n`);
        process.stdout.write(`Wrote ${files.length} files to ${outDir}${opts.bundle ? ' (+ signed bundle)' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        await lake.close();
      }
    });
}
