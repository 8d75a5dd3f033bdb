import { AuditlakeError } from '../core/errors.js';

/**
 * Object keys are `/`-separated and relative. Drivers that map keys to paths (fs) must never
 * let a key escape the root, so every driver validates with the same rule.
 */
export function assertValidKey(component: string, key: string): void {
  const bad =
    key.length === 0 ||
    key.startsWith('/') ||
    key.endsWith('/') ||
    key.includes('\0') ||
    key.includes('\\') ||
    key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad) throw new AuditlakeError('E_USAGE', `${component}: invalid object key ${JSON.stringify(key)} (must be relative, '/'-separated, without empty, '.' or '..' segments)`);
}
