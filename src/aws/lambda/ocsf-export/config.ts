import { AuditlakeError } from '../../../core/errors.js';
import { parseTime } from '../../../core/duration.js';
import { COMMON_ENV, type EnvVarDoc } from '../shared/env-doc.js';
import { readRuntimeConfig, type RuntimeConfig } from '../shared/runtime-config.js';

/** Handler name: source `src/aws/lambda/ocsf-export/handler.ts` (export `handler`), bundle `dist/lambda/ocsf-export/index.mjs`. */
export const NAME = 'ocsf-export';

/**
 * Exports what is new in the S3 home's lake as OCSF 1.3.0 to the Amazon Security Lake custom sources (one per
 * class). Any trigger only says "look now": the work is derived from the lake manifest and the export state kept
 * under <AUDITLAKE_HOME>/state/ocsf-export/, so redeliveries and overlapping triggers export nothing twice.
 */
export const TRIGGER = 'EventBridge schedule, e.g. rate(1 hour), and/or EventBridge "Object Created" on <home>/lake/_auditlake_manifest.json (lake commit); reserved concurrency 1; timeout 15 min; ephemeral storage ≥ 2 GB';

/** The OCSF classes auditlake emits, each a Security Lake custom source of its own. */
export const OCSF_CLASS_UIDS = [3001, 3002, 6003, 6005] as const;

const OCSF_ENV = [
  ...OCSF_CLASS_UIDS.map((uid) => ({
    name: `AUDITLAKE_OCSF_LOCATION_${uid}`, required: false,
    description: `Security Lake custom-source location of OCSF class ${uid} (CreateCustomLogSource's source.provider.location); objects go to <location>region=…/accountId=…/eventDay=…/. Without it, class ${uid} goes to AUDITLAKE_OCSF_OUT.`,
    example: `s3://aws-security-data-lake-us-east-1-abcdef/ext/auditlake-${uid}/1.0/`,
  })),
  { name: 'AUDITLAKE_OCSF_OUT', required: false, description: 'Root for every class without its own location, in the layout of `auditlake export ocsf --out` (<root>/ext/<source>/region=…/…). Required unless all four AUDITLAKE_OCSF_LOCATION_<class> are set.', example: 's3://acme-siem-feed/ocsf' },
  { name: 'AUDITLAKE_OCSF_FORMAT', required: false, description: 'parquet (default; zstd, what Security Lake accepts) or jsonl (JSON lines for another SIEM).', example: 'parquet' },
  { name: 'AUDITLAKE_OCSF_SINCE', required: false, description: 'Never export events before this ISO date/time (e.g. to start a new Security Lake without the lake\'s history).', example: '2026-11-01' },
  { name: 'AUDITLAKE_OCSF_RESERVE_SECONDS', required: false, description: 'Start no new lake partition when less than this much Lambda time is left (default 180); the rest is exported by the next invocation.', example: '180' },
] as const satisfies readonly EnvVarDoc[];

/** Environment variables this handler reads (the CDK app sets them). */
export const ENV: readonly EnvVarDoc[] = [...COMMON_ENV, ...OCSF_ENV];

export interface Config extends RuntimeConfig {
  /** Class uid → its custom-source location (`s3://bucket/prefix/`). */
  locations: Partial<Record<(typeof OCSF_CLASS_UIDS)[number], string>>;
  /** Root for classes without a location, or null when every class has one. */
  out: string | null;
  format: 'parquet' | 'jsonl';
  sinceMs: number | null;
  reserveSeconds: number;
}

function s3Url(name: string, v: string): string {
  if (!/^s3:\/\/[^/]+/.test(v)) throw new AuditlakeError('E_USAGE', `lambda config: ${name}=${v} must be an s3:// location`);
  return v.replace(/\/+$/, '') + '/';
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const locations: Config['locations'] = {};
  for (const uid of OCSF_CLASS_UIDS) {
    const v = env[`AUDITLAKE_OCSF_LOCATION_${uid}`];
    if (v) locations[uid] = s3Url(`AUDITLAKE_OCSF_LOCATION_${uid}`, v);
  }
  const out = env.AUDITLAKE_OCSF_OUT ? s3Url('AUDITLAKE_OCSF_OUT', env.AUDITLAKE_OCSF_OUT) : null;
  const missing = OCSF_CLASS_UIDS.filter((u) => !locations[u]);
  if (!out && missing.length) {
    throw new AuditlakeError('E_USAGE', `lambda config: no destination for OCSF class ${missing.join(', ')}: set AUDITLAKE_OCSF_LOCATION_${missing[0]} (the Security Lake custom source's location) or AUDITLAKE_OCSF_OUT (a root for every class)`);
  }
  const format = (env.AUDITLAKE_OCSF_FORMAT || 'parquet').toLowerCase();
  if (format !== 'parquet' && format !== 'jsonl') throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_OCSF_FORMAT=${JSON.stringify(env.AUDITLAKE_OCSF_FORMAT)} must be parquet or jsonl`);
  const sinceMs = env.AUDITLAKE_OCSF_SINCE ? parseTime(env.AUDITLAKE_OCSF_SINCE, 'lambda config: AUDITLAKE_OCSF_SINCE') : null;
  const reserve = env.AUDITLAKE_OCSF_RESERVE_SECONDS ? Number(env.AUDITLAKE_OCSF_RESERVE_SECONDS) : 180;
  if (!Number.isInteger(reserve) || reserve < 0) throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_OCSF_RESERVE_SECONDS=${JSON.stringify(env.AUDITLAKE_OCSF_RESERVE_SECONDS)} must be a whole number of seconds ≥ 0`);
  return { ...readRuntimeConfig(env), locations, out, format, sinceMs, reserveSeconds: reserve };
}
