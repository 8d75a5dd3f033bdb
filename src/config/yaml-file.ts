import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AuditlakeError } from '../core/errors.js';

/**
 * The parts every YAML config (collect config, fleet file) reads the same way. `label` starts each message,
 * e.g. `collect config ./collect.yaml` or `fleet ./fleet.yaml databases[2]`.
 */

/** The file's text; E_IO naming the file when it cannot be read. */
export function readConfigText(file: string, label: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuditlakeError('E_IO', `${label}: cannot read: ${(err as Error).message}`, { cause: err });
  }
}

/** The parsed document; E_USAGE when it is not YAML. */
export function parseYaml(text: string, label: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    throw new AuditlakeError('E_USAGE', `${label}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
}

/** Rejects the first key not in `allowed`, by name (config keys are never silently ignored). */
export function rejectUnknownKeys(label: string, o: object, allowed: ReadonlySet<string>): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new AuditlakeError('E_USAGE', `${label}: unknown key "${k}" (allowed: ${[...allowed].join(', ')})`);
}
