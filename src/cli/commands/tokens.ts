import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

function parseExpiry(spec: string | undefined): Date | null {
  if (!spec || spec === 'never') return null;
  const m = /^(\d+)([hdy])$/.exec(spec);
  if (m) return new Date(Date.now() + Number(m[1]) * { h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 }[m[2] as 'h' | 'd' | 'y']);
  const t = Date.parse(spec);
  if (Number.isNaN(t) || t <= Date.now()) throw new AuditlakeError('E_USAGE', `tokens: --expires "${spec}" is not a future ISO time or a duration like 12h, 90d, 1y`);
  return new Date(t);
}

export function register(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for `auditlake serve`: create (shown once), list, revoke');
  tokens.command('create')
    .description('Create an API token; only its scrypt hash is stored, the token is printed once (last line)')
    .requiredOption('--scope <scope>', 'account:<12-digit id> (sees only that account) or all')
    .requiredOption('--role <role>', 'reader (search, query, reports), ingest (POST /api/v1/events), admin (everything)')
    .option('--name <text>', 'a label (who or what uses it)')
    .option('--expires <when>', 'ISO time or duration (12h, 90d, 1y); default 90d; "never" for no expiry', '90d')
    .addHelpText('after', `
Examples:
  auditlake tokens create --scope account:111122223333 --role reader --name "team-a auditors"
  auditlake tokens create --scope all --role ingest --name eventbridge --expires 1y`)
    .action(async (opts: { scope: string; role: string; name?: string; expires: string }, cmd: Command) => {
      const { openTokenStore, parseRole, parseScope } = await import('../../server/auth/token-store.js');
      const account = parseScope(opts.scope);
      const role = parseRole(opts.role);
      const { token, record } = openTokenStore(resolveHome(homeFlag(cmd))).create({ role, account, name: opts.name, expiresAt: parseExpiry(opts.expires) });
      process.stderr.write(`Token ${record.id}: role ${role}, ${account ? `account ${account}` : 'all accounts'}, expires ${record.expiresAt ?? 'never'}.\nStore it now: it is not shown again (only its hash is kept).\n`);
      process.stdout.write(token + '\n');
    });
  tokens.command('list')
    .description('List tokens (ids, roles, scopes, expiry, revocation; never the tokens)')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { openTokenStore } = await import('../../server/auth/token-store.js');
      const list = openTokenStore(resolveHome(homeFlag(cmd))).list().map(({ hash: _h, salt: _s, ...r }) => r);
      if (opts.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      else for (const r of list) process.stdout.write(`${r.id}  ${r.role.padEnd(6)}  ${(r.account ?? 'all').padEnd(12)}  expires ${r.expiresAt ?? 'never'}${r.revokedAt ? `  REVOKED ${r.revokedAt}` : ''}  ${r.name}\n`);
    });
  tokens.command('revoke')
    .description('Revoke a token by id (a running server refuses it on the next request)')
    .argument('<id>', 'token id (the part after alk_, as `tokens list` shows)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { openTokenStore } = await import('../../server/auth/token-store.js');
      const r = openTokenStore(resolveHome(homeFlag(cmd))).revoke(id);
      process.stdout.write(`revoked ${r.id} at ${r.revokedAt}\n`);
    });
}
