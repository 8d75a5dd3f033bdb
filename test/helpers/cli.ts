import { spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';
import { spawnHelper } from './spawn-ts.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `auditlake <args>` as a child process (src through tsx, or dist), stdout/stderr piped. */
export function spawnCli(args: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawnHelper('auditlake-cli', args, opts);
}

/** Runs `auditlake <args>` to completion and collects its output. */
export function runCli(args: string[], opts: SpawnOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  return finished(child);
}

/**
 * Runs the installed entry point `bin/auditlake.js --home <home> <args>` (it loads dist/: `npm test` builds
 * first) to completion, with no environment but PATH and `env`, so nothing from the caller's shell leaks in.
 */
export function runBinSync(home: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
