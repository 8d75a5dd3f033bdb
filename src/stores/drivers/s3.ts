import { Readable, Transform } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { AuditlakeError } from '../../core/errors.js';
import { assertValidKey } from '../keys.js';
import type { ObjectInfo, ObjectStore, PutOptions, ReplaceOptions, ServerSideEncryption } from '../../core/object-store.js';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending with '/' after normalisation). */
  prefix?: string;
  /** A ready client (tests, custom retry); otherwise one is built from endpoint/region/credentials. */
  client?: S3Client;
  /** Custom endpoint (s3rver, MinIO); implies path-style addressing. */
  endpoint?: string;
  region?: string;
  credentials?: S3ClientConfig['credentials'];
  forcePathStyle?: boolean;
  /** Server-side encryption asked for on every put. Default none (the bucket default applies). */
  sse?: ServerSideEncryption;
  /** Bodies of at least this many bytes (and every stream) go through multipart Upload. Default 16 MiB. */
  multipartThreshold?: number;
  /** Multipart part size. Default 8 MiB (S3 minimum is 5 MiB). */
  partSize?: number;
}

type S3Module = typeof import('@aws-sdk/client-s3');

/** The S3 store also manages legal holds on existing objects (vault bucket with Object Lock). */
export interface S3ObjectStore extends ObjectStore {
  readonly bucket: string;
  /** Key prefix inside the bucket ('' or ending with '/'). */
  readonly prefix: string;
  /** PutObjectLegalHold ON/OFF on the current version of `key`. */
  setLegalHold(key: string, on: boolean): Promise<void>;
}

/** Object Lock headers for a new object version. */
function lockParams(o: PutOptions): Record<string, unknown> {
  return {
    ...(o.lock ? { ObjectLockMode: o.lock.mode, ObjectLockRetainUntilDate: o.lock.retainUntil } : {}),
    ...(o.legalHold ? { ObjectLockLegalHoldStatus: 'ON' } : {}),
  };
}

/**
 * Amazon S3 (or a compatible server) as an object store. The SDK is loaded lazily so commands
 * that never touch S3 do not pay its start-up cost.
 *
 * Put-if-absent is enforced twice: a HeadObject check (the only guard on servers that ignore
 * conditional writes, such as s3rver), then `IfNoneMatch: '*'` on PutObject /
 * CompleteMultipartUpload, which real S3 honours atomically (412 → E_EXISTS).
 */
