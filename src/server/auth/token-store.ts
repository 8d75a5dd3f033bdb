/**
 * @module
 * API tokens: `alk_<id>_<secret>`. Only an scrypt hash of the secret is stored (`<home>/state/api-tokens.json`,
 * atomic rewrite, mode 0600); the token itself is shown once by `auditlake tokens create`. Tokens carry a role, an
 * optional account scope and an expiry, and can be revoked; a running server re-reads the file when it changes,
 * so a revocation takes effect on the next request.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../buffer/atomic-file.js';
import { AuditlakeError } from '../../core/errors.js';
import type { HomeLayout } from '../../core/home.js';
import { ROLES, type Principal, type Role } from './principal.js';

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  /** null = every account. */
  account: string | null;
  /** scrypt(secret, salt) as hex; the secret itself is never stored. */
  hash: string;
  salt: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken {
  token: string;
  record: TokenRecord;
}

export interface TokenStore {
  create(opts: { role: Role; account: string | null; name?: string; expiresAt?: Date | null }): CreatedToken;
  list(): TokenRecord[];
  revoke(id: string): TokenRecord;
  /** The principal for a presented token, or null (unknown, wrong secret, revoked, expired). */
  verify(token: string, now?: number): Promise<Principal | null>;
  /** True while token `id` exists, is not revoked and not expired (cheap: no hashing). */
  active(id: string, now?: number): boolean;
}

// scrypt cost: N=2^14, r=8 (≈16 MB, tens of ms); the server caches a verified token so this is paid once per token.
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const TOKEN_RE = /^alk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string, salt: string) => scryptSync(secret, Buffer.from(salt, 'hex'), 32, SCRYPT);
/** Off the event loop (libuv pool): a server must not stall every request for one token check. */
const hashSecretAsync = (secret: string, salt: string) => new Promise<Buffer>((res, rej) => scrypt(secret, Buffer.from(salt, 'hex'), 32, SCRYPT, (err, key) => (err ? rej(err) : res(key))));

export function parseScope(scope: string): string | null {
  if (scope === 'all') return null;
  const m = /^account:(\d{12})$/.exec(scope);
  if (!m) throw new AuditlakeError('E_USAGE', `tokens: --scope "${scope}" must be account:<12-digit AWS account id> or all`);
  return m[1];
}

export function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new AuditlakeError('E_USAGE', `tokens: --role "${role}" is not one of ${ROLES.join(', ')}`);
  return role as Role;
}

export function openTokenStore(home: HomeLayout): TokenStore {
  const file = join(home.state, 'api-tokens.json');
  let cache: { sig: string; records: TokenRecord[] } = { sig: '', records: [] };

  const load = (): TokenRecord[] => {
    let sig = 'none';
    try {
      const st = statSync(file);
      sig = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch { /* absent: no tokens yet */ }
    if (sig !== cache.sig) cache = { sig, records: readJsonFile<{ tokens: TokenRecord[] }>(file)?.tokens ?? [] };
    return cache.records;
  };
  const save = (records: TokenRecord[]) => {
    mkdirSync(home.state, { recursive: true });
    writeFileAtomic(file, JSON.stringify({ tokens: records }, null, 1));
  };

  return {
    create({ role, account, name, expiresAt }) {
      const id = randomBytes(6).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const salt = randomBytes(16).toString('hex');
      const record: TokenRecord = {
        id, name: name ?? '', role, account, hash: hashSecret(secret, salt).toString('hex'), salt,
        createdAt: new Date().toISOString(), expiresAt: expiresAt ? expiresAt.toISOString() : null, revokedAt: null,
      };
      save([...load(), record]);
      return { token: `alk_${id}_${secret}`, record };
    },
    list: () => [...load()],
    revoke(id) {
      const records = load();
      const r = records.find((x) => x.id === id);
      if (!r) throw new AuditlakeError('E_NOT_FOUND', `tokens: no token with id ${id}`);
      const next = { ...r, revokedAt: r.revokedAt ?? new Date().toISOString() };
      save(records.map((x) => (x.id === id ? next : x)));
      return next;
    },
    active(id, now = Date.now()) {
      const r = load().find((x) => x.id === id);
      return !!r && !r.revokedAt && !(r.expiresAt && Date.parse(r.expiresAt) <= now);
    },
    async verify(token, now = Date.now()) {
      const m = TOKEN_RE.exec(token);
      if (!m) return null;
      const r = load().find((x) => x.id === m[1]);
      // Hash even for an unknown id, so response time does not tell which ids exist.
      const expected = r ? Buffer.from(r.hash, 'hex') : Buffer.alloc(32);
      const got = await hashSecretAsync(m[2], r?.salt ?? '00');
      if (!timingSafeEqual(expected, got) || !r) return null;
      if (r.revokedAt) return null;
      if (r.expiresAt && Date.parse(r.expiresAt) <= now) return null;
      return { kind: 'token', id: r.id, role: r.role, account: r.account };
    },
  };
}
