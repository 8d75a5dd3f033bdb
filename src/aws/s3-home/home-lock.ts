import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuditlakeError, hasErrorCode } from '../../core/errors.js';
import { readAll } from '../../stores/read-all.js';
import type { ObjectStore } from '../../core/object-store.js';

/** The writer lease of an S3 home (one object at the home's root). */
export const LOCK_KEY = 'state/home.lock';

interface LeaseBody { owner: string; host: string; pid: number; command: string; acquiredAt: string; expiresAt: string }

export interface HomeLease {
  readonly owner: string;
  /** False once another writer has taken the lease over (ours expired): pushing must then be refused. */
  held(): boolean;
  /** Throws E_CONFLICT unless the lease is still ours (checked against the store, not just locally). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

export interface LeaseOptions {
  command: string;
  /** Lease length; renewed every third of it while held. Default 5 min. */
  ttlMs?: number;
  /** How long to wait for another writer to finish. Default 2 min. */
  waitMs?: number;
  now?: () => number;
  /** Pause between writing the lease and reading it back (default 250 ms). */
  settleMs?: number;
}

/**
 * A lease on the home, made of conditional writes only: acquire = put-if-absent (If-None-Match: *), renew and
 * take-over of an expired lease = replace with If-Match on the etag read, release = delete after checking the etag
 * is still ours. Two writers can never both hold it: the loser of either race gets E_EXISTS / E_CONFLICT and
 * retries (waits with jitter) until the holder releases or its lease expires (a crashed writer).
 */
export async function acquireHomeLease(store: ObjectStore, opts: LeaseOptions): Promise<HomeLease> {
  const ttl = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const owner = randomUUID();
  const body = (): Buffer => {
    const t = now();
    const b: LeaseBody = { owner, host: hostname(), pid: process.pid, command: opts.command, acquiredAt: new Date(t).toISOString(), expiresAt: new Date(t + ttl).toISOString() };
    return Buffer.from(JSON.stringify(b));
  };
  const deadline = now() + (opts.waitMs ?? 120_000);
  let etag: string | undefined;
  let holder: LeaseBody | undefined;
  for (let attempt = 0; !etag; attempt++) {
    try {
      const put = await store.put(LOCK_KEY, body(), { contentType: 'application/json' });
      // S3 makes the put atomic (If-None-Match); servers that ignore the header (s3rver) let two racing puts both
      // "succeed". Read back after a moment: only the writer whose lease is there goes on, the other keeps waiting.
      await new Promise((r: (v?: unknown) => void) => setTimeout(r, opts.settleMs ?? 250));
      if ((await readLease(store).catch(() => undefined))?.owner === owner) {
        etag = put.etag;
        break;
      }
    } catch (err) {
      if (!hasErrorCode(err, 'E_EXISTS')) throw err;
    }
    const cur = await store.head(LOCK_KEY);
    if (!cur) continue; // released between our put and head: try again at once
    holder = await readLease(store).catch(() => undefined);
    if (!holder || Date.parse(holder.expiresAt) < now()) {
      try {
        etag = (await store.replace(LOCK_KEY, body(), { ifMatch: cur.etag, contentType: 'application/json' })).etag;
        break;
      } catch (err) {
        if (!hasErrorCode(err, 'E_CONFLICT') && !hasErrorCode(err, 'E_NOT_FOUND')) throw err;
        continue; // someone else took it over first
      }
    }
    if (now() >= deadline) {
      throw new AuditlakeError('E_TIMEOUT', `s3 home: ${store.url} is locked by ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}, lease until ${holder.expiresAt}); try again later`);
    }
    await new Promise((r: (v?: unknown) => void) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random())));
  }
  let lost = false;
  const timer = setInterval(() => {
    if (!etag || lost) return;
    store.replace(LOCK_KEY, body(), { ifMatch: etag, contentType: 'application/json' }).then(
      (r) => { etag = r.etag; },
      () => { lost = true; },
    );
  }, Math.max(1000, Math.floor(ttl / 3)));
  timer.unref();
  return {
    owner,
    held: () => !lost,
    async assertHeld() {
      const cur = await store.head(LOCK_KEY);
      if (lost || !cur || cur.etag !== etag) {
        lost = true;
        throw new AuditlakeError('E_CONFLICT', `s3 home: the writer lease on ${store.url} was lost (it expired and another writer took it over); nothing of this command was pushed — run it again`);
      }
    },
    async release() {
      clearInterval(timer);
      const cur = await store.head(LOCK_KEY);
      if (cur && cur.etag === etag) await store.delete(LOCK_KEY);
    },
  };
}

async function readLease(store: ObjectStore): Promise<LeaseBody> {
  return JSON.parse((await readAll(await store.get(LOCK_KEY))).toString('utf8')) as LeaseBody;
}