export function createS3Store(opts: S3StoreOptions): S3ObjectStore {
  const bucket = opts.bucket;
  if (!bucket) throw new AuditlakeError('E_USAGE', 's3 store: bucket name is empty');
  const prefix = normalisePrefix(opts.prefix ?? '');
  const url = `s3://${bucket}/${prefix}`;
  const threshold = opts.multipartThreshold ?? 16 * 1024 * 1024;
  const partSize = Math.max(opts.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
  let sdk: Promise<{ s3: S3Module; client: S3Client }> | undefined;

  function load() {
    // The SDK warns on Node 20 about its *future* releases; that is noise in every CLI run,
    // not a problem with this one. An explicit setting by the user still wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    sdk ??= import('@aws-sdk/client-s3').then((s3) => {
      const client =
        opts.client ??
        new s3.S3Client({
          region: opts.region ?? 'us-east-1',
          ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: opts.forcePathStyle ?? true } : {}),
          ...(opts.forcePathStyle !== undefined ? { forcePathStyle: opts.forcePathStyle } : {}),
          ...(opts.credentials ? { credentials: opts.credentials } : {}),
        });
      return { s3, client };
    });
    return sdk;
  }

  const full = (key: string) => prefix + key;
  const where = (key: string) => `s3://${bucket}/${full(key)}`;

  function sseParams(): Record<string, string> {
    const sse = opts.sse ?? { mode: 'none' };
    if (sse.mode === 'sse-s3') return { ServerSideEncryption: 'AES256' };
    if (sse.mode === 'sse-kms') return { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: sse.keyId };
    return {};
  }

  async function head(key: string): Promise<ObjectInfo | null> {
    assertValidKey('s3 store', key);
    const { s3, client } = await load();
    try {
      const r = await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: full(key) }));
      return {
        key,
        size: Number(r.ContentLength ?? 0),
        etag: stripQuotes(r.ETag),
        lastModified: r.LastModified ?? new Date(0),
        metadata: { ...(r.Metadata ?? {}) },
      };
    } catch (err) {
      if (httpStatus(err) === 404 || errName(err) === 'NotFound' || errName(err) === 'NoSuchKey') return null;
      throw s3Error('HeadObject', where(key), err);
    }
  }

  return {
    url,
    bucket,
    prefix,
    async *list(listPrefix = '') {
      const { s3, client } = await load();
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: full(listPrefix), ContinuationToken: token }),
          );
        } catch (err) {
          throw s3Error('ListObjectsV2', `s3://${bucket}/${full(listPrefix)}`, err);
        }
        // S3 returns keys in UTF-8 byte order; s3rver does not, so sort each page (a no-op on S3,
        // and enough for s3rver's small test buckets, whose listings fit in one page).
        const contents = [...(page.Contents ?? [])].sort((a, b) => Buffer.compare(Buffer.from(a.Key ?? ''), Buffer.from(b.Key ?? '')));
        for (const o of contents) {
          if (!o.Key || !o.Key.startsWith(prefix) || o.Key.endsWith('/')) continue;
          yield {
            key: o.Key.slice(prefix.length),
            size: Number(o.Size ?? 0),
            etag: stripQuotes(o.ETag),
            lastModified: o.LastModified ?? new Date(0),
          };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    head,
    async get(key) {
      assertValidKey('s3 store', key);
      const { s3, client } = await load();
      try {
        const r = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: full(key) }));
        if (!(r.Body instanceof Readable)) throw new AuditlakeError('E_INTERNAL', `s3 store: GetObject ${where(key)} returned a non-stream body`);
        return r.Body;
      } catch (err) {
        if (err instanceof AuditlakeError) throw err;
        if (httpStatus(err) === 404 || errName(err) === 'NoSuchKey') {
          throw new AuditlakeError('E_NOT_FOUND', `s3 store: ${where(key)} not found`, { cause: err });
        }
        throw s3Error('GetObject', where(key), err);
      }
    },
    async put(key, body, options: PutOptions = {}) {
      assertValidKey('s3 store', key);
      if (await head(key)) throw new AuditlakeError('E_EXISTS', `s3 store: ${where(key)} already exists (objects are never overwritten)`);
      const { s3, client } = await load();
      const params = {
        Bucket: bucket,
        Key: full(key),
        IfNoneMatch: '*',
        ...(options.metadata ? { Metadata: options.metadata } : {}),
        ...(options.contentType ? { ContentType: options.contentType } : {}),
        ...sseParams(),
        ...lockParams(options),
      };
      let size = 0;
      let etag: string;
      try {
        if (Buffer.isBuffer(body) && body.length < threshold) {
          size = body.length;
          const r = await client.send(new s3.PutObjectCommand({ ...params, Body: body }));
          etag = stripQuotes(r.ETag);
        } else {
          const { Upload } = await import('@aws-sdk/lib-storage');
          const counter = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              size += chunk.length;
              cb(null, chunk);
            },
          });
          const src = Buffer.isBuffer(body) ? Readable.from([body]) : body;
          src.on('error', (e) => counter.destroy(e));
          const upload = new Upload({ client, params: { ...params, Body: src.pipe(counter) }, partSize, queueSize: 2, leavePartsOnError: false });
          const r = await upload.done();
          etag = stripQuotes((r as { ETag?: string }).ETag);
        }
      } catch (err) {
        if (httpStatus(err) === 412 || errName(err) === 'PreconditionFailed') {
          throw new AuditlakeError('E_EXISTS', `s3 store: ${where(key)} already exists (objects are never overwritten)`, { cause: err });
        }
        throw s3Error('PutObject', where(key), err);
      }
      return { key, size, etag, lastModified: new Date() };
    },
    async replace(key: string, body: Buffer, options: ReplaceOptions) {
      assertValidKey('s3 store', key);
      // Servers that ignore If-Match (s3rver) get this check only; S3 enforces If-Match atomically below.
      const cur = await head(key);
      if (!cur) throw new AuditlakeError('E_NOT_FOUND', `s3 store: ${where(key)} not found (replace needs an existing object)`);
      if (cur.etag !== options.ifMatch) throw conflict(where(key), cur.etag, options.ifMatch);
      const { s3, client } = await load();
      try {
        const r = await client.send(
          new s3.PutObjectCommand({
            Bucket: bucket,
            Key: full(key),
            Body: body,
            IfMatch: `"${options.ifMatch}"`,
            ...(options.metadata ? { Metadata: options.metadata } : {}),
            ...(options.contentType ? { ContentType: options.contentType } : {}),
            ...sseParams(),
            ...lockParams(options),
          }),
        );
        return { key, size: body.length, etag: stripQuotes(r.ETag), lastModified: new Date() };
      } catch (err) {
        // 412: the ETag moved on; 409 ConditionalRequestConflict: a concurrent conditional write is in flight.
        if (httpStatus(err) === 412 || httpStatus(err) === 409 || errName(err) === 'PreconditionFailed') {
          throw conflict(where(key), '(changed)', options.ifMatch, err);
        }
        if (httpStatus(err) === 404 || errName(err) === 'NoSuchKey') {
          throw new AuditlakeError('E_NOT_FOUND', `s3 store: ${where(key)} vanished before it could be replaced`, { cause: err });
        }
        throw s3Error('PutObject (If-Match)', where(key), err);
      }
    },
    async delete(key) {
      assertValidKey('s3 store', key);
      const { s3, client } = await load();
      try {
        await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: full(key) }));
      } catch (err) {
        if (httpStatus(err) === 404) return;
        if (httpStatus(err) === 403 || errName(err) === 'AccessDenied') {
          throw new AuditlakeError('E_POLICY', `s3 store: deleting ${where(key)} was refused (AccessDenied): the object is under Object Lock retention or a legal hold, or this role may not delete it`, { cause: err });
        }
        throw s3Error('DeleteObject', where(key), err);
      }
    },
    async setLegalHold(key, on) {
      assertValidKey('s3 store', key);
      const { s3, client } = await load();
      try {
        await client.send(new s3.PutObjectLegalHoldCommand({ Bucket: bucket, Key: full(key), LegalHold: { Status: on ? 'ON' : 'OFF' } }));
      } catch (err) {
        throw s3Error('PutObjectLegalHold', where(key), err);
      }
    },
  };
}

function normalisePrefix(p: string): string {
  const trimmed = p.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function conflict(where: string, actual: string, expected: string, cause?: unknown): AuditlakeError {
  return new AuditlakeError('E_CONFLICT', `s3 store: ${where} changed since it was read (etag ${actual}, expected ${expected}); another writer won the race`, cause ? { cause } : undefined);
}

function stripQuotes(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function errName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

/** SDK errors carry no credentials; we still keep only the name and message, never the request. */
function s3Error(op: string, where: string, err: unknown): AuditlakeError {
  const status = httpStatus(err);
  const msg = err instanceof Error ? err.message : String(err);
  return new AuditlakeError('E_IO', `s3 store: ${op} ${where} failed: ${errName(err) || 'Error'}${status ? ` (HTTP ${status})` : ''}: ${msg}`, { cause: err });
}
