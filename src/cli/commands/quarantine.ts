import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import type { QuarantineEntry } from '../../sinks/quarantine/types.js';
import { intFlag } from '../int-flag.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  const q = program
    .command('quarantine')
    .description('Records ingest refused (malformed), with file, line and reason')
    .addHelpText('after', `
Examples:
  auditlake quarantine list
  auditlake quarantine list --limit 20`);
  q.command('list')
    .description('List quarantined records: source file, line, reason and a redacted excerpt')
    .option('--format <format>', 'table or json (JSON Lines, one entry per line)', 'table')
    .option('--limit <n>', 'show at most n entries (0 = all)', '0')
    .addHelpText('after', `
Examples:
  auditlake quarantine list
  auditlake quarantine list --format json | jq -r .reason | sort | uniq -c`)
    .action(async (opts: { format: string; limit: string }, cmd: Command) => {
      if (opts.format !== 'table' && opts.format !== 'json') {
        throw new AuditlakeError('E_USAGE', `quarantine list: --format must be table or json, not "${opts.format}"`);
      }
      const limit = intFlag('quarantine list', '--limit', opts.limit);
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ formatQuarantineTable }, { createQuarantine }] = await Promise.all([import('../../sinks/quarantine/format-entries.js'), import('../../sinks/quarantine/quarantine.js')]);
      const home = resolveHome(homeFlag(cmd));
      const { openHomeLakeKey } = await import('../../keyring/lake-key.js');
      const { createRecordCipher } = await import('../../core/record-cipher.js');
      // Entries are sealed under the lake key when the home has one; a home without keys has plaintext entries.
      const lakeKey = home.remote ? null : await openHomeLakeKey(home);
      const quarantine = createQuarantine(home.quarantine, lakeKey ? createRecordCipher(lakeKey, 'quarantine') : null);
      let n = 0;
      const table: QuarantineEntry[] = [];
      for await (const e of quarantine.list()) {
        if (limit && n >= limit) break;
        n++;
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(e)}\n`);
        else table.push(e);
        // The table is built in memory: page through big quarantines with --limit or --format json.
      }
      if (opts.format === 'table') {
        process.stdout.write(n === 0 ? `quarantine is empty (${home.quarantine})\n` : `${formatQuarantineTable(table)}\n${n} quarantined record${n === 1 ? '' : 's'} in ${home.quarantine}\n`);
      }
    });
}
