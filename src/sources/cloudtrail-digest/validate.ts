import { verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { AuditlakeError, hasErrorCode } from '../../core/errors.js';
import { isoSeconds } from '../../core/iso-seconds.js';
import { sha256Hex } from '../../core/sha256-hex.js';
import { parseCloudTrailDigestKey } from './digest-key.js';
import { hashFirstGzipMember } from './gunzip-first-member.js';
import type { CloudTrailPublicKey } from './public-keys.js';
import { SIG_SIDECAR, type CloudTrailSource } from './source.js';

const HOUR = 3_600_000;
/** Fields the AWS CLI requires before it trusts a digest (`_load_and_validate_digest`). */
const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'];

export interface CtLine {
  /** `Digest file` / `Log file`, or `info` for the CLI's gap notes. */
  kind: 'Digest file' | 'Log file' | 'info';
  location: string;
  /** `valid` or `INVALID: …` (AWS CLI wording), or the info text. */
  status: string;
}

export interface CtReport {
  lines: CtLine[];
  digests: { valid: number; total: number };
  logs: { valid: number; total: number };
  found: { from: string; to: string } | null;
  /** Digests reported missing because a gap swallowed them (the case the AWS CLI reports as one). */
  consecutiveMissing: number;
  invalid: number;
}

interface CtDigestJson {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestSignature: string | null;
  logFiles?: { s3Bucket: string; s3Object: string; hashValue: string }[];
}

export interface ValidateOptions {
  source: CloudTrailSource;
  publicKeys: Map<string, CloudTrailPublicKey>;
  /** Only digests whose key timestamp lies in [from, to + 1 h] (UTC ms), like the CLI's window. */
  from?: number;
  to?: number;
  concurrency?: number;
}

/**
 * `gunzip` of the first member only, with trailing bytes reported (formats.md C.4: the CLI now rejects data
 * appended after the compressed stream).
 */
function gunzipFirst(buf: Buffer): { data: Buffer; trailing: number } {
  if (buf.length < 18 || buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 8) throw new AuditlakeError('E_PARSE', 'not gzip');
  const flags = buf[3];
  let p = 10;
  if (flags & 0x04) p += 2 + buf.readUInt16LE(p);
  for (const bit of [0x08, 0x10]) if (flags & bit) p = buf.indexOf(0, p) + 1;
  if (flags & 0x02) p += 2;
  if (p <= 0 || p > buf.length) throw new AuditlakeError('E_PARSE', 'bad gzip header');
  const r = inflateRawSync(buf.subarray(p), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  const end = p + r.engine.bytesWritten + 8;
  if (end > buf.length) throw new AuditlakeError('E_PARSE', 'truncated gzip');
  return { data: r.buffer, trailing: buf.length - end };
}

/** The exact CloudTrail data-signing string (formats.md C.3; the CLI's `_create_string_to_sign`). */
export function cloudTrailStringToSign(d: Pick<CtDigestJson, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, digestSha256Hex: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${digestSha256Hex}\n${d.previousDigestSignature ?? 'null'}`;
}

/**
 * Validates CloudTrail digest chains and the log files they list, the way `aws cloudtrail validate-logs` does, plus:
 * local directories (signatures from `<digest>.sig.json`), every digest of a multi-digest gap named as missing,
 * digests that the chain never reaches, and previousDigestHashValue checked against the digest actually found.
 */
export async function validateCloudTrail(opts: ValidateOptions): Promise<CtReport> {
  const { source, publicKeys } = opts;
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const to = opts.to ?? Number.POSITIVE_INFINITY;
  const lines: CtLine[] = [];
  const chains = new Map<string, string[]>();
  for await (const o of source.store.list('')) {
    if (o.key.endsWith(SIG_SIDECAR)) continue;
    const full = source.keyPrefix + o.key;
    const p = parseCloudTrailDigestKey(full);
    if (!p || p.endMs < from || p.endMs > to + HOUR) continue;
    chains.set(p.chainId, [...(chains.get(p.chainId) ?? []), full]);
  }
  let dValid = 0;
  let dTotal = 0;
  let consecutiveMissing = 0;
  let foundFrom = Number.POSITIVE_INFINITY;
  let foundTo = Number.NEGATIVE_INFINITY;
  const logs: { key: string; bucket: string; sha: string }[] = [];
  const add = (kind: CtLine['kind'], key: string, status: string) => lines.push({ kind, location: source.display(key), status });

  for (const listedKeys of chains.values()) {
    const endOf = (k: string) => parseCloudTrailDigestKey(k)?.endMs ?? Number.NaN;
    const listed = [...listedKeys].sort((a, b) => endOf(b) - endOf(a));
    const visited = new Set<string>();
    const nextOlder = (endMs: number) => listed.find((k) => endOf(k) < endMs && !visited.has(k));
    let cursor: string | undefined = listed[0];
    let expect: { hash: string | null; signature: string | null; from: string } | null = null;
    while (cursor) {
      const key: string = cursor;
      // Like the CLI: stop once the chain leaves the requested window.
      if (visited.has(key) || endOf(key) < from) break;
      visited.add(key);
      dTotal++;
      const rel = source.relKey(key);
      const raw = rel !== null ? await source.read(rel) : null;
      if (!raw) {
        add('Digest file', key, 'INVALID: not found');
        const older = nextOlder(endOf(key));
        // CloudTrail delivers a digest every hour, empty or not: a gap of n hours hides n − 1 more digests. Each is
        // named by the hour it would end (its exact key holds a delivery second nobody can predict), one line each,
        // so the summary, the INVALID lines and the exit line all count the same digests.
        if (older) {
          const extra = Math.round((endOf(key) - endOf(older)) / HOUR) - 1;
          const folder = source.display(key.replace(/[^/]+$/, ''));
          for (let i = 1; i <= extra; i++) {
            consecutiveMissing++;
            dTotal++;
            const endsAround = isoSeconds(endOf(key) - i * HOUR);
            lines.push({
              kind: 'Digest file',
              location: `${folder}…_${endsAround.replace(/[-:]/g, '')}.json.gz`,
              status: `INVALID: not found: no digest file for the hour ending about ${endsAround} (${i} of ${extra} consecutive missing between ${isoSeconds(endOf(older))} and ${isoSeconds(endOf(key))}; one is delivered every hour)`,
            });
          }
        }
        cursor = older;
        expect = null;
        continue;
      }
      const problem = await checkDigest(source, publicKeys, key, raw, expect);
      if (problem.status !== 'valid') {
        add('Digest file', key, problem.status);
      } else {
        dValid++;
        add('Digest file', key, 'valid');
        const d = problem.digest!;
        foundFrom = Math.min(foundFrom, Date.parse(d.digestStartTime));
        foundTo = Math.max(foundTo, Date.parse(d.digestEndTime));
        for (const lf of d.logFiles ?? []) logs.push({ key: lf.s3Object, bucket: lf.s3Bucket, sha: lf.hashValue });
      }
      const d = problem.digest;
      if (!d) {
        cursor = nextOlder(endOf(key));
        expect = null;
        continue;
      }
      if (d.previousDigestS3Object === null) {
        const older = nextOlder(endOf(key));
        if (older) lines.push({ kind: 'info', location: '', status: `No log files were delivered by CloudTrail between ${new Date(endOf(older)).toISOString().replace('.000Z', 'Z')} and ${d.digestStartTime}` });
        cursor = older;
        expect = null;
        continue;
      }
      if (source.bucket && d.previousDigestS3Bucket && d.previousDigestS3Bucket !== source.bucket) {
        dTotal++;
        add('Digest file', d.previousDigestS3Object, `INVALID: not found (in bucket ${d.previousDigestS3Bucket}, outside this location)`);
        cursor = nextOlder(endOf(key));
        expect = null;
        continue;
      }
      cursor = d.previousDigestS3Object;
      expect = { hash: d.previousDigestHashValue, signature: d.previousDigestSignature, from: key };
    }
    for (const k of listed) {
      if (!visited.has(k)) {
        dTotal++;
        add('Digest file', k, 'INVALID: not referenced by the digest chain (inserted)');
      }
    }
  }

  // Log files of valid digests, several reads in flight.
  let lValid = 0;
  let next = 0;
  const results: CtLine[] = new Array(logs.length);
  const worker = async () => {
    while (next < logs.length) {
      const i = next++;
      const lf = logs[i];
      const status = await checkLogFile(source, lf);
      if (status === 'valid') lValid++;
      results[i] = { kind: 'Log file', location: source.display(lf.key), status };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, logs.length)) }, worker));
  lines.push(...results);
  const invalid = lines.filter((l) => l.kind !== 'info' && l.status !== 'valid').length;
  return {
    lines,
    digests: { valid: dValid, total: dTotal },
    logs: { valid: lValid, total: logs.length },
    found: Number.isFinite(foundFrom) ? { from: new Date(foundFrom).toISOString().replace('.000Z', 'Z'), to: new Date(foundTo).toISOString().replace('.000Z', 'Z') } : null,
    consecutiveMissing,
    invalid,
  };
}

async function checkDigest(
  source: CloudTrailSource,
  publicKeys: Map<string, CloudTrailPublicKey>,
  key: string,
  raw: Buffer,
  expect: { hash: string | null; signature: string | null; from: string } | null,
): Promise<{ status: string; digest?: CtDigestJson }> {
  let inflated: Buffer;
  let d: CtDigestJson;
  try {
    const g = gunzipFirst(raw);
    if (g.trailing > 0) return { status: 'INVALID: invalid format (unexpected data after end of compressed stream)' };
    inflated = g.data;
    d = JSON.parse(inflated.toString('utf8')) as CtDigestJson;
  } catch {
    return { status: 'INVALID: invalid format' };
  }
  if (!d || typeof d !== 'object' || REQUIRED.some((f) => !(f in d))) return { status: 'INVALID: invalid format' };
  // From here on the digest parses: return it so the walk can still follow its previous pointer.
  if (d.digestS3Object !== key || (source.bucket !== null && d.digestS3Bucket !== source.bucket)) {
    return { status: 'INVALID: has been moved from its original location', digest: d };
  }
  const pk = publicKeys.get(String(d.digestPublicKeyFingerprint).toLowerCase());
  if (!pk) return { status: `INVALID: public key not found for fingerprint ${d.digestPublicKeyFingerprint}`, digest: d };
  if (!pk.key) return { status: `INVALID: Unable to load PKCS #1 key with fingerprint ${pk.fingerprint}`, digest: d };
  const rel = source.relKey(key)!;
  const { signature } = await source.signature(rel);
  const sha = sha256Hex(inflated);
  if (!signature || !/^[0-9a-f]+$/i.test(signature)) return { status: 'INVALID: signature verification failed', digest: d };
  let ok = false;
  try {
    ok = verify('RSA-SHA256', Buffer.from(cloudTrailStringToSign(d, sha), 'utf8'), pk.key, Buffer.from(signature, 'hex'));
  } catch {
    ok = false;
  }
  if (!ok) return { status: 'INVALID: signature verification failed', digest: d };
  if (expect?.hash && expect.hash !== sha) return { status: `INVALID: hash value doesn't match previousDigestHashValue in ${source.display(expect.from)}`, digest: d };
  if (expect?.signature && expect.signature !== signature) return { status: `INVALID: signature doesn't match previousDigestSignature in ${source.display(expect.from)}`, digest: d };
  return { status: 'valid', digest: d };
}

async function checkLogFile(source: CloudTrailSource, lf: { key: string; bucket: string; sha: string }): Promise<string> {
  if (source.bucket !== null && lf.bucket !== source.bucket) return `INVALID: not found (in bucket ${lf.bucket}, outside this location)`;
  const rel = source.relKey(lf.key);
  if (rel === null) return 'INVALID: not found';
  let stream;
  try {
    stream = await source.store.get(rel);
  } catch (err) {
    if (hasErrorCode(err, 'E_NOT_FOUND')) return 'INVALID: not found';
    throw err;
  }
  let r;
  try {
    r = await hashFirstGzipMember(stream);
  } catch {
    return 'INVALID: invalid format';
  }
  if (r.trailingBytes > 0) return 'INVALID: unexpected data after end of compressed stream';
  return r.sha256 === lf.sha ? 'valid' : "INVALID: hash value doesn't match";
}

/** Text output in the AWS CLI's layout: findings, then the summary lines. */
export function formatCloudTrailReport(r: CtReport, opts: { location: string; from?: string; to?: string; verbose?: boolean }): string {
  const out = [`Validating CloudTrail digest and log files in ${opts.location} between ${opts.from ?? 'the first digest'} and ${opts.to ?? 'now'}`, ''];
  const shown = r.lines.filter((l) => opts.verbose || l.status !== 'valid');
  for (const l of shown) out.push(l.kind === 'info' ? l.status : `${l.kind}\t${l.location}\t${l.status}`);
  if (shown.length) out.push('');
  out.push(`Results requested for ${opts.from ?? 'the first digest'} to ${opts.to ?? 'now'}`);
  if (r.digests.total === 0) out.push('No digests found');
  else if (!r.found) out.push('No valid digests found in range');
  else out.push(`Results found for ${r.found.from} to ${r.found.to}:`);
  out.push('');
  const dBad = r.digests.total - r.digests.valid;
  out.push(`${r.digests.valid}/${r.digests.total} digest files valid${dBad ? `, ${dBad}/${r.digests.total} digest files INVALID` : ''}`);
  const lBad = r.logs.total - r.logs.valid;
  out.push(`${r.logs.valid}/${r.logs.total} log files valid${lBad ? `, ${lBad}/${r.logs.total} log files INVALID` : ''}`);
  return out.join('\n') + '\n';
}
