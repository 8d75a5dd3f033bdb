import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { stackIds } from './app.js';
import type { DeployConfig } from './config.js';

export interface DeployPlan {
  /** argv after the cdk entry point, one invocation per element. */
  invocations: string[][];
}

export interface DeployOptions {
  /** The cloud assembly directory `synthToDir` wrote. */
  assembly: string;
  /** Deploy the workload stack into the account of the current credentials instead of the central stacks. */
  workload?: boolean;
  /** Run `cdk bootstrap` for the central account/regions first (needed once per account and region). */
  bootstrap?: boolean;
  /** `never` for CI; default `broadening` asks before widening IAM or security groups. */
  requireApproval?: 'never' | 'broadening' | 'any-change';
  profile?: string;
}

/**
 * The `cdk` command lines of a deployment. The assembly is already synthesized (`--app <dir>`), so cdk deploys
 * exactly what `auditlake aws synth` showed; context is baked into it. Central stacks need the CDK bootstrap (they
 * carry Lambda bundles); workload stacks are bootstrapless so StackSets and fresh accounts can take them.
 */
export function deployPlan(c: DeployConfig, o: DeployOptions): DeployPlan {
  const common = ['--app', o.assembly, '--require-approval', o.requireApproval ?? 'broadening', ...(o.profile ? ['--profile', o.profile] : [])];
  const stacks = c.regions.map((r) => (o.workload ? stackIds(c, r).workload : stackIds(c, r).central));
  const invocations: string[][] = [];
  if (o.bootstrap && !o.workload) invocations.push(['bootstrap', ...c.regions.map((r) => `aws://${c.centralAccount}/${r}`), ...(o.profile ? ['--profile', o.profile] : [])]);
  invocations.push(['deploy', ...stacks, ...common, '--outputs-file', `${o.assembly}/outputs.json`]);
  return { invocations };
}

/**
 * Which `cdk` runs the plan: the aws-cdk package installed next to auditlake, else a `cdk` on PATH (a global
 * install, or a wrapper the user controls), else `npx --yes aws-cdk@2` (fetched once). The CLI is not a dependency:
 * it is large and only deploy needs it.
 */
export function cdkEntry(found: { local: string | null; onPath: string | null }, node: string = process.execPath): string[] {
  if (found.local) return [node, found.local];
  if (found.onPath) return [found.onPath];
  return ['npx', '--yes', 'aws-cdk@2'];
}

/** The first executable `name` in a PATH string (POSIX), or null. */
export function findOnPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

export interface RunResult {
  /** 0, or the exit code of the first cdk invocation that failed (nothing after it ran). */
  code: number;
  /** The argv of the failed invocation. */
  failed?: string[];
}

/** Runs each invocation with the terminal attached (cdk prompts for approval); stops at the first failure. */
export async function runPlan(cdkEntryArgv: string[], plan: DeployPlan, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  for (const args of plan.invocations) {
    const [cmd, ...pre] = cdkEntryArgv;
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(cmd, [...pre, ...args], { stdio: 'inherit', env });
      child.on('error', (e) => reject(new AuditlakeError('E_IO', `aws deploy: cannot run ${cdkEntryArgv.join(' ')}: ${e.message}`, { cause: e })));
      // A signal death maps to 128+n like a shell does, so a Ctrl-C'd deploy is not reported as success.
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
    });
    if (code !== 0) return { code, failed: args };
  }
  return { code: 0 };
}
