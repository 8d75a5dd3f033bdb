import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../query/output-formats.js';
import { intFlag } from '../int-flag.js';
import { engineOf, withEngineFlags, type EngineFlags } from '../athena-engine.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  withEngineFlags(program.command('query'))
    .description('Run one read-only SQL query over the lake (views: events, connections, user_changes, activity, api_calls)')
    .argument('<sql>', 'a SELECT (or WITH / DESCRIBE / SHOW / EXPLAIN) statement')
    .option('--format <fmt>', `output: ${OUTPUT_FORMATS.join(', ')} (json = one JSON object per line)`, 'table')
    .option('--max-width <n>', 'table mode: longest cell shown, in characters (JSON and CSV are never cut)', '60')
    .option('--timeout <seconds>', 'stop the query (DuckDB is interrupted) after this many seconds; 0 = no limit', '60')
    .addHelpText('after', `
Columns (every view): event_id, time (UTC TIMESTAMP), log_type, source_format, account, region, service,
cluster, database, "user", session, remote_host, remote_port, action, statement, success, error_code,
object, details (JSON), raw, source_object, source_line, date (partition). Quote "user": USER is a keyword.

Examples:
  auditlake query 'select "user", count(*) as failures from connections where success = false group by 1 order by 2 desc'
  auditlake query "select time, \\"user\\", statement from activity where statement ilike '%grant%' limit 20" --format json
  auditlake query 'select * from user_changes' --format csv > user-changes.csv
  auditlake query 'describe events'
  auditlake --home s3://audit-home/prod query --engine athena --athena-output s3://audit-athena/results/ \\
    'select account, count(*) from events where date >= \'2026-10-01\' group by 1'`)
    .action(async (sql: string, opts: { format: string; maxWidth: string; timeout: string } & EngineFlags, cmd: Command) => {
      if (!OUTPUT_FORMATS.includes(opts.format as OutputFormat)) throw new AuditlakeError('E_USAGE', `query: --format "${opts.format}" is not one of ${OUTPUT_FORMATS.join(', ')}`);
      const maxWidth = intFlag('query', '--max-width', opts.maxWidth, 4);
      const timeoutS = intFlag('query', '--timeout', opts.timeout, 0);
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ formatResult }, { openHomeLake }] = await Promise.all([import('../../query/format-result.js'), import('../open-home-lake.js')]);
      const lake = engineOf(opts) === 'athena'
        ? await (await import('../athena-engine.js')).openAthenaEngine(opts)
        : await openHomeLake(resolveHome(homeFlag(cmd)));
      try {
        const result = await lake.query(sql, timeoutS > 0 ? { timeoutMs: timeoutS * 1000 } : {});
        for (const chunk of formatResult(result, opts.format as OutputFormat, maxWidth)) {
          if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
        }
      } finally {
        await lake.close();
      }
    });
}
