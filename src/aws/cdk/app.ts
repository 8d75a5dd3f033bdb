import { App, type Stack } from 'aws-cdk-lib';
import { CentralStack } from './central-stack.js';
import type { DeployConfig } from './config.js';
import { WorkloadStack } from './workload-stack.js';

export interface AuditlakeApp {
  app: App;
  central: CentralStack[];
  workload: WorkloadStack[];
}

/** Stack ids: stable, so `cdk deploy <id>` and StackSets keep addressing the same stacks. */
export const stackIds = (c: Pick<DeployConfig, 'prefix'>, region: string) => {
  const p = c.prefix.replace(/(^|-)([a-z])/g, (_, __, ch: string) => ch.toUpperCase());
  return { central: `${p}-Central-${region}`, workload: `${p}-Workload-${region}` };
};

/**
 * The whole deployment: per region a central stack (audit account) and a workload stack template (every member
 * account). `outdir` is where `synth()` writes; no context lookups, so it works offline and without credentials.
 * `extraContext` is for tests (e.g. `aws:cdk:bundling-stacks: []` skips the esbuild bundling).
 */
export function buildApp(c: DeployConfig, outdir?: string, extraContext: Record<string, unknown> = {}): AuditlakeApp {
  const app = new App({ outdir, context: {
    ...extraContext,
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:version-reporting': false,
    // log delivery through a bucket policy, not an ACL: every bucket is BucketOwnerEnforced
    '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  } });
  const central: CentralStack[] = [];
  const workload: WorkloadStack[] = [];
  for (const region of c.regions) {
    const ids = stackIds(c, region);
    central.push(new CentralStack(app, ids.central, c, region));
    workload.push(new WorkloadStack(app, ids.workload, c, region));
  }
  return { app, central, workload };
}

export type { Stack };
