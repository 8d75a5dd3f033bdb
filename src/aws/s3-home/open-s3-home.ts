import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseRemote, registerRemoteHome, resolveHome, unregisterRemoteHome, type HomeLayout } from '../../core/home.js';
import { openStore } from '../../stores/open-store.js';
import type { ServerSideEncryption } from '../../core/object-store.js';
import { adoptIncoming } from '../lake-incoming.js';
import { acquireHomeLease, type HomeLease, type LeaseOptions } from './home-lock.js';
import { pull, push, type PushResult } from './working-copy.js';

export interface S3HomeOptions {
  /** For the lease holder's record (`auditlake ingest`). */
  command: string;
  /** A writing command takes the home's lease and pushes its changes; a reading one does neither. */
  write: boolean;
  /** S3 endpoint/region/credentials (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** SSE for everything written to the home (default: the bucket's default encryption). */
  sse?: ServerSideEncryption;
  lease?: Partial<Omit<LeaseOptions, 'command'>>;
  /** Where the private working copy goes (default the OS temp dir; never the current directory). */
  tmpRoot?: string;
  /** Read-only commands answered elsewhere (`--engine athena`) need no copy of the lake. */
  skipLake?: boolean;
}

export interface OpenedS3Home {
  url: string;
  home: HomeLayout;
  /** Pushes the changes (writing commands, when `push`), then removes the working copy and releases the lease. */
  close(opts: { push: boolean }): Promise<PushResult | null>;
}

/**
 * Opens `s3://bucket/prefix` as a home: the vault is used in place through the S3 store; lake, state, keys and
 * quarantine are pulled into a private temp directory (mode 0700) that every component works on as usual, and
 * pushed back with conditional writes when the command succeeded. Writers hold the home's lease for the whole
 * command (two writers never interleave; the second waits), and first adopt the lake fragments Lambda handlers
 * left (src/aws/lake-incoming.ts). Nothing of the home stays on local disk after close().
 */
export async function openS3Home(location: string, opts: S3HomeOptions): Promise<OpenedS3Home> {
  const url = normaliseRemote(location);
  const env = opts.env ?? process.env;
  const store = openStore(url, { env, ...(opts.sse ? { sse: opts.sse } : {}) });
  let lease: HomeLease | undefined;
  let local: string | undefined;
  try {
    if (opts.write) {
      lease = await acquireHomeLease(store, { command: opts.command, ...opts.lease });
      await adoptIncoming(store);
    }
    local = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'auditlake-home-'));
    await chmod(local, 0o700);
    const index = await pull(store, local, opts.skipLake && !opts.write ? (k) => !k.startsWith('lake/') : undefined);
    registerRemoteHome(url, local);
    const dir = local;
    const held = lease;
    let closed = false;
    return {
      url,
      home: resolveHome(url, env),
      async close({ push: doPush }) {
        if (closed) return null;
        closed = true;
        try {
          if (!doPush || !held) return null;
          await held.assertHeld();
          return await push(store, dir, index);
        } finally {
          unregisterRemoteHome(url);
          await rm(dir, { recursive: true, force: true });
          await held?.release().catch(() => undefined);
        }
      },
    };
  } catch (err) {
    if (local) await rm(local, { recursive: true, force: true });
    await lease?.release().catch(() => undefined);
    throw err;
  }
}
