import { resolve } from 'node:path';
import { AuditlakeError } from './errors.js';

/**
 * All state lives under one home. Precedence: `--home` flag > AUDITLAKE_HOME > ./.auditlake.
 * Sub-directories are fixed here so every component agrees on them.
 *
 * A home may also be an S3 location (`s3://bucket/prefix`): the vault is then used in place through the S3 object
 * store, and the rest (lake, state, keys, quarantine) is a working copy in a private temp directory that the edge
 * which opened it (src/aws/s3-home) pulls before and pushes after the command, with conditional writes.
 */
export interface HomeLayout {
  root: string;
  /** Parquet lake (Hive-partitioned) and its manifest. */
  lake: string;
  /** Ingest state: which source objects are done. */
  state: string;
  /** Malformed records with file, line and reason. */
  quarantine: string;
  /** Encrypted evidence copies (vault) and digests: a directory, or an `s3://` location for an S3 home. */
  vault: string;
  /** Key material of the local keyring. */
  keys: string;
  /** Collector write-ahead buffers. */
  buffer: string;
  /** Scratch space for temporary files (same filesystem as the lake, so renames are atomic). */
  tmp: string;
  /** The `s3://bucket/prefix` this home is a working copy of (unset for a local home). */
  remote?: string;
}

/** Working copies of remote homes opened in this process: normalised URL → local directory. */
const remoteHomes = new Map<string, string>();

export const normaliseRemote = (url: string) => url.replace(/\/+$/, '');

/** Called by the edge that pulled a remote home (src/aws/s3-home) so resolveHome() finds its working copy. */
export function registerRemoteHome(url: string, localRoot: string): void {
  remoteHomes.set(normaliseRemote(url), localRoot);
}

export function unregisterRemoteHome(url: string): void {
  remoteHomes.delete(normaliseRemote(url));
}

export const isRemoteHome = (location: string | undefined): location is string => !!location && /^s3:\/\//.test(location);

function layoutAt(root: string, vault: string): HomeLayout {
  return {
    root,
    lake: resolve(root, 'lake'),
    state: resolve(root, 'state'),
    quarantine: resolve(root, 'quarantine'),
    vault,
    keys: resolve(root, 'keys'),
    buffer: resolve(root, 'buffer'),
    tmp: resolve(root, 'tmp'),
  };
}

export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): HomeLayout {
  const loc = flag ?? env.AUDITLAKE_HOME ?? '.auditlake';
  if (isRemoteHome(loc)) {
    const url = normaliseRemote(loc);
    const local = remoteHomes.get(url);
    if (!local) throw new AuditlakeError('E_USAGE', `home: ${url} is an S3 home that has not been opened in this process (the CLI opens it before the command runs; library callers use openS3Home from src/aws/s3-home)`);
    return { ...layoutAt(local, `${url}/vault`), remote: url };
  }
  const root = resolve(loc);
  return layoutAt(root, resolve(root, 'vault'));
}
