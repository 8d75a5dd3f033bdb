import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Stands in for the KMS HTTP endpoint at the SDK's request-handler boundary: the real KMSClient builds, signs and
 * serialises each request (AWS JSON 1.1), this handler answers like KMS would and records what it got, and the
 * real client deserialises the answer. No KMS emulator installs here (npm has none; local-kms is a Go binary).
 */
export interface FakeKmsRequest {
  target: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

interface FakeKey { id: string; arn: string; enabled: boolean; description: string; created: number; versions: Buffer[] }

export function createFakeKms(region = 'us-east-1', account = '111122223333') {
  const keys = new Map<string, FakeKey>();
  const aliases = new Map<string, string>();
  const requests: FakeKmsRequest[] = [];

  const resolve = (ref: string): FakeKey | undefined => {
    if (ref.startsWith('alias/')) return keys.get(aliases.get(ref) ?? '');
    if (ref.startsWith('arn:')) return keys.get(ref.split('/').pop() ?? '');
    return keys.get(ref);
  };
  const ctxAad = (c: unknown) => Buffer.from(JSON.stringify(Object.entries((c ?? {}) as Record<string, string>).sort()));
  class KmsError extends Error {
    constructor(readonly type: string, message: string) { super(message); }
  }
  const need = (ref: string): FakeKey => {
    const k = resolve(ref);
    if (!k) throw new KmsError('NotFoundException', `Key '${ref}' does not exist`);
    return k;
  };
  const usable = (ref: string): FakeKey => {
    const k = need(ref);
    if (!k.enabled) throw new KmsError('DisabledException', `${k.arn} is disabled.`);
    return k;
  };
  function wrap(k: FakeKey, pt: Buffer, ctx: unknown): Buffer {
    const id = Buffer.from(k.id);
    const head = Buffer.concat([Buffer.from('FKMS'), Buffer.from([id.length]), id, Buffer.from([k.versions.length])]);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', k.versions[k.versions.length - 1], iv);
    c.setAAD(Buffer.concat([head, ctxAad(ctx)]));
    const ct = Buffer.concat([c.update(pt), c.final()]);
    return Buffer.concat([head, iv, ct, c.getAuthTag()]);
  }
  function unwrap(blob: Buffer, ctx: unknown): { key: FakeKey; pt: Buffer } {
    if (blob.subarray(0, 4).toString() !== 'FKMS') throw new KmsError('InvalidCiphertextException', '');
    const idLen = blob[4];
    const key = usable(blob.subarray(5, 5 + idLen).toString());
    const headEnd = 6 + idLen;
    const version = blob[headEnd - 1];
    const d = createDecipheriv('aes-256-gcm', key.versions[version - 1], blob.subarray(headEnd, headEnd + 12));
    d.setAAD(Buffer.concat([blob.subarray(0, headEnd), ctxAad(ctx)]));
    d.setAuthTag(blob.subarray(blob.length - 16));
    try {
      return { key, pt: Buffer.concat([d.update(blob.subarray(headEnd + 12, blob.length - 16)), d.final()]) };
    } catch {
      throw new KmsError('InvalidCiphertextException', '');
    }
  }
  const meta = (k: FakeKey) => ({ KeyId: k.id, Arn: k.arn, Enabled: k.enabled, Description: k.description, CreationDate: k.created, KeyState: k.enabled ? 'Enabled' : 'Disabled' });
  const b64 = (b: Buffer) => b.toString('base64');

  const actions: Record<string, (b: Record<string, any>) => unknown> = {
    CreateKey(b) {
      const id = randomUUID();
      const k: FakeKey = { id, arn: `arn:aws:kms:${region}:${account}:key/${id}`, enabled: true, description: b.Description ?? '', created: Math.floor(Date.now() / 1000), versions: [randomBytes(32)] };
      keys.set(id, k);
      return { KeyMetadata: meta(k) };
    },
    CreateAlias(b) {
      if (aliases.has(b.AliasName)) throw new KmsError('AlreadyExistsException', `An alias with the name ${b.AliasName} already exists`);
      aliases.set(b.AliasName, need(b.TargetKeyId).id);
      return {};
    },
    ListAliases() {
      return { Aliases: [...aliases].map(([n, t]) => ({ AliasName: n, AliasArn: `arn:aws:kms:${region}:${account}:${n}`, TargetKeyId: t })), Truncated: false };
    },
    DescribeKey(b) { return { KeyMetadata: meta(need(b.KeyId)) }; },
    EnableKey(b) { need(b.KeyId).enabled = true; return {}; },
    DisableKey(b) { need(b.KeyId).enabled = false; return {}; },
    RotateKeyOnDemand(b) { const k = need(b.KeyId); k.versions.push(randomBytes(32)); return { KeyId: k.id }; },
    GenerateDataKey(b) {
      if (b.KeySpec !== 'AES_256') throw new KmsError('ValidationException', 'KeySpec');
      const k = usable(b.KeyId);
      const pt = randomBytes(32);
      return { KeyId: k.arn, Plaintext: b64(pt), CiphertextBlob: b64(wrap(k, pt, b.EncryptionContext)) };
    },
    Decrypt(b) {
      const { key, pt } = unwrap(Buffer.from(b.CiphertextBlob, 'base64'), b.EncryptionContext);
      return { KeyId: key.arn, Plaintext: b64(pt), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    ReEncrypt(b) {
      const { key, pt } = unwrap(Buffer.from(b.CiphertextBlob, 'base64'), b.SourceEncryptionContext);
      const to = usable(b.DestinationKeyId);
      return { SourceKeyId: key.arn, KeyId: to.arn, CiphertextBlob: b64(wrap(to, pt, b.DestinationEncryptionContext)) };
    },
  };

  /** A smithy HttpHandler: `new KMSClient({ requestHandler: fake.handler, ... })`. */
  const handler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      const target = String(request.headers['x-amz-target'] ?? '').replace('TrentService.', '');
      const body = JSON.parse(typeof request.body === 'string' ? request.body : Buffer.from((request.body ?? '{}') as Uint8Array).toString()) as Record<string, unknown>;
      requests.push({ target, body, headers: { ...request.headers } });
      let status = 200;
      let out: unknown;
      try {
        const fn = actions[target];
        if (!fn) throw new KmsError('UnsupportedOperationException', target);
        out = fn(body);
      } catch (err) {
        if (!(err instanceof KmsError)) throw err;
        status = 400;
        out = { __type: err.type, message: err.message };
      }
      const text = JSON.stringify(out);
      return {
        response: {
          statusCode: status,
          reason: status === 200 ? 'OK' : 'Bad Request',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(Buffer.byteLength(text)), 'x-amzn-requestid': randomUUID() },
          body: Readable.from([Buffer.from(text)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() { return {}; },
  };

  return { handler, requests, keys, aliases };
}
