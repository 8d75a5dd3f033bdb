/**
 * @module
 * OIDC bearer tokens: a JWT signed by the identity provider, checked against its JWKS (fetched and cached by
 * `jose`), issuer and audience. The role and the account scope come from claims the provider is configured to add.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ROLES, type Principal, type Role } from './principal.js';

export interface OidcOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Claim holding reader | ingest | admin (default `auditlake_role`). */
  roleClaim?: string;
  /** Claim holding the 12-digit account the subject is confined to; absent or `*` = every account (default `auditlake_account`). */
  accountClaim?: string;
}

export type OidcVerifier = (jwt: string) => Promise<Principal | null>;

export function createOidcVerifier(o: OidcOptions): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(o.jwksUrl));
  const roleClaim = o.roleClaim ?? 'auditlake_role';
  const accountClaim = o.accountClaim ?? 'auditlake_account';
  return async function verifyOidc(jwt) {
    try {
      const { payload } = await jwtVerify(jwt, jwks, { issuer: o.issuer, audience: o.audience });
      const role = payload[roleClaim];
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role) || !payload.sub) return null;
      const acct = payload[accountClaim];
      // A scope claim that is present but malformed refuses the token: never widen it to "every account".
      if (acct !== undefined && acct !== '*' && (typeof acct !== 'string' || !/^\d{12}$/.test(acct))) return null;
      return { kind: 'oidc', id: `oidc:${payload.sub}`, role: role as Role, account: acct === undefined || acct === '*' ? null : acct };
    } catch {
      return null; // bad signature, expired, wrong issuer/audience, JWKS unreachable: all "not authenticated"
    }
  };
}
