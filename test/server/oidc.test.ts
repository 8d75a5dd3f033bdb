import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ACCT_A, ACCT_B, MARKER_A, MARKER_B, startFixture, type Fixture } from './server-fixture.js';

/**
 * OIDC bearer tokens against a real JWKS served on loopback: a valid JWT whose account claim names A reads only A
 * (search and SQL), and every kind of bad token (wrong issuer, wrong audience, expired, bad signature, unknown kid,
 * malformed scope claim, unknown role) is a 401 that carries no data.
 */
const ISSUER = 'https://idp.test.example';
const AUDIENCE = 'auditlake-console';

let f: Fixture;
let jwks: Server;
let signing: CryptoKey;
let rogue: CryptoKey;

before(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  signing = pair.privateKey;
  rogue = (await generateKeyPair('ES256')).privateKey;
  const pub: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwks = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [pub] }));
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  f = await startFixture({ oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl } });
});
after(async () => {
  await f.close();
  await new Promise<void>((r) => jwks.close(() => r()));
});

interface Claims { iss?: string; aud?: string; exp?: number | string; kid?: string; key?: CryptoKey; extra?: Record<string, unknown> }

function sign(c: Claims = {}): Promise<string> {
  return new SignJWT({ auditlake_role: 'reader', auditlake_account: ACCT_A, ...c.extra })
    .setProtectedHeader({ alg: 'ES256', kid: c.kid ?? 'k1' })
    .setSubject('auditor@example.com')
    .setIssuer(c.iss ?? ISSUER)
    .setAudience(c.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(c.exp ?? '10m')
    .sign(c.key ?? signing);
}

test('a valid OIDC token scoped to account A reads A only, through search and SQL', async () => {
  const token = await sign();
  const who = await f.call('/api/v1/whoami', { token });
  assert.equal(who.status, 200, who.text);
  const search = await f.call('/api/v1/events?limit=500', { token });
  assert.equal(search.status, 200, search.text);
  assert.ok(search.text.includes(MARKER_A));
  assert.ok(!search.text.includes(MARKER_B) && !search.text.includes(ACCT_B));
  const q = await f.call('/api/v1/query', { token, body: { sql: 'select distinct account from events' } });
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json().rows, [[ACCT_A]]);
  const other = await f.call(`/api/v1/events?account=${ACCT_B}`, { token });
  assert.ok(!other.text.includes(MARKER_B));
  // the same identity provider with scope "*" sees both accounts
  const all = await f.call('/api/v1/events?limit=500', { token: await sign({ extra: { auditlake_account: '*' } }) });
  assert.ok(all.text.includes(MARKER_A) && all.text.includes(MARKER_B));
  // a reader JWT is still a reader: no admin action
  assert.equal((await f.call('/api/v1/verify', { token, method: 'POST' })).status, 403);
});

test('wrong issuer, wrong audience, expired, bad signature, unknown kid, bad claims → 401 with no data', async () => {
  const now = Math.floor(Date.now() / 1000);
  const bad: [string, Promise<string>][] = [
    ['wrong issuer', sign({ iss: 'https://evil.example' })],
    ['wrong audience', sign({ aud: 'someone-else' })],
    ['expired', sign({ exp: now - 3600 })],
    ['bad signature', sign({ key: rogue })],
    ['unknown kid', sign({ kid: 'k-unknown', key: rogue })],
    ['malformed account claim', sign({ extra: { auditlake_account: ACCT_A.slice(1) } })],
    ['unknown role', sign({ extra: { auditlake_role: 'root' } })],
  ];
  const good = await sign();
  const [h, p] = good.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), auditlake_account: '*' })).toString('base64url')}.${good.split('.')[2]}`;
  bad.push(['payload tampered to widen the scope', Promise.resolve(tampered)]);
  bad.push(['alg none', Promise.resolve(`${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${p}.`)]);
  for (const [name, jwt] of bad) {
    const r = await f.call('/api/v1/events?limit=500', { token: await jwt });
    assert.equal(r.status, 401, `${name}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.ok(!r.text.includes(MARKER_A) && !r.text.includes(MARKER_B), name);
  }
});
