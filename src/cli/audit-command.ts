import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { AuditlakeError } from '../core/errors.js';
import { resolveHome } from '../core/home.js';
import { appendApiCall } from '../server/audit/audit-journal.js';

/**
 * CLI commands that read or change audit data, with whether they only read. Each run is appended to the home's
 * access journal (src/server/audit/audit-journal.ts) as a CloudTrail-style record; `auditlake serve` (or
 * `auditlake access-log flush`) moves the journal into the vault and the lake.
 */
const AUDITED: Record<string, boolean> = {
  query: true, report: true, verify: true, 'quarantine list': true, 'retention status': true, 'retention plan': true,
  ingest: false, collect: false, compact: false, reencrypt: false, 'retention apply': false, 'retention set': false,
  'hold add': false, 'hold release': false, 'tokens create': false, 'tokens revoke': false, 'keys rotate': false,
};

function fullName(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x && x.parent; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}

function osUser(): string {
  try { return userInfo().username; } catch { return 'unknown'; }
}

/** Records `action` (the command that ran) with its outcome. Never fails the command itself. */
export function recordCliCommand(action: Command, home: string | undefined, started: number, err: unknown): void {
  const name = fullName(action);
  if (!(name in AUDITED)) return;
  const pascal = name.split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  try {
    appendApiCall(resolveHome(home).state, {
      time: started, eventName: `Cli${pascal}`, actor: { type: 'CLI', id: `cli:${osUser()}@${hostname()}`, account: null },
      sourceIPAddress: 'localhost', userAgent: `auditlake-cli/${process.version}`,
      requestParameters: { command: name, args: action.args, ...action.opts() },
      requestId: `cli-${process.pid}-${started}`, readOnly: AUDITED[name],
      errorCode: err ? (err instanceof AuditlakeError ? err.code : 'E_INTERNAL') : null,
      errorMessage: err instanceof Error ? err.message : undefined,
    });
  } catch (e) {
    process.stderr.write(`auditlake: could not record this command in the access journal: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
