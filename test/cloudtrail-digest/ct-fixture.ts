import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ObjectStore } from '../../src/core/object-store.js';

export const BUCKET = 'ct-audit-bucket';
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-2';
export const TRAIL = 'example_trail';
export const T0 = Date.parse('2026-11-01T00:01:31Z');
export const HOUR = 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const stamp = (ms: number) => iso(ms).replace(/[-:]/g, '');
const ymd = (ms: number) => iso(ms).slice(0, 10).replace(/-/g, '/');

/** Key of the digest ending at hour index h (h = 0 … n − 1). */
export function ctDigestKey(h: number): string {
  const end = T0 + (h + 1) * HOUR;
  return `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${ymd(end)}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${stamp(end)}.json.gz`;
}

/** Writes objects either as files in a bucket mirror (signature in a `.sig.json` sidecar) or to a store (metadata). */
export type Put = (key: string, body: Buffer, metadata?: Record<string, string>) => Promise<void>;

export function dirPut(root: string): Put {
  return async (key, body, metadata) => {
    const p = join(root, ...key.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, body);
    if (metadata) await writeFile(p + '.sig.json', JSON.stringify(metadata));
  };
}

export function storePut(store: ObjectStore, prefix = ''): Put {
  return async (key, body, metadata) => {
    await store.put(key.slice(prefix.length), body, metadata ? { metadata } : {});
  };
}

export interface Trail {
  privateKey: KeyObject;
  /** `aws cloudtrail list-public-keys` output. */
  publicKeysJson: string;
  fingerprint: string;
  digests: string[];
  logs: string[][];
}

/**
 * Builds `hours` hourly digests exactly as CloudTrail does (formats.md Part C): log files gzipped, digest JSON
 * gzipped, SHA256withRSA over `digestEndTime\nbucket/key\nhex(sha256(inflated digest))\nprevSignature|null`,
 * hash of the *uncompressed* previous digest; hour indices in `emptyHours` get empty digests.
 */
export async function buildTrail(put: Put, opts: { hours?: number; emptyHours?: number[]; keyEncoding?: 'pkcs1' | 'spki'; prefix?: string } = {}): Promise<Trail> {
  const hours = opts.hours ?? 6;
  const prefix = opts.prefix ?? '';
  const empty = new Set(opts.emptyHours ?? [2]);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: opts.keyEncoding ?? 'pkcs1', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex');
  const publicKeysJson = JSON.stringify({
    PublicKeyList: [{ Value: der.toString('base64'), ValidityStartTime: '2026-10-01T00:00:00Z', ValidityEndTime: '2027-01-01T00:00:00Z', Fingerprint: fingerprint }],
  });
  let prev: { key: string; hash: string; sig: string } | null = null;
  const digests: string[] = [];
  const logs: string[][] = [];
  for (let h = 0; h < hours; h++) {
    const start = T0 + h * HOUR;
    const end = start + HOUR;
    const logFiles: Record<string, unknown>[] = [];
    logs.push([]);
    if (!empty.has(h)) {
      for (let i = 0; i < 2; i++) {
        const t = start + (i + 1) * 600_000;
        const key = `${prefix}AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${ymd(t)}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(t).slice(0, 13)}Z_${randomBytes(8).toString('hex')}.json.gz`;
        const records = { Records: [{ eventVersion: '1.08', eventTime: iso(t - 60_000), eventSource: 'redshift.amazonaws.com', eventName: 'DescribeClusters', awsRegion: REGION, recipientAccountId: ACCOUNT }] };
        const raw = Buffer.from(JSON.stringify(records));
        await put(key, gzipSync(raw));
        logs[h].push(key);
        logFiles.push({ s3Bucket: BUCKET, s3Object: key, hashValue: createHash('sha256').update(raw).digest('hex'), hashAlgorithm: 'SHA-256', newestEventTime: iso(t - 60_000), oldestEventTime: iso(t - 60_000) });
      }
    }
    const key = prefix + ctDigestKey(h);
    const body: Record<string, unknown> & { digestEndTime: string } = {
      awsAccountId: ACCOUNT,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.length ? iso(start + 1_140_000) : null,
      oldestEventTime: logFiles.length ? iso(start + 540_000) : null,
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev?.key ?? null,
      previousDigestHashValue: prev?.hash ?? null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev?.sig ?? null,
      logFiles,
    };
    const json: Buffer = Buffer.from(JSON.stringify(body, null, 2));
    const hash: string = createHash('sha256').update(json).digest('hex');
    const toSign: string = `${body.digestEndTime}\n${BUCKET}/${key}\n${hash}\n${prev?.sig ?? 'null'}`;
    const sig: string = sign('RSA-SHA256', Buffer.from(toSign), privateKey).toString('hex');
    await put(key, gzipSync(json), { signature: sig, 'signature-algorithm': 'SHA256withRSA' });
    digests.push(key);
    prev = { key, hash, sig };
  }
  return { privateKey, publicKeysJson, fingerprint, digests, logs };
}
