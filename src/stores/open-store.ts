import { fileURLToPath } from 'node:url';
import { AuditlakeError } from '../core/errors.js';
import { maskUrl } from '../core/mask-url.js';
import { createFsStore } from './drivers/fs.js';
import { createMemoryStore } from './drivers/memory.js';
import { createS3Store } from './drivers/s3.js';
import type { ObjectStore, ServerSideEncryption } from '../core/object-store.js';

export interface OpenStoreOptions {
  env?: NodeJS.ProcessEnv;
  sse?: ServerSideEncryption;
  /** Directories only: see FsStoreOptions. */
  followSymlinks?: boolean;
  onNotRegular?: (key: string, reason: string) => void;
}

/**
 * Picks the driver from a location string:
 * - `s3://bucket/prefix` → S3. Endpoint from AUDITLAKE_S3_ENDPOINT or AWS_ENDPOINT_URL_S3 (path-style
 *   addressing then, as s3rver/MinIO need), region from AWS_REGION / AWS_DEFAULT_REGION (default
 *   us-east-1), credentials from the SDK's default chain (never from the URL).
 * - `file:///dir` or a plain path → a directory.
 * - `memory://name` → a fresh in-memory store (tests).
 */
export function openStore(location: string, opts: OpenStoreOptions = {}): ObjectStore {
  const env = opts.env ?? process.env;
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new AuditlakeError('E_USAGE', `store: ${JSON.stringify(bucket)} in ${location} is not a valid S3 bucket name`);
    }
    const endpoint = env.AUDITLAKE_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || undefined;
    return createS3Store({
      bucket,
      prefix,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...(opts.sse ? { sse: opts.sse } : {}),
      // Same precedence as the SDK's own env provider, but read from `env` so callers (tests,
      // embedding) can point one store at other credentials without touching process.env.
      ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: env.AWS_ACCESS_KEY_ID,
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
              ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
            },
          }
        : {}),
    });
  }
  if (location.startsWith('memory://')) return createMemoryStore({ name: location.slice('memory://'.length) });
  const fsOpts = { ...(opts.followSymlinks ? { followSymlinks: true } : {}), ...(opts.onNotRegular ? { onNotRegular: opts.onNotRegular } : {}) };
  if (location.startsWith('file://')) return createFsStore({ root: fileURLToPath(location), ...fsOpts });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new AuditlakeError('E_USAGE', `store: unsupported location ${maskUrl(location)} (use a directory, file:// or s3://bucket/prefix)`);
  }
  return createFsStore({ root: location, ...fsOpts });
}
