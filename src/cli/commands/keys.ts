import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import type { KeyInfo } from '../../core/keyring.js';
import { homeFlag } from '../main.js';

function line(k: KeyInfo): string {
  const flags = [k.enabled ? 'enabled' : 'DISABLED', k.isDefault ? 'default' : '', k.versions ? `v${k.versions}` : ''].filter(Boolean).join(',');
  return `${k.keyId}\t${k.aliases.join(',') || '-'}\t${flags}\t${k.createdAt || '-'}\t${k.description}`;
}

export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('Manage the customer-managed keys that wrap every vault object\'s data key (local keyring or AWS KMS)')
    .addHelpText('after', `
Keyring: AUDITLAKE_KEYRING=local (default; <home>/keys/keyring.json, unlocked with AUDITLAKE_PASSPHRASE or a
prompt) or AUDITLAKE_KEYRING=aws-kms (AWS_REGION, AUDITLAKE_KMS_KEY = default key, usual AWS credentials).

Examples:
  AUDITLAKE_PASSPHRASE=… auditlake keys create --alias alias/RedshiftAuditKey --description "Redshift audit logs"
  auditlake keys list
  auditlake keys default alias/RedshiftAuditKey     key for new vault objects and the lake key
  auditlake keys rotate alias/RedshiftAuditKey      new key material; old objects still open
  auditlake keys disable alias/RedshiftAuditKey     every read or write with it now fails (E_KEY, exit 6)
  auditlake keys enable alias/RedshiftAuditKey`);

  // Loaded on use, not at the top: every command module is imported for `auditlake --help`.
  const open = async (cmd: Command) => (await import('../../keyring/open-keyring.js')).openKeyring(resolveHome(homeFlag(cmd)));

  keys.command('create')
    .description('Create a customer key (the first one becomes the default vault key)')
    .option('--alias <alias/NAME>', 'alias, e.g. alias/RedshiftAuditKey')
    .option('--description <text>', 'what the key is for', '')
    .option('--default', 'make it the default key for new vault objects')
    .addHelpText('after', '\nExample:\n  auditlake keys create --alias alias/RedshiftAuditKey2026 --default')
    .action(async (o: { alias?: string; description: string; default?: boolean }, cmd: Command) => {
      const k = await (await open(cmd)).create({ ...(o.alias ? { alias: o.alias } : {}), description: o.description, makeDefault: !!o.default });
      process.stdout.write(`created ${line(k)}\n`);
    });

  keys.command('list')
    .description('List keys: id, aliases, state, creation time, description')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  auditlake keys list')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const all = await (await open(cmd)).list();
      if (o.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      else process.stdout.write(['KEY ID\tALIASES\tSTATE\tCREATED\tDESCRIPTION', ...all.map(line)].join('\n') + '\n');
    });

  keys.command('default <key>')
    .description('Make a key the default for new vault objects (local keyring; with aws-kms set AUDITLAKE_KMS_KEY)')
    .addHelpText('after', '\nExample:\n  auditlake keys default alias/RedshiftAuditKey2026')
    .action(async (key: string, _o: unknown, cmd: Command) => {
      const kr = await open(cmd);
      if (!kr.setDefault) throw new AuditlakeError('E_USAGE', `keys: the ${kr.driver} keyring takes its default key from AUDITLAKE_KMS_KEY`);
      await kr.setDefault(key);
      process.stdout.write(`default ${line(await kr.describe(key))}\n`);
    });

  for (const [verb, what, example] of [
    ['rotate', 'Add new key material (new data keys use it; older ones still decrypt)', 'auditlake keys rotate alias/RedshiftAuditKey'],
    ['disable', 'Disable a key: every use fails with a clear error naming the key and object', 'auditlake keys disable alias/RedshiftAuditKey'],
    ['enable', 'Enable a disabled key', 'auditlake keys enable alias/RedshiftAuditKey'],
  ] as const) {
    keys.command(`${verb} <key>`)
      .description(what)
      .addHelpText('after', `\nExample:\n  ${example}`)
      .action(async (key: string, _o: unknown, cmd: Command) => {
        const kr = await open(cmd);
        if (verb === 'rotate') await kr.rotate(key);
        else if (verb === 'disable') await kr.disable(key);
        else await kr.enable(key);
        process.stdout.write(`${verb}d ${line(await kr.describe(key))}\n`);
      });
  }
}
