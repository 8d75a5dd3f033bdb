import { resolve } from 'node:path';

/**
 * All state lives under one home directory. Precedence: `--home` flag > AUDITLAKE_HOME > ./.auditlake.
 * Sub-directories are fixed here so every component agrees on them.
 */
export interface HomeLayout {
  root: string;
  /** Parquet lake (Hive-partitioned) and its manifest. */
  lake: string;
  /** Ingest state: which source objects are done. */
  state: string;
  /** Malformed records with file, line and reason. */
  quarantine: string;
  /** Encrypted evidence copies (vault) and digests. */
  vault: string;
  /** Key material of the local keyring. */
  keys: string;
  /** Collector write-ahead buffers. */
  buffer: string;
  /** Scratch space for temporary files (same filesystem as the lake, so renames are atomic). */
  tmp: string;
}

export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): HomeLayout {
  const root = resolve(flag ?? env.AUDITLAKE_HOME ?? '.auditlake');
  return {
    root,
    lake: resolve(root, 'lake'),
    state: resolve(root, 'state'),
    quarantine: resolve(root, 'quarantine'),
    vault: resolve(root, 'vault'),
    keys: resolve(root, 'keys'),
    buffer: resolve(root, 'buffer'),
    tmp: resolve(root, 'tmp'),
  };
}
