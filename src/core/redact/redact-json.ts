import { redactSecrets } from './redact-secrets.js';
import { isRemovedMarker, isSecretKey } from './secret-keys.js';

export { isSecretKey };

/**
 * Deep copy of a JSON value with secrets removed: string values of secret-named members become
 * `'***'`, every other string goes through redactSecrets. Structure, numbers and booleans are kept,
 * so the result is still valid JSON. Returns the input itself when nothing changed (cheap for the
 * common case).
 */
export function redactJson<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redactSecrets(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = walk(x);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  let out: Record<string, unknown> | undefined;
  const src = v as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    const x = src[k];
    const y = typeof x === 'string' && isSecretKey(k) ? (isRemovedMarker(x) ? x : '***') : walk(x);
    if (y !== x) {
      out ??= { ...src };
      out[k] = y;
    }
  }
  return out ?? v;
}
