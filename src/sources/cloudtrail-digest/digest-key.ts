/**
 * CloudTrail digest keys (formats.md C.1):
 * `[prefix/]AWSLogs/[o-id/]<acct>/CloudTrail-Digest/<region>/Y/M/D/<acct>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz`
 */
const RE = /^(?:(.*)\/)?AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\d{8}T\d{6}Z)(_backfill)?\.json\.gz$/;

export interface CloudTrailDigestKey {
  account: string;
  organization: string | null;
  region: string;
  trail: string;
  homeRegion: string;
  /** End timestamp from the key, UTC ms. */
  endMs: number;
  backfill: boolean;
  /** Groups digests of one chain: account/region/trail/home region (+ `#backfill`, which chains separately). */
  chainId: string;
}

export function parseCloudTrailDigestKey(key: string): CloudTrailDigestKey | null {
  const m = RE.exec(key);
  if (!m || m[3] !== m[5] || m[4] !== m[6]) return null;
  const s = m[9];
  const endMs = Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
  if (Number.isNaN(endMs)) return null;
  const backfill = m[10] !== undefined;
  return {
    account: m[3],
    organization: m[2] ?? null,
    region: m[4],
    trail: m[7],
    homeRegion: m[8],
    endMs,
    backfill,
    chainId: `${m[2] ? m[2] + '/' : ''}${m[3]}/${m[4]}/${m[7]}/${m[8]}${backfill ? '#backfill' : ''}`,
  };
}
