import { spawn } from 'node:child_process';
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

/** Runs each invocation with the terminal attached (cdk prompts for approval); stops at the first failure. */
export async function runPlan(cdkEntry: string[], plan: DeployPlan): Promise<void> {
  for (const args of plan.invocations) {
    const [cmd, ...pre] = cdkEntry;
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(cmd, [...pre, ...args], { stdio: 'inherit' });
      child.on('error', (e) => reject(new AuditlakeError('E_IO', `aws deploy: cannot run ${cdkEntry.join(' ')}: ${e.message}`, { cause: e })));
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    if (code !== 0) throw new AuditlakeError('E_IO', `aws deploy: cdk ${args[0]} failed (exit ${code}); nothing after it ran`);
  }
}
