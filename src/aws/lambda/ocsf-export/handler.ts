/**
 * OCSF export to Amazon Security Lake (issue 16). Environment (set by the CDK app; names and meaning in ./config.ts):
 *   AUDITLAKE_HOME, AUDITLAKE_KMS_KEY (+ the other COMMON_ENV), AUDITLAKE_OCSF_LOCATION_3001 / _3002 / _6003 / _6005
 *   (each custom source's provider location), AUDITLAKE_OCSF_OUT (root for classes without one), AUDITLAKE_OCSF_FORMAT,
 *   AUDITLAKE_OCSF_SINCE, AUDITLAKE_OCSF_RESERVE_SECONDS.
 * Trigger: EventBridge schedule and/or "Object Created" on <home>/lake/_auditlake_manifest.json; reserved concurrency 1.
 * Needs: s3:GetObject/ListBucket on the home, s3:PutObject/DeleteObject on <home>/state/ocsf-export/*, s3:PutObject
 * on the custom-source locations, kms:Decrypt/GenerateDataKey on AUDITLAKE_KMS_KEY.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { exportOcsf, type ExportSummary } from '../../../export/ocsf/index.js';
import { openStore } from '../../../stores/open-store.js';
import { adoptIncoming } from '../../lake-incoming.js';
import { createRuntime, type Runtime, type RuntimeDeps } from '../shared/runtime.js';
import { logLine } from '../shared/sqs-batch.js';
import { NAME, readConfig, type Config } from './config.js';
import { createRemoteLake } from './remote-lake.js';
import { createRemoteState } from './remote-state.js';
import { classifyTrigger } from './trigger.js';

export interface OcsfExportReport {
  trigger: string;
  ran: boolean;
  /** Lake fragments of the ingest handlers adopted into the manifest before reading it. */
  adopted: number;
  summary?: ExportSummary;
}

/** Replaced by scripts/build-lambda.mjs with package.json's version; absent when running from tsc output (tests). */
declare const __AUDITLAKE_VERSION__: string | undefined;
/** The product version written into every event's metadata. */
const PRODUCT_VERSION = typeof __AUDITLAKE_VERSION__ === 'string' ? __AUDITLAKE_VERSION__ : '0.0.0-dev';

/** One key per destination set: changing a location or the format starts a fresh export state. */
export function destinationId(cfg: Config): string {
  return createHash('sha256').update(JSON.stringify({ l: cfg.locations, o: cfg.out, f: cfg.format })).digest('hex').slice(0, 16);
}

async function run(rt: Runtime, cfg: Config, env: NodeJS.ProcessEnv, remainingMs: () => number): Promise<{ adopted: number; summary: ExportSummary }> {
  const { adopted } = await adoptIncoming(rt.home);
  const work = join(rt.tmpRoot, `auditlake-ocsf-${randomBytes(6).toString('hex')}`);
  const lake = createRemoteLake(rt.home, join(work, 'lake'));
  const state = createRemoteState(openStore(`${cfg.home}/state/ocsf-export/${destinationId(cfg)}`, { env, sse: { mode: 'sse-kms', keyId: cfg.kmsKeyId } }), join(work, 'state'));
  // Security Lake owns its bucket's encryption: objects there take the bucket default, not our key.
  const stores = new Map<string, ReturnType<typeof openStore>>();
  const storeFor = (url: string) => stores.get(url) ?? stores.set(url, openStore(url, { env })).get(url)!;
  const fallback = cfg.out ? storeFor(cfg.out) : storeFor(Object.values(cfg.locations)[0]!);
  try {
    await lake.pullManifest();
    await state.pull();
    const summary = await exportOcsf({
      lakeRoot: lake.root, masterKey: null, store: fallback, stateDir: state.dir, tmpDir: join(work, 'tmp'), format: cfg.format,
      sinceMs: cfg.sinceMs, productVersion: PRODUCT_VERSION, threads: 2, memoryLimit: '512MB',
      locate: (cls) => {
        const loc = cfg.locations[cls.uid as keyof Config['locations']];
        return loc ? { store: storeFor(loc), prefix: '' } : { store: fallback, prefix: `ext/${cls.sourceName}/` };
      },
      beforePartition: async (p, files) => {
        await lake.fetch(files);
        await state.fetchIds((await state.state())?.partitions[p.path]?.ids);
      },
      afterPartition: async () => {
        await state.sync();
        await lake.dropAll();
      },
      shouldStop: () => remainingMs() < cfg.reserveSeconds * 1000,
    });
    return { adopted, summary };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Scheduled or lake-commit-triggered OCSF export of the S3 home's lake to the Security Lake custom sources:
 * incremental (per lake partition, per event id) and idempotent under at-least-once delivery (objects are named by
 * their events, the state is published with If-Match after each partition). A run that nears the Lambda time limit
 * stops between partitions and reports `partitionsLeft`; the next trigger continues.
 */
export function createHandler(deps: RuntimeDeps = {}): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<OcsfExportReport> {
  let rt: Runtime | undefined;
  let cfg: Config | undefined;
  return async (event, context) => {
    const env = deps.env ?? process.env;
    cfg ??= readConfig(env);
    rt ??= createRuntime(cfg, deps);
    const t = classifyTrigger(event);
    if (!t.run) {
      logLine(NAME, { status: 'skipped', reason: t.reason });
      return { trigger: t.reason, ran: false, adopted: 0 };
    }
    const remaining = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const { adopted, summary } = await run(rt, cfg, env, remaining);
    const report: OcsfExportReport = { trigger: t.reason, ran: true, adopted, summary };
    logLine(NAME, { status: 'report', ...report });
    return report;
  };
}

export const handler = createHandler();
