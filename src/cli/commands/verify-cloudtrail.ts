import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { parseTime } from '../../core/duration.js';

export function register(program: Command): void {
  program
    .command('verify-cloudtrail')
    .description("Validate CloudTrail digest files and the log files they list (like `aws cloudtrail validate-logs`, also offline)")
    .argument('<location>', 'a directory mirroring the trail bucket (aws s3 sync s3://bucket dir) or s3://bucket[/prefix]')
    .requiredOption('--public-keys <file>', 'output of `aws cloudtrail list-public-keys --start-time … --end-time …` (JSON)')
    .option('--bucket <name>', 'for a directory: the bucket it mirrors (then digestS3Bucket is checked too)')
    .option('--key-prefix <prefix>', 'for a directory synced from s3://bucket/<prefix>: the prefix its keys lack')
    .option('--from <time>', 'only digests ending at or after this UTC time (ISO)')
    .option('--to <time>', 'only digests ending up to one hour after this UTC time (ISO)')
    .option('--verbose', 'also print valid files')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  aws cloudtrail list-public-keys --start-time 2026-11-01 --end-time 2026-11-30 > keys.json
  aws s3 sync s3://my-trail-bucket ./trail && aws s3api head-object …   # signatures: see below
  auditlake verify-cloudtrail ./trail --bucket my-trail-bucket --public-keys keys.json
  auditlake verify-cloudtrail s3://my-trail-bucket --public-keys keys.json --from 2026-11-01

A digest's signature lives in S3 object metadata (x-amz-meta-signature). For a local copy, save it next to the
digest as <digest>.json.gz.sig.json: {"signature": "<hex>", "signature-algorithm": "SHA256withRSA"}.
Exit status 1 when any digest or log file is INVALID.`)
    .action(async (location: string, opts: { publicKeys: string; bucket?: string; keyPrefix?: string; from?: string; to?: string; verbose?: boolean; json?: boolean }) => {
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ readPublicKeysFile }, { openCloudTrailSource }, { formatCloudTrailReport, validateCloudTrail }] = await Promise.all([
        import('../../sources/cloudtrail-digest/public-keys.js'),
        import('../../sources/cloudtrail-digest/source.js'),
        import('../../sources/cloudtrail-digest/validate.js'),
      ]);
      const publicKeys = await readPublicKeysFile(opts.publicKeys);
      const source = openCloudTrailSource(location, { ...(opts.bucket ? { bucket: opts.bucket } : {}), ...(opts.keyPrefix ? { keyPrefix: opts.keyPrefix } : {}) });
      const report = await validateCloudTrail({
        source,
        publicKeys,
        ...(opts.from ? { from: parseTime(opts.from, 'verify-cloudtrail: --from') } : {}),
        ...(opts.to ? { to: parseTime(opts.to, 'verify-cloudtrail: --to') } : {}),
      });
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(formatCloudTrailReport(report, { location, from: opts.from, to: opts.to, verbose: opts.verbose }));
      if (report.invalid > 0) throw new AuditlakeError('E_INTEGRITY', `verify-cloudtrail: ${report.invalid} INVALID file(s) in ${location}`);
    });
}
