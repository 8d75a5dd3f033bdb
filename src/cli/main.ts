import { readdirSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AuditlakeError } from '../core/errors.js';
import { exitCodeFor } from './exit-codes.js';
import { closeRemoteHome, installRemoteHome } from './remote-home.js';

/**
 * Every file in ./commands exports `register(program)`; main only discovers and wires them,
 * so a new command is one new file and no shared list to edit.
 */
export interface CommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('auditlake')
    .description('Automatic, tamper-evident, queryable database audit logging.')
    .option('--home <dir>', 'state directory or s3://bucket/prefix (env AUDITLAKE_HOME, default ./.auditlake)')
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText('after', `
Examples:
  auditlake demo                                  generate a month for 3 accounts, ingest, answer questions
  auditlake ingest ./logs                         ingest Redshift/CloudTrail logs from a folder
  auditlake ingest s3://bucket/prefix             ... or from S3
  auditlake query "select user, count(*) from connections group by 1"
`);
  installRemoteHome(program);
  const dir = new URL('./commands/', import.meta.url);
  // Compiled: commands/*.js. Run from source through tsx (tests): commands/*.ts.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const files = readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith(`.test${ext}`) && !f.endsWith('.d.ts')).sort();
  for (const f of files) {
    const mod = (await import(new URL(f, dir).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

/** The --home value given to the top-level program (commands call this with their own Command). */
export function homeFlag(cmd: Command): string | undefined {
  let c: Command | null = cmd;
  while (c) {
    const v = c.opts().home as string | undefined;
    if (v) return v;
    c = c.parent;
  }
  return undefined;
}

/** Every command below `c`, with its full name (`retention plan`). */
export function subcommands(c: Command, prefix = ''): Array<[string, Command]> {
  return c.commands.flatMap((s): Array<[string, Command]> => [[`${prefix}${s.name()}`, s], ...subcommands(s, `${prefix}${s.name()} `)]);
}

export async function run(argv: string[]): Promise<void> {
  // Everything auditlake writes (the home, quarantine, spills, reports) holds audit data: owner-only,
  // files 0600 in 0700 directories, whatever the caller's umask.
  process.umask(0o077);
  const program = await buildProgram();
  // Commander copies these settings to a sub-command only when it is created, and the commands exist by now:
  // set them on each, so a usage error in `auditlake report` exits 2 like one in `auditlake` itself, and its
  // message starts like every other error, with the command (`auditlake: report: required option …`), not `error:`.
  for (const [name, c] of [['', program] as [string, Command], ...subcommands(program)]) {
    c.exitOverride();
    c.configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, `auditlake: ${name ? `${name}: ` : ''}`)) });
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // A failed command's working copy of an S3 home is discarded, never pushed half-done.
    await closeRemoteHome(false).catch(() => undefined);
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const msg = err instanceof AuditlakeError ? `auditlake: ${err.message}` : `auditlake: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    process.stderr.write(msg + '\n');
    process.exitCode = exitCodeFor(err);
  }
}
