import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_TYPES } from '../core/event.js';
import { AuditlakeError } from '../core/errors.js';
import { writeFileAtomicAsync } from '../buffer/atomic-file.js';
import { parseDuration } from '../core/duration.js';
import { isFrameworkId } from './frameworks.js';
import type { RetentionConfig } from './types.js';

export const CONFIG_FILE = 'retention.json';

export function emptyConfig(): RetentionConfig {
  return { version: 1, framework: 'none', rules: [], holds: [] };
}

const RULE_KEYS = new Set(['account', 'logType', 'keep', 'lakeKeep', 'override', 'createdBy', 'createdAt']);
const HOLD_KEYS = new Set(['id', 'prefix', 'account', 'cluster', 'reason', 'by', 'createdAt']);

/** Validates a parsed config; unknown keys are rejected by name (a typo must not silently disable a hold). */
export function validateConfig(value: unknown, where: string): RetentionConfig {
  const fail = (field: string, why: string): never => {
    throw new AuditlakeError('E_USAGE', `retention: ${where}: ${field} ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('(root)', 'is not a JSON object');
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!['version', 'framework', 'rules', 'holds'].includes(k)) fail(k, 'is not a known key');
  if (v.version !== 1) fail('version', 'must be 1');
  if (typeof v.framework !== 'string' || !isFrameworkId(v.framework)) fail('framework', 'must be one of pci-dss, hipaa, gxp, none');
  if (!Array.isArray(v.rules)) fail('rules', 'must be an array');
  if (!Array.isArray(v.holds)) fail('holds', 'must be an array');
  (v.rules as Record<string, unknown>[]).forEach((r, i) => {
    for (const k of Object.keys(r ?? {})) if (!RULE_KEYS.has(k)) fail(`rules[${i}].${k}`, 'is not a known key');
    if (typeof r.account !== 'string' || !(r.account === '*' || /^[A-Za-z0-9-]+$/.test(r.account))) fail(`rules[${i}].account`, 'must be an account id or *');
    if (typeof r.logType !== 'string' || !(r.logType === '*' || (LOG_TYPES as readonly string[]).includes(r.logType))) fail(`rules[${i}].logType`, `must be ${LOG_TYPES.join(', ')} or *`);
    if (typeof r.keep !== 'string') fail(`rules[${i}].keep`, 'must be a duration like 180d');
    parseDuration(r.keep as string, `retention: ${where}: rules[${i}].keep`);
    if (r.lakeKeep !== undefined) parseDuration(String(r.lakeKeep), `retention: ${where}: rules[${i}].lakeKeep`);
  });
  (v.holds as Record<string, unknown>[]).forEach((h, i) => {
    for (const k of Object.keys(h ?? {})) if (!HOLD_KEYS.has(k)) fail(`holds[${i}].${k}`, 'is not a known key');
    if (typeof h.id !== 'string' || typeof h.reason !== 'string') fail(`holds[${i}]`, 'needs string id and reason');
    if (!h.prefix && !h.account && !h.cluster) fail(`holds[${i}]`, 'must name a prefix, account or cluster');
  });
  return v as unknown as RetentionConfig;
}

export async function loadConfig(homeRoot: string): Promise<RetentionConfig> {
  const path = join(homeRoot, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new AuditlakeError('E_IO', `retention: cannot read ${path}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `retention: ${path} is not JSON`, { cause: err });
  }
  return validateConfig(parsed, path);
}

/** Atomic replace (write temp, rename) so a crash never leaves a half-written policy. */
export async function saveConfig(homeRoot: string, config: RetentionConfig): Promise<void> {
  validateConfig(config, 'new configuration');
  await mkdir(homeRoot, { recursive: true });
  const path = join(homeRoot, CONFIG_FILE);
  await writeFileAtomicAsync(path, JSON.stringify(config, null, 2) + '\n');
}
