import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { actor } from '../actor.js';
import { homeFlag } from '../main.js';

/** The retention library, loaded on use: every command module is imported for `auditlake --help`. */
async function lib() {
  const [config, holds] = await Promise.all([import('../../retention/config-file.js'), import('../../retention/holds.js')]);
  return { ...config, ...holds };
}

export function register(program: Command): void {
  const hold = program
    .command('hold')
    .description('Legal holds: what they cover is never deleted by retention, whatever the rules say')
    .addHelpText('after', `
Examples:
  auditlake hold add --cluster prod-dw --reason "litigation 2026-117" --by "j.doe (legal)"
  auditlake hold add --prefix AWSLogs/123456789012/redshift/us-east-1/2026/03/ --reason "incident IR-42"
  auditlake hold list
  auditlake hold remove hold-1a2b3c4d`);

  hold
    .command('add')
    .description('Place a hold by key prefix, account and/or cluster (all given must match)')
    .option('--prefix <prefix>', 'vault key prefix')
    .option('--account <id>', 'AWS account id')
    .option('--cluster <name>', 'Redshift cluster')
    .requiredOption('--reason <text>', 'why (case number, request)')
    .option('--by <name>', 'who places it (default: the OS user)')
    .addHelpText('after', '\nExample:\n  auditlake hold add --account 123456789012 --reason "SEC request 2026-04"')
    .action(async (o: { prefix?: string; account?: string; cluster?: string; reason: string; by?: string }, cmd: Command) => {
      const { loadConfig, saveConfig, addHold } = await lib();
      const home = resolveHome(homeFlag(cmd));
      const { config, hold: h } = addHold(await loadConfig(home.root), { ...o, by: actor(o.by) });
      await saveConfig(home.root, config);
      process.stdout.write(`${h.id}\n`);
    });

  hold
    .command('remove')
    .description('Lift a hold')
    .argument('<id>', 'hold id from `hold list`')
    .addHelpText('after', '\nExample:\n  auditlake hold remove hold-1a2b3c4d')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { loadConfig, saveConfig, removeHold } = await lib();
      const home = resolveHome(homeFlag(cmd));
      await saveConfig(home.root, removeHold(await loadConfig(home.root), id));
      process.stdout.write(`removed ${id}\n`);
    });

  hold
    .command('list')
    .description('List holds')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  auditlake hold list')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const { loadConfig, describeHold } = await lib();
      const home = resolveHome(homeFlag(cmd));
      const { holds } = await loadConfig(home.root);
      if (o.json) {
        process.stdout.write(JSON.stringify(holds, null, 2) + '\n');
        return;
      }
      if (holds.length === 0) process.stdout.write('no legal holds\n');
      for (const h of holds) {
        process.stdout.write(`${h.id}\t${describeHold(h)}\t${h.reason}\tby ${h.by}\t${h.createdAt}\n`);
      }
    });
}
