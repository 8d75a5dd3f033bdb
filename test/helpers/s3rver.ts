import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3Client } from '@aws-sdk/client-s3';

/** A running local S3-compatible server (s3rver) for tests. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Buckets created at start. */
  buckets: string[];
  /** A path-style client with s3rver's fixed credentials. */
  client: S3Client;
  /** Environment for a child `auditlake` process so `s3://` URLs reach this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver accepts only its own access key id (and does not check the secret). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts s3rver on 127.0.0.1 at a random port with its data in a fresh temp dir.
 * Note its limits (research/deps-and-limits.md §1.2): SSE headers and If-None-Match are
 * ignored, versioning and object lock are not implemented.
 */
export async function startS3rver(opts: { buckets?: string[] } = {}): Promise<LocalS3> {
  const buckets = opts.buckets ?? ['test-bucket'];
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    buckets,
    client,
    env: {
      AUDITLAKE_S3_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
