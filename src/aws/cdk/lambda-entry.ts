import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { AuditlakeError } from '../../core/errors.js';
import { suppress } from './nag.js';

/** The package root (holds package.json): src/aws/cdk/ under tsx, dist/src/aws/cdk/ when compiled. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

/**
 * Where a handler's source is: `src/aws/lambda/<name>/<file>.ts` in a checkout, the compiled
 * `dist/src/aws/lambda/<name>/<file>.js` in an installed package (which ships dist only). Null = not in this tree.
 */
export function handlerEntry(name: string, file = 'handler'): string | null {
  const root = packageRoot();
  for (const p of [join(root, 'src/aws/lambda', name, `${file}.ts`), join(root, 'dist/src/aws/lambda', name, `${file}.js`)]) {
    if (existsSync(p)) return p;
  }
  return null;
}

export interface AuditlakeFunctionProps {
  /** Directory under src/aws/lambda/. */
  name: string;
  /** File inside it (default `handler`). */
  file?: string;
  description: string;
  environment: Record<string, string>;
  memoryMb?: number;
  timeout?: Duration;
  /** Async invocations (schedules, EventBridge) get a DLQ; SQS- and Step-Functions-driven ones fail back to their caller. */
  asyncDlq?: sqs.IQueue;
  logRetention?: logs.RetentionDays;
  /** Ships DuckDB (native, not bundleable) next to the bundle: the lake-writing handlers. */
  duckdb?: boolean;
  /** A shared role (the enable steps); default: one role per function with only what its grants add. */
  role?: iam.IRole;
}

/**
 * A Node 22 Lambda bundled by CDK's NodejsFunction with the local esbuild (a dependency: no Docker at synth). It
 * bundles straight from the handler source, so synth needs no prior build step; `@aws-sdk/*` stays external
 * (the Node 22 runtime ships SDK v3) which keeps bundles small and synth fast. If a handler is not in this tree yet
 * (another issue delivers it), the function is deployed with code that fails every invocation loudly — its error
 * alarm fires — and synth says so as a warning: never a silent no-op.
 */
export function auditlakeFunction(scope: Construct, id: string, p: AuditlakeFunctionProps): lambda.Function {
  const fn = makeFunction(scope, id, p);
  suppress(fn, [{ id: 'AwsSolutions-L1', reason: 'Node 22 is the runtime the handlers are built and tested for (esbuild target node22); 24 once tested' }]);
  return fn;
}

function makeFunction(scope: Construct, id: string, p: AuditlakeFunctionProps): lambda.Function {
  // Operational logs only (no audit records): 30 days, AWS-managed encryption.
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: p.logRetention ?? logs.RetentionDays.ONE_MONTH });
  // Own role instead of CDK's default (which attaches the AWS-managed basic execution policy, logs:* on every group).
  const role = p.role ?? new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `auditlake ${p.name}${p.file ? `/${p.file}` : ''}` });
  logGroup.grantWrite(role);
  const common = {
    description: p.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    // x86_64: the DuckDB binding shipped with the lake handlers is the linux-x64 build.
    architecture: lambda.Architecture.X86_64,
    memorySize: p.memoryMb ?? 512,
    timeout: p.timeout ?? Duration.minutes(1),
    environment: p.environment,
    logGroup,
    role,
    deadLetterQueue: p.asyncDlq,
  };
  const entry = handlerEntry(p.name, p.file);
  if (!entry) {
    Annotations.of(scope).addWarningV2(`auditlake:missing-handler:${p.name}`, `src/aws/lambda/${p.name}/${p.file ?? 'handler'}.ts is not in this tree: ${id} is deployed failing every invocation until it is`);
    return new lambda.Function(scope, id, {
      ...common,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => { const err = new Error('auditlake: handler ${p.name} is not part of this build; redeploy from a release that has src/aws/lambda/${p.name}'); err.code = 'E_NOT_BUILT'; throw err; };`),
    });
  }
  const root = packageRoot();
  const lock = existsSync(join(root, 'package-lock.json')) ? join(root, 'package-lock.json') : join(root, 'package.json');
  return new NodejsFunction(scope, id, {
    ...common,
    entry,
    handler: 'handler',
    depsLockFilePath: lock,
    projectRoot: root,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      externalModules: ['@aws-sdk/*', ...(p.duckdb ? DUCKDB_PACKAGES : [])],
      ...(p.duckdb ? { commandHooks: copyDuckdb(root) } : {}),
      minify: true,
      sourceMap: true,
      // ESM bundles of CommonJS dependencies still call require(): give them one.
      banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
}

/** The DuckDB packages a lake handler loads at run time (scripts/build-lambda.mjs keeps the same ones external). */
export const DUCKDB_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64'];

/**
 * DuckDB is a native addon: it cannot be bundled, and `nodeModules` would run npm install at synth (network). The
 * installed packages are copied next to the bundle instead — offline — which needs the linux-x64 binding here.
 */
function copyDuckdb(root: string) {
  for (const p of DUCKDB_PACKAGES) {
    if (!existsSync(join(root, 'node_modules', p, 'package.json'))) {
      throw new AuditlakeError('E_USAGE', `aws synth: ${p} is not installed in ${root}/node_modules; the lake handlers ship it to Lambda (linux x86_64). Run: npm install --os=linux --cpu=x64 ${p}`);
    }
  }
  const copy = (out: string) => [`mkdir -p "${out}/node_modules/@duckdb"`, ...DUCKDB_PACKAGES.map((p) => `cp -R "${join(root, 'node_modules', p)}" "${out}/node_modules/@duckdb/"`)];
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_in: string, out: string) => copy(out),
  };
}

/** A queue with its own DLQ (after `maxReceiveCount` failures), KMS-encrypted and TLS-only. */
export function queueWithDlq(scope: Construct, id: string, key: kms.IKey, visibilityTimeout: Duration, maxReceiveCount = 5): { queue: sqs.Queue; dlq: sqs.Queue } {
  const dlq = new sqs.Queue(scope, `${id}Dlq`, { encryptionMasterKey: key, encryption: sqs.QueueEncryption.KMS, enforceSSL: true, retentionPeriod: Duration.days(14) });
  suppress(dlq, [{ id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue (its depth is alarmed)' }]);
  const queue = new sqs.Queue(scope, id, {
    encryptionMasterKey: key,
    encryption: sqs.QueueEncryption.KMS,
    enforceSSL: true,
    visibilityTimeout,
    retentionPeriod: Duration.days(14),
    deadLetterQueue: { queue: dlq, maxReceiveCount },
  });
  return { queue, dlq };
}
