import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  const cmd = program.command('access-log').description("auditlake's own access trail: every API call and audited CLI command (log type api, service auditlake)")
    .addHelpText('after', `
Examples:
  auditlake access-log flush`);
  cmd.command('flush')
    .description('Move the access journal into the vault (signed digest chain) and the lake; `auditlake serve` does this every few seconds')
    .addHelpText('after', `
Examples:
  auditlake access-log flush
  auditlake query "select time, \\"user\\", action, success from api_calls where service = 'auditlake' order by time desc limit 20"`)
    .action(async (_o: unknown, c: Command) => {
      const [{ createApiAuditLog }, { openHomeLake }, { openHomeVault }] = await Promise.all([
        import('../../server/audit/api-audit.js'), import('../open-home-lake.js'), import('../../sinks/vault/open-home-vault.js'),
      ]);
      const home = resolveHome(homeFlag(c));
      const lake = await openHomeLake(home);
      try {
        const n = await createApiAuditLog({ stateDir: home.state, lake, vault: await openHomeVault(home) }).flush();
        process.stdout.write(`access-log: ${n} record(s) written to the vault and the lake\n`);
      } finally {
        await lake.close();
      }
    });
}
