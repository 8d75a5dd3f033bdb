import { randomBytes, randomUUID } from 'node:crypto';
import { AuditlakeError } from '../../core/errors.js';
import { ALIAS_RE, type CreateKeyOptions, type KeyInfo } from '../../core/keyring.js';

/** The decrypted content of the local keyring file: keys (each with its versions), aliases and the default. */
export interface KeyVersion { material: string; createdAt: string }
export interface KeyRecord { id: string; description: string; createdAt: string; enabled: boolean; versions: KeyVersion[] }
export interface KeyringState { keys: KeyRecord[]; aliases: Record<string, string>; defaultKey: string | null }

export const emptyKeyringState = (): KeyringState => ({ keys: [], aliases: {}, defaultKey: null });

/** The key named by id or `alias/NAME`; `forObject` adds which object asked (for the error). */
export function findKey(s: KeyringState, name: string, file: string, forObject = ''): KeyRecord {
  const id = name.startsWith('alias/') ? s.aliases[name] : name;
  const rec = id ? s.keys.find((k) => k.id === id) : undefined;
  if (!rec) throw new AuditlakeError('E_KEY', `keyring: no key ${JSON.stringify(name)} in ${file}${forObject}`);
  return rec;
}

export function usableKey(s: KeyringState, rec: KeyRecord, forObject: string): KeyRecord {
  if (!rec.enabled) throw new AuditlakeError('E_KEY', `keyring: key ${keyLabel(s, rec)} is disabled${forObject}; enable it with: auditlake keys enable ${rec.id}`);
  return rec;
}

const aliasesOf = (s: KeyringState, rec: KeyRecord) => Object.keys(s.aliases).filter((a) => s.aliases[a] === rec.id);

function keyLabel(s: KeyringState, rec: KeyRecord): string {
  const al = aliasesOf(s, rec);
  return al.length ? `${rec.id} (${al.join(', ')})` : rec.id;
}

export function keyInfo(s: KeyringState, rec: KeyRecord): KeyInfo {
  return {
    keyId: rec.id,
    aliases: aliasesOf(s, rec).sort(),
    description: rec.description,
    enabled: rec.enabled,
    createdAt: rec.createdAt,
    versions: rec.versions.length,
    isDefault: s.defaultKey === rec.id,
  };
}

export function assertAlias(alias: string | undefined): void {
  if (alias !== undefined && !ALIAS_RE.test(alias)) throw new AuditlakeError('E_USAGE', `keyring: alias ${JSON.stringify(alias)} must look like alias/NAME (letters, digits, / _ -)`);
}

/** Adds a new key with one fresh version (the first key, or `makeDefault`, becomes the default). */
export function addKey(s: KeyringState, o: CreateKeyOptions): KeyInfo {
  if (o.alias && s.aliases[o.alias]) throw new AuditlakeError('E_EXISTS', `keyring: alias ${o.alias} already names key ${s.aliases[o.alias]}`);
  const now = new Date().toISOString();
  const rec: KeyRecord = { id: `lk-${randomUUID()}`, description: o.description ?? '', createdAt: now, enabled: true, versions: [newVersion()] };
  s.keys.push(rec);
  if (o.alias) s.aliases[o.alias] = rec.id;
  if (!s.defaultKey || o.makeDefault) s.defaultKey = rec.id;
  return keyInfo(s, rec);
}

export const newVersion = (): KeyVersion => ({ material: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() });
