import type { ChildProcess, SpawnOptions } from 'node:child_process';
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
