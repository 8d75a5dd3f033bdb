import { dirname, isAbsolute, resolve } from 'node:path';
import { parseYaml, readConfigText, rejectUnknownKeys } from './yaml-file.js';
import { AuditlakeError } from '../core/errors.js';

/** One database the fleet file names (or discovery found). */
export interface FleetDatabase {
  name: string;
  /** postgres://… or mariadb://… (without password: see passwordEnv). */
  url: string;
  /** Environment variable holding the password, so it never sits in the fleet file. */
  passwordEnv?: string;
  /** The audit log the collector tails (absent: enable + drift/silence checks only, e.g. RDS via Firehose). */
  log?: string;
  format?: 'csvlog' | 'jsonlog';
  /** MariaDB: server_audit_file_path to set. */
  auditFile?: string;
  pgauditLog?: string;
  /** Alert when no audit record arrived for this long (default: fleet silenceMinutes). */
  silenceMinutes?: number;
  /** Set by RDS discovery: the instance, so the parameter/option group is enabled through the API first. */
  rds?: { instanceId: string; region: string };
}

export interface DiscoveryRule {
  type: 'rds' | 'redshift';
  region: string;
  /** rds: URL template for discovered instances: `{engine}`, `{endpoint}`, `{port}`, `{id}`. */
  urlTemplate?: string;
  passwordEnv?: string;
  /** redshift: S3 bucket for EnableLogging (else CloudWatch). */
  bucket?: string;
}

export interface FleetConfig {
  databases: FleetDatabase[];
  discovery: DiscoveryRule[];
  /** Seconds between drift checks of every database. */
  driftCheckSeconds: number;
  silenceMinutes: number;
  webhook?: string;
  retry: { attempts: number; baseMs: number; maxMs: number };
  /** Seconds between fleet-file re-reads / discovery polls. */
  pollSeconds: number;
}

const TOP = new Set(['databases', 'discovery', 'driftCheckSeconds', 'silenceMinutes', 'webhook', 'retry', 'pollSeconds']);
const DB = new Set(['name', 'url', 'passwordEnv', 'log', 'format', 'auditFile', 'pgauditLog', 'silenceMinutes']);
const DISC = new Set(['type', 'region', 'urlTemplate', 'passwordEnv', 'bucket']);
const RETRY = new Set(['attempts', 'baseMs', 'maxMs']);

function check(where: string, o: unknown, allowed: Set<string>): Record<string, unknown> {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new AuditlakeError('E_USAGE', `fleet ${where}: expected a mapping`);
  rejectUnknownKeys(`fleet ${where}`, o, allowed);
  return o as Record<string, unknown>;
}

export function parseFleetConfig(text: string, file = '<fleet>'): FleetConfig {
  const doc = parseYaml(text, `fleet ${file}`);
  const d = check(file, doc ?? {}, TOP);
  const base = file === '<fleet>' ? process.cwd() : dirname(resolve(file));
  const names = new Set<string>();
  const databases = ((d.databases ?? []) as unknown[]).map((x, i) => {
    const o = check(`${file} databases[${i}]`, x, DB);
    const name = String(o.name ?? '');
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new AuditlakeError('E_USAGE', `fleet ${file} databases[${i}]: "name" must be [A-Za-z0-9_.-]+`);
    if (names.has(name)) throw new AuditlakeError('E_USAGE', `fleet ${file} databases[${i}]: duplicate name "${name}"`);
    names.add(name);
    const url = String(o.url ?? '');
    if (!/^(postgres(ql)?|mariadb|mysql):\/\//.test(url)) throw new AuditlakeError('E_USAGE', `fleet ${file} databases[${i}] (${name}): "url" must be postgres:// or mariadb://`);
    if (/^[a-z]+:\/\/[^/@]*:[^/@]+@/.test(url)) throw new AuditlakeError('E_USAGE', `fleet ${file} databases[${i}] (${name}): put the password in an environment variable (passwordEnv), not in the fleet file`);
    const log = o.log === undefined ? undefined : String(o.log);
    return {
      name, url,
      passwordEnv: o.passwordEnv === undefined ? undefined : String(o.passwordEnv),
      log: log && !isAbsolute(log) ? resolve(base, log) : log,
      format: (o.format as FleetDatabase['format']) ?? undefined,
      auditFile: o.auditFile === undefined ? undefined : String(o.auditFile),
      pgauditLog: o.pgauditLog === undefined ? undefined : String(o.pgauditLog),
      silenceMinutes: o.silenceMinutes === undefined ? undefined : Number(o.silenceMinutes),
    } satisfies FleetDatabase;
  });
  const discovery = ((d.discovery ?? []) as unknown[]).map((x, i) => {
    const o = check(`${file} discovery[${i}]`, x, DISC);
    if (o.type !== 'rds' && o.type !== 'redshift') throw new AuditlakeError('E_USAGE', `fleet ${file} discovery[${i}]: "type" must be rds or redshift`);
    if (!o.region) throw new AuditlakeError('E_USAGE', `fleet ${file} discovery[${i}]: "region" is required`);
    return { type: o.type, region: String(o.region), urlTemplate: o.urlTemplate as string | undefined, passwordEnv: o.passwordEnv as string | undefined, bucket: o.bucket as string | undefined } satisfies DiscoveryRule;
  });
  const r = check(`${file} retry`, d.retry ?? {}, RETRY);
  return {
    databases, discovery,
    driftCheckSeconds: Number(d.driftCheckSeconds ?? 300),
    silenceMinutes: Number(d.silenceMinutes ?? 60),
    webhook: d.webhook === undefined ? undefined : String(d.webhook),
    retry: { attempts: Number(r.attempts ?? 6), baseMs: Number(r.baseMs ?? 1000), maxMs: Number(r.maxMs ?? 60_000) },
    pollSeconds: Number(d.pollSeconds ?? 30),
  };
}

export function loadFleetConfig(file: string): FleetConfig {
  return parseFleetConfig(readConfigText(file, `fleet ${file}`), file);
}
